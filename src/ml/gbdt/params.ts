/**
 * @module ml/gbdt/params
 * The hyper-parameters of the histogram GBDT, each with its default and why. Names follow XGBoost /
 * LightGBM where one exists (eta = learningRate, lambda = l2, gamma = minSplitGain,
 * min_child_weight = minChildHessian) so figures from either library translate.
 *
 * @example
 *   resolveParams({ objective: 'binary', maxDepth: 4 }).learningRate; // 0.1
 */
import { availableParallelism } from 'node:os';

export type GbdtObjective = 'binary' | 'regression';

/** How a tree grows: all nodes of a level at once (XGBoost's default) or best leaf first (LightGBM's). */
export type GrowthPolicy = 'depthwise' | 'leafwise';

export interface GbdtParams {
  /** 'binary': log-loss on 0/1 labels, predictions are probabilities. 'regression': squared error. */
  objective: GbdtObjective;
  /** Boosting rounds (trees) at most; early stopping may keep fewer. */
  rounds: number;
  /** Shrinkage applied to every leaf weight; smaller generalises better but needs more rounds. */
  learningRate: number;
  /** Depth limit (root = depth 0). Applies to both growth policies. */
  maxDepth: number;
  growth: GrowthPolicy;
  /** Leaf limit for leaf-wise growth (ignored depth-wise, where 2^maxDepth bounds the leaves). */
  maxLeaves: number;
  /** Quantile bins per feature for non-missing values, at most 255 (bin 0 holds the missing values). */
  maxBins: number;
  /** L2 penalty on leaf weights: w = -G / (H + lambda). */
  lambda: number;
  /** Smallest hessian sum a child may have (XGBoost's min_child_weight). */
  minChildHessian: number;
  /** Smallest loss reduction that justifies a split (XGBoost's gamma). */
  minSplitGain: number;
  /** Fraction of rows each tree sees (sampled without replacement, seeded). */
  subsample: number;
  /** Fraction of features each tree may split on (seeded). */
  colsample: number;
  /** Stop when the validation loss has not improved for this many rounds (needs `valid`); 0 = off. */
  earlyStoppingRounds: number;
  seed: number;
  /**
   * Worker threads besides the calling one; 0 = the calling thread alone. 'auto': one per further
   * core (at most 7) when there are at least AUTO_MIN_ROWS rows, else none. The model does not
   * depend on it (the same to the bit).
   */
  threads: number | 'auto';
  /**
   * Histograms from gradients quantized each round to 8-bit integers with stochastic rounding,
   * packed one float64 a row (quantize.ts; LightGBM's use_quantized_grad), leaf values from the
   * exact gradients. Faster histograms, splits chosen on rounded sums; the same model on any
   * number of threads either way. 'auto': from AUTO_MIN_ROWS rows.
   */
  quantizedGradients: boolean | 'auto';
}

export const DEFAULT_PARAMS: Readonly<GbdtParams> = Object.freeze({
  objective: 'binary',
  rounds: 100,
  learningRate: 0.1,
  maxDepth: 6,
  growth: 'depthwise',
  maxLeaves: 31,
  maxBins: 255,
  lambda: 1,
  minChildHessian: 1,
  minSplitGain: 0,
  subsample: 1,
  colsample: 1,
  earlyStoppingRounds: 0,
  seed: 1,
  threads: 'auto',
  quantizedGradients: 'auto',
});

/**
 * 'auto' uses worker threads from this many rows: below it a training takes well under a second
 * on one thread, and starting a worker (once per process) costs about 0.1-0.5 s.
 */
export const AUTO_MIN_ROWS = 100_000;

/**
 * Whether a training of `rows` rows quantizes its gradients. 'auto' does from AUTO_MIN_ROWS, where
 * the histograms outgrow the caches and the packed ones pay (1M x 30 x 20 trees: 15-24% less CPU
 * on one thread; the bench AUC 0.8308 against 0.8303 exact); at 100k rows the two already tie on
 * CPU, so the smaller fits of the tasks keep the exact sums (docs/gbdt.md, sixth pass).
 */
export function quantizeGradients(setting: GbdtParams['quantizedGradients'], rows: number): boolean {
  return setting === 'auto' ? rows >= AUTO_MIN_ROWS : setting;
}

/** Worker threads a training of `rows` rows uses under `threads`. */
export function workerThreads(threads: GbdtParams['threads'], rows: number): number {
  if (threads !== 'auto') return threads;
  return rows >= AUTO_MIN_ROWS ? Math.min(Math.max(availableParallelism() - 1, 0), 7) : 0;
}

/** Defaults filled in and every value range-checked, so training never starts on a typo. */
export function resolveParams(p: Partial<GbdtParams> = {}): GbdtParams {
  const r: GbdtParams = { ...DEFAULT_PARAMS, ...p };
  const check = (ok: boolean, what: string): void => {
    if (!ok) throw new RangeError(`gbdt params: ${what}`);
  };
  check(r.objective === 'binary' || r.objective === 'regression', `unknown objective '${r.objective}'`);
  check(r.growth === 'depthwise' || r.growth === 'leafwise', `unknown growth '${r.growth}'`);
  check(Number.isInteger(r.rounds) && r.rounds >= 1, `rounds must be a positive integer (got ${r.rounds})`);
  check(r.learningRate > 0, `learningRate must be > 0 (got ${r.learningRate})`);
  check(Number.isInteger(r.maxDepth) && r.maxDepth >= 1 && r.maxDepth <= 30, `maxDepth in 1..30`);
  check(Number.isInteger(r.maxLeaves) && r.maxLeaves >= 2, `maxLeaves must be >= 2`);
  check(Number.isInteger(r.maxBins) && r.maxBins >= 2 && r.maxBins <= 255, `maxBins in 2..255`);
  check(
    r.lambda >= 0 && r.minChildHessian >= 0 && r.minSplitGain >= 0,
    'lambda, minChildHessian, minSplitGain >= 0',
  );
  check(r.subsample > 0 && r.subsample <= 1, `subsample in (0, 1]`);
  check(r.colsample > 0 && r.colsample <= 1, `colsample in (0, 1]`);
  check(Number.isInteger(r.earlyStoppingRounds) && r.earlyStoppingRounds >= 0, 'earlyStoppingRounds >= 0');
  check(
    r.threads === 'auto' || (Number.isInteger(r.threads) && r.threads >= 0),
    `threads must be 'auto' or an integer >= 0 (got ${r.threads})`,
  );
  check(
    r.quantizedGradients === 'auto' || typeof r.quantizedGradients === 'boolean',
    `quantizedGradients must be 'auto', true or false (got ${String(r.quantizedGradients)})`,
  );
  return r;
}
