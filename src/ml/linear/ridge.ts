/**
 * @module ml/linear/ridge
 * Ridge (L2) linear regression, the linear regressor beside `logistic.ts`: the X-learner's second
 * stage regresses imputed treatment effects, which are not 0/1. Features are standardised the same
 * way (mean 0, population sd 1, NaN imputed with the mean, constant features coefficient 0), and
 *
 *   sum_i (y_i - b0 - z_i . w)^2 + l2 ||w||^2        (intercept b0 not penalised)
 *
 * is solved exactly by the normal equations (Cholesky of the (d+1) x (d+1) system): scikit-learn's
 * `StandardScaler` + `Ridge(alpha = l2)`.
 *
 * @example
 *   const m = trainRidge({ features: Float32Array.of(0, 1, 2), rows: 3, cols: 1, targets: Float64Array.of(1, 3, 5), l2: 0 });
 *   m.coef[0]; m.intercept; // 2, 1
 */
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';
import { linearMargins, standardisation } from './logistic.js';

export interface RidgeModel {
  readonly cols: number;
  /** Coefficients in original units, and the intercept (the prediction at x = 0). */
  readonly coef: Float64Array;
  readonly intercept: number;
  /** Training means (imputation of NaN) and population standard deviations. */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  readonly l2: number;
}

export interface TrainRidgeInput {
  /** Row-major rows x cols, NaN = missing. */
  readonly features: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly targets: ArrayLike<number>;
  /** Penalty on standardised coefficients (scikit-learn's alpha); default 1. */
  readonly l2?: number;
}

export function trainRidge(input: TrainRidgeInput): RidgeModel {
  const { features: x, rows: n, cols: d, targets: y } = input;
  const l2 = input.l2 ?? 1;
  if (x.length !== n * d) throw new Error(`ridge: ${x.length} values is not ${n} rows x ${d} features`);
  if (y.length !== n) throw new Error(`ridge: ${y.length} targets for ${n} rows`);
  if (!(l2 >= 0)) throw new RangeError(`ridge: l2 must be >= 0 (got ${l2})`);
  for (let r = 0; r < n; r++) {
    if (!Number.isFinite(y[r]!)) throw new Error(`ridge: target ${y[r]} at row ${r} is not a finite number`);
  }
  const { mean, scale } = standardisation(x, n, d);
  const k = d + 1;
  const a = new Float64Array(k * k);
  const b = new Float64Array(k);
  const row = new Float64Array(k);
  for (let r = 0; r < n; r++) {
    row[0] = 1;
    for (let j = 0; j < d; j++) {
      const v = x[r * d + j]!;
      row[j + 1] = v === v && scale[j]! > 0 ? (v - mean[j]!) / scale[j]! : 0;
    }
    for (let p = 0; p < k; p++) {
      b[p]! += row[p]! * y[r]!;
      for (let q = 0; q <= p; q++) a[p * k + q]! += row[p]! * row[q]!;
    }
  }
  for (let p = 1; p < k; p++) {
    a[p * k + p]! += l2;
    // A constant column (all zeros after standardising) would leave a zero pivot when l2 = 0.
    if (a[p * k + p] === 0) a[p * k + p] = 1;
  }
  choleskyInPlace(a, k);
  choleskySolveInPlace(a, k, b);
  const coef = new Float64Array(d);
  let intercept = b[0]!;
  for (let j = 0; j < d; j++) {
    if (!(scale[j]! > 0)) continue;
    coef[j] = b[j + 1]! / scale[j]!;
    intercept -= coef[j]! * mean[j]!;
  }
  return { cols: d, coef, intercept, mean, scale, l2 };
}

/** Predictions, one per row; NaN features are replaced by the training mean. */
export function predictRidge(model: RidgeModel, features: Float32Array, rows: number): Float64Array {
  return linearMargins('ridge', model, features, rows);
}
