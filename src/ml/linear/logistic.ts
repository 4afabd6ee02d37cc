/**
 * @module ml/linear/logistic
 * L2-regularised logistic regression, the linear baseline every classification task reports next
 * to the GBDT. Features are standardised internally (mean 0, population sd 1), and the fitted
 * objective is
 *
 *   sum_i logloss(y_i, b0 + z_i . w) + (l2 / 2) ||w||^2        (intercept b0 not penalised)
 *
 * which is scikit-learn's `StandardScaler` + `LogisticRegression(C = 1 / l2)`. It is solved by
 * Newton's method (IRLS) with a Cholesky solve of the (d+1) x (d+1) Hessian; a few iterations
 * reach machine precision for the tens of features the tasks use.
 *
 * Missing values (NaN) are imputed with the training mean of their feature, i.e. they contribute
 * nothing to the margin (standardised value 0). A constant feature gets coefficient 0.
 *
 *   trainLogistic({ features, rows, cols, labels, l2 = 1 }): LogisticModel
 *   predictLogistic(model, features, rows): Float64Array of probabilities
 *
 * @example
 *   const m = trainLogistic({ features, rows, cols, labels, l2: 1 });
 *   m.coef; m.intercept; // in original feature units: logit p = intercept + sum coef_j x_j
 */
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';

export interface LogisticModel {
  readonly cols: number;
  /** Per-feature coefficients in original units (change in log-odds per unit of the feature). */
  readonly coef: Float64Array;
  /** Intercept in original units (the log-odds at x = 0, missing values aside). */
  readonly intercept: number;
  /** Training means (used for imputation) and standard deviations of the features. */
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /** Coefficients on standardised features (comparable across features), and their intercept. */
  readonly coefStandardised: Float64Array;
  readonly interceptStandardised: number;
  readonly l2: number;
  /** Newton iterations run. */
  readonly iterations: number;
}

export interface TrainLogisticInput {
  /** Row-major rows x cols, NaN = missing. */
  readonly features: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** 0/1 per row. */
  readonly labels: Float32Array;
  /** L2 penalty on standardised coefficients (= 1 / C in scikit-learn); default 1. */
  readonly l2?: number;
  readonly maxIterations?: number;
}

export function trainLogistic(input: TrainLogisticInput): LogisticModel {
  const { features: x, rows: n, cols: d, labels: y } = input;
  const l2 = input.l2 ?? 1;
  const maxIterations = input.maxIterations ?? 100;
  if (x.length !== n * d) throw new Error(`logistic: ${x.length} values is not ${n} rows x ${d} features`);
  if (y.length !== n) throw new Error(`logistic: ${y.length} labels for ${n} rows`);
  if (!(l2 >= 0)) throw new RangeError(`logistic: l2 must be >= 0 (got ${l2})`);
  for (let r = 0; r < n; r++) {
    if (y[r] !== 0 && y[r] !== 1) throw new Error(`logistic: label ${y[r]} at row ${r} (need 0 or 1)`);
  }

  const { mean, scale } = standardisation(x, n, d);
  // Standardised copy, row-major; NaN -> 0 (the mean). Constant features stay 0.
  const z = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const v = x[r * d + j]!;
      z[r * d + j] = v === v && scale[j]! > 0 ? (v - mean[j]!) / scale[j]! : 0;
    }
  }

  const k = d + 1; // parameter 0 is the intercept
  const beta = new Float64Array(k);
  const grad = new Float64Array(k);
  const hess = new Float64Array(k * k);
  const row = new Float64Array(k);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    grad.fill(0);
    hess.fill(0);
    for (let r = 0; r < n; r++) {
      row[0] = 1;
      let m = beta[0]!;
      for (let j = 0; j < d; j++) {
        row[j + 1] = z[r * d + j]!;
        m += beta[j + 1]! * row[j + 1]!;
      }
      const p = 1 / (1 + Math.exp(-m));
      const g = p - y[r]!;
      const w = p * (1 - p);
      for (let a = 0; a < k; a++) {
        const ra = row[a]!;
        if (ra === 0) continue;
        grad[a]! += g * ra;
        const wa = w * ra;
        // Lower triangle only: the Cholesky factorisation reads no more.
        for (let b = 0; b <= a; b++) hess[a * k + b]! += wa * row[b]!;
      }
    }
    for (let a = 1; a < k; a++) {
      grad[a]! += l2 * beta[a]!;
      hess[a * k + a]! += l2;
      // A constant (all-zero) column would leave a zero pivot when l2 = 0.
      if (hess[a * k + a] === 0) hess[a * k + a] = 1;
    }
    // Newton step: solve H step = grad (only the lower triangle of H is filled, and read).
    choleskyInPlace(hess, k);
    const step = grad;
    choleskySolveInPlace(hess, k, step);
    let biggest = 0;
    for (let a = 0; a < k; a++) {
      beta[a]! -= step[a]!;
      biggest = Math.max(biggest, Math.abs(step[a]!));
    }
    if (biggest < 1e-10) {
      iterations++;
      break;
    }
  }

  const coefStandardised = beta.slice(1);
  const coef = new Float64Array(d);
  let intercept = beta[0]!;
  for (let j = 0; j < d; j++) {
    if (!(scale[j]! > 0)) continue;
    coef[j] = coefStandardised[j]! / scale[j]!;
    intercept -= coef[j]! * mean[j]!;
  }
  return {
    cols: d,
    coef,
    intercept,
    mean,
    scale,
    coefStandardised,
    interceptStandardised: beta[0]!,
    l2,
    iterations,
  };
}

/** Probabilities, one per row; NaN features are replaced by the training mean. */
export function predictLogistic(model: LogisticModel, features: Float32Array, rows: number): Float64Array {
  return linearMargins('logistic', model, features, rows).map((m) => 1 / (1 + Math.exp(-m)));
}

/**
 * intercept + coef . x per row, NaN features replaced by the training mean: the margin of the
 * logistic model and the prediction of the ridge model.
 */
export function linearMargins(
  what: string,
  model: {
    readonly cols: number;
    readonly coef: Float64Array;
    readonly intercept: number;
    readonly mean: Float64Array;
  },
  features: Float32Array,
  rows: number,
): Float64Array {
  const d = model.cols;
  if (features.length !== rows * d) {
    throw new Error(`${what}: ${features.length} values is not ${rows} rows x ${d} features`);
  }
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let m = model.intercept;
    for (let j = 0; j < d; j++) {
      const v = features[r * d + j]!;
      m += model.coef[j]! * (v === v ? v : model.mean[j]!);
    }
    out[r] = m;
  }
  return out;
}

/** Per-feature mean and population standard deviation over the non-missing values. */
export function standardisation(
  x: Float32Array,
  n: number,
  d: number,
): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  const count = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const v = x[r * d + j]!;
      if (v === v) {
        mean[j]! += v;
        count[j]!++;
      }
    }
  }
  for (let j = 0; j < d; j++) mean[j] = count[j]! > 0 ? mean[j]! / count[j]! : 0;
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) {
      const v = x[r * d + j]!;
      if (v === v) scale[j]! += (v - mean[j]!) ** 2;
    }
  }
  for (let j = 0; j < d; j++) scale[j] = count[j]! > 0 ? Math.sqrt(scale[j]! / count[j]!) : 0;
  return { mean, scale };
}
