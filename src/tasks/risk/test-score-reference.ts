/**
 * @module tasks/risk/test-score-reference
 * scoreRisk as it was before the reasons became one JSON text per order (issue 10): a list of
 * reason strings per order, turned into JSON text only at the write. The reference that the stored
 * rows of `risk score` are checked against (registry/risk.test.ts). Test only.
 */
import { gbdtContributions, predictGbdt } from '../../ml/gbdt/index.js';
import { scoreIsolationForest, scoreWithContributions } from '../../ml/iforest/index.js';
import { applyAnomalyView } from './anomaly-view.js';
import { tailScore } from './tail.js';
import type { RiskModel } from './model.js';
import { combineRisk } from './rules.js';
import type { ScoreOptions } from './score.js';

/** The previous output: per-order lists. */
export interface PreviousScoredOrders {
  readonly score: Float64Array;
  readonly modelScore: Float64Array;
  readonly action: ('hold' | 'allow' | null)[];
  readonly reasons: string[][];
  readonly rulesHit: string[][];
}

const CHUNK = 8192;

function fmt(v: number): string {
  return Number.isNaN(v) ? 'missing' : Number.isInteger(v) ? String(v) : v.toFixed(2);
}

/** Raw model scores and per-feature contributions (rows x (cols + 1)) of one chunk. */
function modelChunk(
  model: RiskModel,
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
          `${model.featureNames[j]}=${fmt(x[r * cols + j]!)} (rarer than ${((1 - t.share) * 100).toFixed(2)}% of orders)`;
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

export function previousScoreRisk(
  model: RiskModel,
  values: Float32Array,
  rows: number,
  options: ScoreOptions = {},
): PreviousScoredOrders {
  const cols = model.featureNames.length;
  if (values.length !== rows * cols) {
    throw new Error(`risk scoring: ${values.length} values for ${rows} orders x ${cols} features`);
  }
  const rules = options.rules ?? [];
  const k = options.reasons ?? 3;
  const unit = model.kind === 'iforest' ? 'splits sooner' : 'log-odds';
  const out: PreviousScoredOrders = {
    score: new Float64Array(rows),
    modelScore: new Float64Array(rows),
    action: new Array<'hold' | 'allow' | null>(rows),
    reasons: new Array<string[]>(rows),
    rulesHit: new Array<string[]>(rows),
  };
  for (let start = 0; start < rows; start += CHUNK) {
    const n = Math.min(CHUNK, rows - start);
    const x = values.subarray(start * cols, (start + n) * cols);
    const { p, contribs, lead } = modelChunk(model, x, n, k > 0);
    for (let i = 0; i < n; i++) {
      const r = start + i;
      const combined = combineRisk(p[i]!, rules, values, r * cols);
      out.modelScore[r] = p[i]!;
      out.score[r] = combined.score;
      out.action[r] = combined.action;
      out.rulesHit[r] = combined.fired.map((rule) => rule.name);
      const reasons = combined.fired.map(
        (rule) =>
          `rule '${rule.name}' (${rule.field} ${fmt(values[r * cols + rule.column]!)} ${rule.operator} ${rule.threshold})` +
          (rule.action ? `: ${rule.action}` : `: ${rule.score! >= 0 ? '+' : ''}${rule.score}`),
      );
      const first = lead?.[i];
      if (first) reasons.push(first);
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
          reasons.push(
            `${model.featureNames[best]}=${fmt(values[r * cols + best]!)} (+${bestC.toFixed(2)} ${unit})`,
          );
          lastC = bestC;
          lastJ = best;
        }
      }
      out.reasons[r] = reasons;
    }
  }
  return out;
}
