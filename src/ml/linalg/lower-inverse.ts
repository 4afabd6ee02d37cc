/**
 * @module ml/linalg/lower-inverse
 * The inverse of a small lower-triangular matrix in float64, by forward substitution column by
 * column: the diagonal tiles of the blocked SPD inverses (spd-inverse.ts, spd-inverse-panels.ts).
 *
 * @example
 *   const out = new Float64Array(4);
 *   lowerInverse(Float64Array.of(2, 0, 1, 4), 2, out); // [[0.5, 0], [-0.125, 0.25]]
 */

/** Inverts the lower-triangular t x t `l` (float64, row-major) into `out` (zeros above the diagonal). */
export function lowerInverse(l: Float64Array, t: number, out: Float64Array): void {
  out.fill(0, 0, t * t);
  for (let j = 0; j < t; j++) {
    out[j * t + j] = 1 / l[j * t + j]!;
    for (let i = j + 1; i < t; i++) {
      let s = 0;
      for (let p = j; p < i; p++) s += l[i * t + p]! * out[p * t + j]!;
      out[i * t + j] = -s / l[i * t + i]!;
    }
  }
}
