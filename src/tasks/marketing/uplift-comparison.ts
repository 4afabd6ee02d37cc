/**
 * @module tasks/marketing/uplift-comparison
 * The uplift evaluation protocol, shared by `npm run eval` (Hillstrom) and `train uplift` (model
 * choice): repeated stratified train/test splits (strata: treatment x outcome, test share 30%),
 * every candidate fitted on the training part and scored on the test part by the Qini coefficient
 * and uplift at 30% (scikit-uplift's definitions, `by_group`), beside two baselines that use no
 * uplift model: a response model (P(outcome | x) fitted on the treated rows only, "target likely
 * buyers") and random targeting (a seeded uniform score).
 *
 * @example
 *   const runs = compareUplift(x, y, t, CANDIDATES, [0, 1, 2]);
 *   summarise(runs).find((s) => s.name === 't-learner logistic')?.qini.mean;
 */
import { Rng } from '../../core/random.js';
import {
  fitClassifier,
  predictBase,
  type BaseLearnerSpec,
  type Matrix,
} from '../../ml/uplift/base-learner.js';
import { fitUplift, predictUplift, type UpliftSpec } from '../../ml/uplift/learners.js';
import { qiniAucScore, upliftAtK } from '../../ml/uplift/metrics.js';
import { stratifiedSplit } from '../../ml/uplift/stratified-split.js';

export const TEST_SHARE = 0.3;
export const TOP_SHARE = 0.3;
export const RESPONSE_MODEL = 'response model';
export const RANDOM = 'random';

export interface Candidate {
  readonly name: string;
  readonly spec: UpliftSpec;
}

export interface SplitScore {
  readonly seed: number;
  /** Qini coefficient and uplift at 30% on the test part, per candidate name (and the baselines). */
  readonly qini: Readonly<Record<string, number>>;
  readonly upliftAt30: Readonly<Record<string, number>>;
}

export interface Summary {
  readonly name: string;
  readonly qini: { readonly mean: number; readonly sd: number };
  readonly upliftAt30: { readonly mean: number; readonly sd: number };
}

/** Rows of `x` (and their outcome and flag) at the given indices. */
export function takeRows(
  x: Matrix,
  y: Float32Array,
  t: Uint8Array,
  idx: Int32Array,
): { x: Matrix; y: Float32Array; t: Uint8Array } {
  const f = new Float32Array(idx.length * x.cols);
  idx.forEach((r, k) => f.set(x.features.subarray(r * x.cols, (r + 1) * x.cols), k * x.cols));
  return {
    x: { features: f, rows: idx.length, cols: x.cols },
    y: Float32Array.from(idx, (r) => y[r]!),
    t: Uint8Array.from(idx, (r) => t[r]!),
  };
}

export function compareUplift(
  x: Matrix,
  y: Float32Array,
  t: Uint8Array,
  candidates: readonly Candidate[],
  seeds: readonly number[],
  responseBase: BaseLearnerSpec = { kind: 'logistic' },
): SplitScore[] {
  const strata = Int32Array.from(y, (v, i) => 2 * t[i]! + v);
  return seeds.map((seed) => {
    const split = stratifiedSplit(strata, TEST_SHARE, seed);
    const train = takeRows(x, y, t, split.train);
    const test = takeRows(x, y, t, split.test);
    const qini: Record<string, number> = {};
    const upliftAt30: Record<string, number> = {};
    const score = (name: string, u: Float64Array): void => {
      qini[name] = qiniAucScore(test.y, u, test.t);
      upliftAt30[name] = upliftAtK(test.y, u, test.t, TOP_SHARE, 'by_group');
    };
    for (const c of candidates) {
      score(
        c.name,
        predictUplift(fitUplift(train.x, train.y, train.t, c.spec), test.x.features, test.x.rows),
      );
    }
    const treatedRows = Int32Array.from({ length: train.x.rows }, (_, k) => k).filter(
      (k) => train.t[k] === 1,
    );
    const treated = takeRows(train.x, train.y, train.t, treatedRows);
    const response = fitClassifier(responseBase, treated.x, treated.y);
    score(RESPONSE_MODEL, predictBase(response, test.x.features, test.x.rows));
    const rng = new Rng(1000 + seed);
    score(
      RANDOM,
      Float64Array.from({ length: test.x.rows }, () => rng.float()),
    );
    return { seed, qini, upliftAt30 };
  });
}

function meanSd(v: readonly number[]): { mean: number; sd: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  // Sample standard deviation (n - 1), as numpy's std(ddof=1) and pandas report spread over splits.
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, sd };
}

/** Mean and standard deviation over the splits, per candidate and baseline, in the order first seen. */
export function summarise(runs: readonly SplitScore[]): Summary[] {
  const names = Object.keys(runs[0]?.qini ?? {});
  return names.map((name) => ({
    name,
    qini: meanSd(runs.map((r) => r.qini[name]!)),
    upliftAt30: meanSd(runs.map((r) => r.upliftAt30[name]!)),
  }));
}
