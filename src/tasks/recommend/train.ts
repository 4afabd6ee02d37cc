/**
 * @module tasks/recommend/train
 * `train recommend`: pick the main model (by validation NDCG@10 under leave-last-out when `auto`),
 * measure it against popularity under the same protocol, then fit the serving bundle on ALL the
 * interactions. The returned metrics are what the registry keeps beside the model.
 *
 * Order of work, so that nothing is trained in vain: names are checked (with a did-you-mean), then
 * the data (enough customers with 3+ interactions), then each candidate's cost is estimated from the
 * data's size (./cost.ts) and, for `auto`, held against the time budget (./budget.ts): cheapest
 * first, each run, shortened or skipped with a note. A candidate that refuses the data (EASE above
 * its item limit) or throws is reported and the comparison goes on. The chosen model is then fitted
 * once more, on all interactions: its two comparison fits saw less data (all but the last two, all
 * but the last item per customer), so neither can serve; fits on identical data are shared instead
 * (item-kNN tables within a split, SASRec's fit cache).
 *
 * @example
 *   const r = await trainRecommendations(await loadInteractions(wh), { model: 'auto' });
 *   r.bundle.model;                 // e.g. 'transition'
 *   r.metrics['testNdcg10'];        // the chosen model's test NDCG@10 (protocol in r.metrics.protocol)
 */
import type { InteractionData } from '../../features/interactions.js';
import { Rng } from '../../core/random.js';
import { MIN_ITEMS_TO_EVALUATE, pickCases } from '../../ml/recommend/split.js';
import type { Sequences } from '../../ml/recommend/types.js';
import { decideCandidate, DEFAULT_BUDGET_SECONDS } from './budget.js';
import { trainBundle, type RecommendBundle } from './bundle.js';
import {
  comparisonSeconds,
  COSTS,
  dataSize,
  estimateCandidate,
  fitSeconds,
  scaled,
  SHARES_KNN,
  withKnnTable,
  type CandidateEstimate,
} from './cost.js';
import {
  bestByValidation,
  evaluateModel,
  LEAVE_LAST_OUT_PROTOCOL,
  leaveLastOutSplit,
  runnable,
  type EvaluationSplit,
  type ModelResult,
  type RecommendEvaluation,
} from './evaluate.js';
import { checkRecommenderNames, getRecommender, type TrainOptions } from './models.js';

/**
 * What `auto` compares by default: the baseline and one of each family, sequence models in their
 * strongest registered form (SASRec mixed with transitions: its fit is shared with plain `sasrec`).
 */
export const AUTO_CANDIDATES = [
  'popularity',
  'item-knn',
  'transition',
  'transition-multistep',
  'als',
  'bpr',
  'ease',
  'sasrec-transition',
];

export interface TrainRecommendOptions {
  /** A registered model name, or 'auto' (default). */
  readonly model?: string;
  /** The models `auto` compares (default AUTO_CANDIDATES). */
  readonly candidates?: readonly string[];
  readonly seed?: number;
  /** Wall seconds `auto` may spend in all (default 600; Infinity = no budget). */
  readonly budgetSeconds?: number;
  /** performance.now() when the command began (loading the data counts against the budget). */
  readonly startedAt?: number;
  /** Validation (and test) cases at most: a seeded sample of the evaluable customers beyond it. */
  readonly maxCases?: number;
  /** Called as each step begins: candidate `ordinal` of `total` steps (the final fit is the last). */
  readonly onStep?: (label: string, ordinal: number, total: number) => void;
}

/** What happened to one candidate, in the order they were considered. */
export interface CandidateReport {
  readonly model: string;
  readonly status: 'ran' | 'shortened' | 'skipped' | 'refused' | 'failed';
  /**
   * Estimated seconds to compare it (two fits, two scorings) as run, or as it would have run: what
   * the budget decided with, i.e. the estimate from the data's size times `slowdown`.
   */
  readonly estimateSeconds?: number;
  /** The factor the estimate from the data's size was scaled by (measured / estimated so far, >= 1). */
  readonly slowdown?: number;
  /** Measured seconds (ran, shortened, failed). */
  readonly seconds?: number;
  /** Hyper-parameters the budget changed (shortened). */
  readonly params?: Readonly<Record<string, number>>;
  readonly note?: string;
}

export interface TrainRecommendEvaluation extends RecommendEvaluation {
  readonly candidates: readonly CandidateReport[];
  readonly budget: {
    readonly seconds: number | null;
    /** Seconds from the command's start to the end of the final fit. */
    readonly usedSeconds: number;
    /** Measured over estimated time of the candidates run (>= 1): later estimates were scaled by it. */
    readonly slowdown: number;
    /** The final fit on all interactions: estimate and measurement. */
    readonly finalFit: {
      readonly model: string;
      readonly estimateSeconds?: number;
      readonly seconds: number;
    };
  };
}

export interface TrainRecommendResult {
  readonly bundle: RecommendBundle;
  readonly evaluation: TrainRecommendEvaluation;
  readonly metrics: Record<string, unknown>;
  readonly trainedOn: Record<string, unknown>;
  /** Hyper-parameters of the served model that differ from the registry's (a shortened winner). */
  readonly params: Readonly<Record<string, number>>;
}

/** Leave-last-out needs users with 3+ interactions; below this many such users there is nothing to measure. */
export const MIN_EVALUABLE_USERS = 10;

/**
 * Cases scored per evaluation at most. The standard error of an NDCG@10 near 0.05 over 25,000 cases
 * is about 0.001, well under the gaps that separate the candidates; scoring is linear in cases and
 * dominates the factor models' comparison on large stores. Amazon Beauty (22,363) stays whole.
 */
export const MAX_EVALUATION_CASES = 25_000;

/** Throws before any training when leave-last-out would have too few customers to measure on. */
export function checkEvaluable(seqs: Sequences): number {
  let evaluable = 0;
  for (let u = 0; u < seqs.users; u++) {
    if (seqs.offsets[u + 1]! - seqs.offsets[u]! >= MIN_ITEMS_TO_EVALUATE) evaluable++;
  }
  if (evaluable < MIN_EVALUABLE_USERS) {
    throw new Error(
      `only ${evaluable} customers have ${MIN_ITEMS_TO_EVALUATE} or more interactions; at least ` +
        `${MIN_EVALUABLE_USERS} are needed to measure a recommender (leave-last-out)`,
    );
  }
  return evaluable;
}

/** The split with at most `max` cases: the same seeded sample of customers for validation and test. */
function sampledSplit<T extends EvaluationSplit>(split: T, max: number, seed: number): T {
  const n = split.validation.users.length;
  if (n <= max) return split;
  const rng = new Rng(seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < max; i++) {
    const j = i + rng.int(n - i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const positions = order.subarray(0, max).sort();
  return {
    ...split,
    validation: pickCases(split.validation, positions),
    test: pickCases(split.test, positions),
  };
}

/**
 * Candidates estimated under this many seconds do not inform the slowdown: their time is mostly
 * fixed overhead (compiling, allocating) that the per-unit rates do not model.
 */
const SLOWDOWN_MIN_SECONDS = 5;

const seconds = (from: number): number => (performance.now() - from) / 1000;
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export async function trainRecommendations(
  d: InteractionData,
  options: TrainRecommendOptions = {},
): Promise<TrainRecommendResult> {
  const startedAt = options.startedAt ?? performance.now();
  const seed = options.seed ?? 1;
  const requested = options.model ?? 'auto';
  const auto = requested === 'auto';
  const listed = auto ? (options.candidates ?? AUTO_CANDIDATES) : [requested, 'popularity'];
  checkRecommenderNames(listed); // unknown names fail before any work
  const candidates = [...new Set(listed)];
  if (d.itemIds.length === 0) {
    throw new Error('no interactions to learn from: import orders or product events first');
  }
  checkEvaluable(d.data.sequences);
  const budget = auto ? (options.budgetSeconds ?? DEFAULT_BUDGET_SECONDS) : Infinity;

  const extra = d.data.itemCategories ? { itemCategories: d.data.itemCategories } : {};
  const whole = leaveLastOutSplit(d.data.sequences, extra);
  const split = sampledSplit(whole, options.maxCases ?? MAX_EVALUATION_CASES, seed);
  const size = dataSize(split.refit, split.validation.users.length);
  // The serving bundle always fits an item-kNN table beside the main model. Final fits are costed
  // on the test part's size: all interactions but one per measured customer.
  const bundleExtra = COSTS['item-knn']!.fixedWork(size) * COSTS['item-knn']!.fitRate;

  const reports: CandidateReport[] = [];
  const { run, skipped } = runnable(candidates, split.train);
  for (const s of skipped) {
    reports.push({
      model: s.model,
      status: s.reason.startsWith('refused') ? 'refused' : 'skipped',
      note: s.reason,
    });
  }
  const estimates = new Map(run.map((m) => [m, estimateCandidate(m, size)]));
  const cost = (m: string): number => {
    const e = estimates.get(m);
    const steps = getRecommender(m).shorten?.default ?? 1;
    return e ? comparisonSeconds(e, steps) : Infinity;
  };
  // Popularity first (the baseline every table compares with), then cheapest first.
  const order = [...run].sort((a, b) =>
    a === 'popularity' ? -1 : b === 'popularity' ? 1 : cost(a) - cost(b),
  );

  const rows: ModelResult[] = [];
  const served = new Map<string, Record<string, number>>();
  let reserve = 0;
  let knnTable = false;
  // How much slower than estimated the candidates run so far were (a busy machine): later
  // estimates are multiplied by it, never by less than 1.
  let estimated = 0;
  let measured = 0;
  const slowdown = (): number => (estimated > 0 ? Math.max(1, measured / estimated) : 1);
  const current = (m: string): CandidateEstimate | undefined => {
    const e = estimates.get(m);
    if (!e) return undefined;
    return scaled(knnTable ? withKnnTable(e) : e, slowdown());
  };
  const total = order.length + 1;
  for (const [i, model] of order.entries()) {
    const entry = getRecommender(model);
    const estimate = current(model);
    const remaining = budget - seconds(startedAt);
    const decision =
      model === 'popularity' || !auto
        ? {
            action: 'run' as const,
            seconds: estimate && comparisonSeconds(estimate, entry.shorten?.default ?? 1),
            note: undefined,
          }
        : decideCandidate(estimate, entry.shorten, remaining, reserve * slowdown());
    const costed = {
      ...(decision.seconds !== undefined ? { estimateSeconds: decision.seconds, slowdown: slowdown() } : {}),
    };
    if (decision.action === 'skip') {
      reports.push({ model, status: 'skipped', ...costed, note: decision.note! });
      continue;
    }
    const params: Record<string, number> =
      decision.action === 'shorten' && entry.shorten ? { [entry.shorten.param]: decision.steps! } : {};
    const about = decision.seconds !== undefined ? `, estimate ${Math.ceil(decision.seconds)} s` : '';
    options.onStep?.(`${model}: fit and score twice${about}`, i, total);
    const t = performance.now();
    const trainOptions: TrainOptions = { seed, ...(Object.keys(params).length ? { params } : {}) };
    const base = { model, ...costed, ...(Object.keys(params).length ? { params } : {}) };
    try {
      rows.push(await evaluateModel(split, model, trainOptions));
      served.set(model, params);
      reports.push({
        ...base,
        status: decision.action === 'shorten' ? 'shortened' : 'ran',
        seconds: seconds(t),
        ...(decision.note ? { note: decision.note } : {}),
      });
      const steps = params[entry.shorten?.param ?? ''] ?? entry.shorten?.default ?? 1;
      if (estimate) {
        reserve = Math.max(reserve, fitSeconds(estimates.get(model)!, steps) + bundleExtra);
        const expected = comparisonSeconds(estimate, steps) / slowdown();
        if (expected >= SLOWDOWN_MIN_SECONDS) {
          estimated += expected;
          measured += seconds(t);
        }
      }
      if (SHARES_KNN.has(model)) knnTable = true;
    } catch (e) {
      reports.push({ ...base, status: 'failed', seconds: seconds(t), note: `failed: ${message(e)}` });
    }
  }

  const notRun = reports
    .filter((r) => r.status !== 'ran' && r.status !== 'shortened')
    .map((r) => ({ model: r.model, reason: r.note ?? r.status }));
  const model = auto ? bestByValidation(rows, notRun) : requested;
  const row = rows.find((r) => r.model === model);
  if (!row) {
    throw new Error(`${model} could not be evaluated: ${notRun.find((n) => n.model === model)?.reason}`);
  }
  const params = served.get(model) ?? {};
  const chosen = getRecommender(model);
  const estimate = estimates.get(model);
  const finalEstimate = estimate
    ? (fitSeconds(estimate, params[chosen.shorten?.param ?? ''] ?? chosen.shorten?.default ?? 1) +
        bundleExtra) *
      slowdown()
    : undefined;
  options.onStep?.(
    `fitting ${model} on all interactions${finalEstimate !== undefined ? `, estimate ${Math.ceil(finalEstimate)} s` : ''}`,
    total - 1,
    total,
  );
  const tFinal = performance.now();
  const bundle = await trainBundle(d, model, { seed, ...(Object.keys(params).length ? { params } : {}) });
  const finalSeconds = seconds(tFinal);

  const pop = rows.find((r) => r.model === 'popularity');
  const sampled = split.validation.users.length < whole.validation.users.length;
  const protocol =
    LEAVE_LAST_OUT_PROTOCOL +
    (sampled
      ? `; scored on a seeded sample of ${split.validation.users.length.toLocaleString('en-US')} of the ` +
        `${whole.validation.users.length.toLocaleString('en-US')} customers with 3+ interactions (the same customers for validation and test)`
      : '');
  const evaluation: TrainRecommendEvaluation = {
    protocol,
    rows,
    best: model,
    validationCases: split.validation.users.length,
    testCases: split.test.users.length,
    trainOnlyUsers: whole.trainOnlyUsers,
    skipped: notRun,
    candidates: reports,
    budget: {
      seconds: Number.isFinite(budget) ? budget : null,
      usedSeconds: seconds(startedAt),
      slowdown: slowdown(),
      finalFit: {
        model,
        ...(finalEstimate !== undefined ? { estimateSeconds: finalEstimate } : {}),
        seconds: finalSeconds,
      },
    },
  };
  const metrics: Record<string, unknown> = {
    testNdcg10: row.test.ndcg[10],
    testHr10: row.test.hr[10],
    validationNdcg10: row.validation.ndcg[10],
    popularityNdcg10: pop?.test.ndcg[10] ?? null,
    popularityHr10: pop?.test.hr[10] ?? null,
    testCases: evaluation.testCases,
    compared: rows.map((r) => ({
      model: r.model,
      validationNdcg10: r.validation.ndcg[10],
      testNdcg10: r.test.ndcg[10],
      testHr10: r.test.hr[10],
      trainSeconds: r.trainSeconds,
    })),
    skipped: notRun,
    protocol,
  };
  const trainedOn = {
    users: d.userIds.length,
    items: d.itemIds.length,
    interactions: d.data.sequences.itemIds.length,
  };
  return { bundle, evaluation, metrics, trainedOn, params };
}
