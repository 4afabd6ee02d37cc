/**
 * @module ml/optimize/hessian
 * Numerical Hessian by central differences, and standard errors from it: at a maximum-likelihood
 * estimate the asymptotic covariance of the parameters is the inverse of the Hessian of the
 * negative log-likelihood, so each standard error is sqrt(diag(H^-1)).
 *
 * @example
 *   // f = x²/2 + 2y²: H = diag(1, 4), standard errors [1, 0.5]
 *   standardErrors((p) => p[0]! ** 2 / 2 + 2 * p[1]! ** 2, Float64Array.of(0.3, -0.2)); // [1, 0.5]
 */
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';
import type { Objective } from './types.js';

/**
 * Step, about epsilon^(1/4) (relative beyond 1): balances truncation (h²) against rounding (eps/h²).
 * Positive parameters should be passed as logs, which makes the step relative to their size.
 */
const STEP = 1e-4;

/** The n x n Hessian of f at x, row-major. `x` is restored. */
export function numericHessian(f: Objective, x: Float64Array): Float64Array {
  const n = x.length;
  const H = new Float64Array(n * n);
  const h = Float64Array.from(x, (v) => STEP * Math.max(Math.abs(v), 1));
  const f0 = f(x);
  const at = (i: number, di: number, j: number, dj: number): number => {
    const xi = x[i]!;
    const xj = x[j]!;
    x[i] = xi + di;
    x[j] = x[j]! + dj;
    const v = f(x);
    x[i] = xi;
    x[j] = xj;
    return v;
  };
  for (let i = 0; i < n; i++) {
    const hi = h[i]!;
    H[i * n + i] = (at(i, hi, i, 0) - 2 * f0 + at(i, -hi, i, 0)) / (hi * hi);
    for (let j = i + 1; j < n; j++) {
      const hj = h[j]!;
      const v =
        (at(i, hi, j, hj) - at(i, hi, j, -hj) - at(i, -hi, j, hj) + at(i, -hi, j, -hj)) / (4 * hi * hj);
      H[i * n + j] = v;
      H[j * n + i] = v;
    }
  }
  return H;
}

/**
 * sqrt(diag(H^-1)) of f's Hessian at x (a minimum of f). When H is not positive definite (a flat or
 * saddle direction, i.e. the data do not pin a parameter down) every entry is Infinity, never NaN.
 */
export function standardErrors(f: Objective, x: Float64Array): Float64Array {
  const n = x.length;
  const inv = invertSpd(numericHessian(f, x), n);
  return inv
    ? Float64Array.from({ length: n }, (_, i) => Math.sqrt(inv[i * n + i]!))
    : new Float64Array(n).fill(Infinity);
}

/** Inverse of a symmetric positive-definite matrix by Cholesky (ml/linalg); null when it is not SPD. */
export function invertSpd(A: Float64Array, n: number): Float64Array | null {
  if (!A.every(Number.isFinite)) return null;
  const L = Float64Array.from(A);
  try {
    choleskyInPlace(L, n);
  } catch {
    return null; // not positive definite: a flat or saddle direction
  }
  const inv = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    column.fill(0);
    column[c] = 1;
    choleskySolveInPlace(L, n, column);
    for (let i = 0; i < n; i++) inv[i * n + c] = column[i]!;
  }
  return inv;
}
