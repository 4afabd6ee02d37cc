/**
 * @module ml/linalg/cholesky
 * Dense Cholesky factorisation and solve for small symmetric positive-definite systems (k x k with
 * k up to a few hundred), in float64, row-major. Used where an exact solve is wanted: ALS fold-in of
 * a new user's history and the reference solve in tests. The large n x n case is spd-inverse.ts.
 *
 * @example
 *   const a = Float64Array.of(4, 2, 2, 3); // [[4,2],[2,3]]
 *   choleskyInPlace(a, 2);                  // lower factor L in the lower triangle
 *   const b = Float64Array.of(2, 1);
 *   choleskySolveInPlace(a, 2, b);          // b = A^-1 [2,1] = [0.5, 0]
 */

/**
 * Overwrites the lower triangle of the row-major n x n matrix `a` with L, A = L L^T (the strict
 * upper triangle is left untouched and never read). Throws when A is not positive definite, naming
 * the pivot, because a silent NaN would poison every factor downstream.
 */
export function choleskyInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]!;
    for (let p = 0; p < j; p++) d -= a[rj + p]! * a[rj + p]!;
    if (!(d > 0)) throw new Error(`cholesky: matrix is not positive definite (pivot ${j} is ${d})`);
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let p = 0; p < j; p++) s -= a[ri + p]! * a[rj + p]!;
      a[ri + j] = s * inv;
    }
  }
}

/** Solves L L^T x = b in place (b becomes x), with L from choleskyInPlace. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i]!;
    for (let p = 0; p < i; p++) s -= l[ri + p]! * b[p]!;
    b[i] = s / l[ri + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let p = i + 1; p < n; p++) s -= l[p * n + i]! * b[p]!;
    b[i] = s / l[i * n + i]!;
  }
}
