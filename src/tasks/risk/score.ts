/**
 * @module tasks/risk/score
 * Scores order feature rows with a risk model and the merchant's rules: the model score (for the
 * forest, 1 - the share of training orders at least as unusual, tail.ts; for the GBDT, the fraud
 * probability), the combined score, the forced action,
 * and the top reasons: the rules that fired, then the features that pushed the model score up most
 * (path-depth contributions for the forest, TreeSHAP for the GBDT), each with the order's value.
 * Pure over typed arrays, in chunks so a million orders never need a million-row contribution matrix.
 *
 * The reasons of each order leave as one string, the JSON text of its list (what order_risk
 * stores), built here from pieces escaped once per rule and per feature: no list per order to keep,
 * copy between threads or stringify at the write (on 200,000 orders under load, the lists and their
 * JSON.stringify were 0.8 CPU-s of the write and most of the scoring's garbage collection).
 */
import { gbdtContributions, predictGbdt } from '../../ml/gbdt/index.js';
import { scoreIsolationForest, scoreWithContributions } from '../../ml/iforest/index.js';
import { applyAnomalyView } from './anomaly-view.js';
import { tailScore } from './tail.js';
import type { RiskModel } from './model.js';
import { combineRisk, type RiskRule } from './rules.js';

export interface ScoredOrders {
  readonly score: Float64Array;
  readonly modelScore: Float64Array;
  readonly action: ('hold' | 'allow' | null)[];
  /** Per order, the JSON text of its reasons (a list of strings), as JSON.stringify writes it. */
  readonly reasonsJson: string[];
  /** Per order, the JSON text of the names of the rules that fired, in file order ('[]': none). */
  readonly rulesHitJson: string[];
}

/** One order's outcome, as stored in order_risk and answered by the API. */
export interface OrderRiskOutcome {
  readonly score: number;
  readonly modelScore: number;
  readonly action: 'hold' | 'allow' | null;
  /** A rule said hold, or no rule said allow and the score reaches the model's threshold. */
  readonly held: boolean;
  readonly reasons: string[];
  readonly rulesHit: string[];
}

/** Whether row `r` is held: a rule said hold, or no rule said allow and the score reaches the threshold. */
export function heldAt(s: ScoredOrders, r: number, threshold: number): boolean {
  const action = s.action[r]!;
  return action === 'hold' || (action !== 'allow' && s.score[r]! >= threshold);
}

/** Row `r` of scored orders, held or not against the model's review threshold. */
export function outcomeOf(s: ScoredOrders, r: number, threshold: number): OrderRiskOutcome {
  return {
    score: s.score[r]!,
    modelScore: s.modelScore[r]!,
    action: s.action[r]!,
    held: heldAt(s, r, threshold),
    reasons: JSON.parse(s.reasonsJson[r]!) as string[],
    rulesHit: JSON.parse(s.rulesHitJson[r]!) as string[],
  };
}

const CHUNK = 8192;

/** `text` as it stands inside a JSON string (no quotes): escaped once, joined per order. */
function esc(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

const NO_RULES_HIT = '[]';

function fmt(v: number): string {
  return Number.isNaN(v) ? 'missing' : Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** Raw model scores and per-feature contributions (rows x (cols + 1)) of one chunk. */
function modelChunk(
  model: RiskModel,
  names: readonly string[],
  x: Float32Array,
  rows: number,
  withReasons: boolean,
): { p: Float64Array; contribs: Float64Array | null; lead: (string | null)[] | null } {
  if (model.kind === 'iforest') {
    const cols = model.featureNames.length;
    const d = model.view.columns.length;
    const v = applyAnomalyView(model.view, x, rows, cols);
    // With reasons, the scores come from the same walk as the contributions (bit for bit equal).
    const walked = withReasons ? scoreWithContributions(model.forest, v, rows) : null;
    const forest = walked?.scores ?? scoreIsolationForest(model.forest, v, rows);
    const p = new Float64Array(rows);
    const lead: (string | null)[] = new Array<string | null>(rows).fill(null);
    for (let r = 0; r < rows; r++) {
      const t = tailScore(model.tail, model.view, v, r * d, forest[r]!);
      p[r] = t.score;
      if (t.rarest >= 0 && withReasons) {
        const j = model.view.columns[t.rarest]!;
        lead[r] =
          `${names[j]}=${fmt(x[r * cols + j]!)} (rarer than ${((1 - t.share) * 100).toFixed(2)}% of orders)`;
      }
    }
    if (!withReasons) return { p, contribs: null, lead: null };
    // Contributions come per forest column; spread them back to the feature columns.
    const inView = walked!.contributions;
    const contribs = new Float64Array(rows * (cols + 1));
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < d; k++)
        contribs[r * (cols + 1) + model.view.columns[k]!] = inView[r * (d + 1) + k]!;
      contribs[r * (cols + 1) + cols] = inView[r * (d + 1) + d]!;
    }
    return { p, contribs, lead };
  }
  return {
    p: predictGbdt(model.gbdt, x, rows),
    contribs: withReasons ? gbdtContributions(model.gbdt, x, rows) : null,
    lead: null,
  };
}

export interface ScoreOptions {
  readonly rules?: readonly RiskRule[];
  /** Feature reasons per order (default 3; 0 = model reasons off, rules still listed). */
  readonly reasons?: number;
}

export function scoreRisk(
  model: RiskModel,
  values: Float32Array,
  rows: number,
  options: ScoreOptions = {},
): ScoredOrders {
  const cols = model.featureNames.length;
  if (values.length !== rows * cols) {
    throw new Error(`risk scoring: ${values.length} values for ${rows} orders x ${cols} features`);
  }
  const rules = options.rules ?? [];
  const k = options.reasons ?? 3;
  const unit = model.kind === 'iforest' ? 'splits sooner' : 'log-odds';
  // Every text piece that is not a number, JSON-escaped once: a rule's name and field, a feature's name.
  const names = model.featureNames.map(esc);
  const ruleHead = new Map(rules.map((rule) => [rule, esc(`rule '${rule.name}' (${rule.field} `)]));
  const ruleTail = new Map(
    rules.map((rule) => [
      rule,
      esc(
        ` ${rule.operator} ${rule.threshold})` +
          (rule.action ? `: ${rule.action}` : `: ${rule.score! >= 0 ? '+' : ''}${rule.score}`),
      ),
    ]),
  );
  const ruleName = new Map(rules.map((rule) => [rule, JSON.stringify(rule.name)]));
  const out: ScoredOrders = {
    score: new Float64Array(rows),
    modelScore: new Float64Array(rows),
    action: new Array<'hold' | 'allow' | null>(rows),
    reasonsJson: new Array<string>(rows),
    rulesHitJson: new Array<string>(rows),
  };
  for (let start = 0; start < rows; start += CHUNK) {
    const n = Math.min(CHUNK, rows - start);
    const x = values.subarray(start * cols, (start + n) * cols);
    const { p, contribs, lead } = modelChunk(model, names, x, n, k > 0);
    for (let i = 0; i < n; i++) {
      const r = start + i;
      const combined = combineRisk(p[i]!, rules, values, r * cols);
      out.modelScore[r] = p[i]!;
      out.score[r] = combined.score;
      out.action[r] = combined.action;
      let json = '';
      let hit = '';
      for (const rule of combined.fired) {
        json += `${json ? ',' : ''}"${ruleHead.get(rule)!}${fmt(values[r * cols + rule.column]!)}${ruleTail.get(rule)!}"`;
        hit += `${hit ? ',' : ''}${ruleName.get(rule)!}`;
      }
      out.rulesHitJson[r] = hit ? `[${hit}]` : NO_RULES_HIT;
      const first = lead?.[i];
      if (first) json += `${json ? ',' : ''}"${first}"`;
      if (contribs) {
        // The k largest positive contributions, largest first (ties: lower column first), picked by
        // k scans of the row rather than a sort per order: no allocation on a million orders.
        const base = i * (cols + 1);
        let lastC = Infinity;
        let lastJ = -1;
        for (let given = 0; given < k; given++) {
          let best = -1;
          let bestC = 0;
          for (let j = 0; j < cols; j++) {
            const c = contribs[base + j]!;
            // A missing value (a guest's per-customer velocity) is no reason a merchant can act on.
            if (!(c > 0) || Number.isNaN(values[r * cols + j]!)) continue;
            if (c > lastC || (c === lastC && j <= lastJ)) continue; // taken already
            if (best < 0 || c > bestC) {
              best = j;
              bestC = c;
            }
          }
          if (best < 0) break;
          json += `${json ? ',' : ''}"${names[best]!}=${fmt(values[r * cols + best]!)} (+${bestC.toFixed(2)} ${unit})"`;
          lastC = bestC;
          lastJ = best;
        }
      }
      out.reasonsJson[r] = `[${json}]`;
    }
  }
  return out;
}
