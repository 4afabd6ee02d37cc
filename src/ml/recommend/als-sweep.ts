/**
 * @module ml/recommend/als-sweep
 * One half-sweep of implicit ALS (Hu, Koren, Volinsky 2008) over a range of rows, solved by a few
 * conjugate-gradient steps warm-started from the current factors (Takács et al. 2011; the scheme of
 * the `implicit` library). Pure typed-array code shared by the main thread and the worker threads.
 *
 * For row u with observed columns i (weight r_ui, confidence c_ui = 1 + alpha r_ui) the exact
 * update solves  (Y^T Y + reg I + sum_i alpha r_ui y_i y_i^T) x_u = sum_i c_ui y_i.
 * CG only needs the matrix-vector product, which costs k^2 + 2 k nnz(u) instead of forming the
 * k x k system (k^2 nnz(u)) and factorising it (k^3 / 3).
 */
import type { Csr } from '../sparse/csr.js';

export interface SweepInput {
  /** Rows being solved (users, or items via the transpose); values are raw interaction weights. */
  readonly matrix: Pick<Csr, 'indptr' | 'indices' | 'values'>;
  /** Factors being updated in place, rows x k. */
  readonly x: Float32Array;
  /** The fixed side's factors, cols x k. */
  readonly y: Float32Array;
  /** Y^T Y + reg I of the fixed side (k x k, float64). */
  readonly gram: Float64Array;
  readonly k: number;
  readonly alpha: number;
  readonly cgSteps: number;
}

/** Per-thread scratch, allocated once: the hot loop allocates nothing. */
export interface SweepScratch {
  readonly xs: Float64Array;
  readonly r: Float64Array;
  readonly p: Float64Array;
  readonly ap: Float64Array;
}

export function sweepScratch(k: number): SweepScratch {
  return { xs: new Float64Array(k), r: new Float64Array(k), p: new Float64Array(k), ap: new Float64Array(k) };
}

/** Updates rows [start, end) of `x`. Rows with no interactions go to zero (their exact solution). */
export function sweepRows(s: SweepInput, start: number, end: number, w: SweepScratch): void {
  const { matrix, x, y, gram, k, alpha, cgSteps } = s;
  const { indptr, indices, values } = matrix;
  const { xs, r, p, ap } = w;
  for (let u = start; u < end; u++) {
    const ux = u * k;
    const lo = indptr[u]!;
    const hi = indptr[u + 1]!;
    if (lo === hi) {
      x.fill(0, ux, ux + k);
      continue;
    }
    for (let a = 0; a < k; a++) xs[a] = x[ux + a]!;
    // r = b - A x, with A x = G x + sum_i c_i (y_i . x) y_i and b = sum_i (1 + c_i) y_i.
    matVec(gram, k, xs, r);
    for (let a = 0; a < k; a++) r[a] = -r[a]!;
    for (let j = lo; j < hi; j++) {
      const iy = indices[j]! * k;
      const c = alpha * values[j]!;
      let dot = 0;
      for (let a = 0; a < k; a++) dot += y[iy + a]! * xs[a]!;
      const coef = 1 + c - c * dot;
      for (let a = 0; a < k; a++) r[a]! += coef * y[iy + a]!;
    }
    let rsOld = 0;
    for (let a = 0; a < k; a++) {
      p[a] = r[a]!;
      rsOld += r[a]! * r[a]!;
    }
    for (let step = 0; step < cgSteps && rsOld > 1e-20; step++) {
      matVec(gram, k, p, ap);
      for (let j = lo; j < hi; j++) {
        const iy = indices[j]! * k;
        let dot = 0;
        for (let a = 0; a < k; a++) dot += y[iy + a]! * p[a]!;
        const coef = alpha * values[j]! * dot;
        for (let a = 0; a < k; a++) ap[a]! += coef * y[iy + a]!;
      }
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[a]! * ap[a]!;
      const step_ = rsOld / pAp;
      let rsNew = 0;
      for (let a = 0; a < k; a++) {
        xs[a]! += step_ * p[a]!;
        r[a]! -= step_ * ap[a]!;
        rsNew += r[a]! * r[a]!;
      }
      const beta = rsNew / rsOld;
      for (let a = 0; a < k; a++) p[a] = r[a]! + beta * p[a]!;
      rsOld = rsNew;
    }
    for (let a = 0; a < k; a++) x[ux + a] = xs[a]!;
  }
}

/**
 * out = G v for a k x k row-major G. Four rows at a time so each v[b] load feeds four products:
 * this product is most of a sweep's arithmetic (k^2 per CG step per row).
 */
function matVec(g: Float64Array, k: number, v: Float64Array, out: Float64Array): void {
  let a = 0;
  for (; a + 3 < k; a += 4) {
    const g0 = a * k;
    const g1 = g0 + k;
    const g2 = g1 + k;
    const g3 = g2 + k;
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (let b = 0; b < k; b++) {
      const vb = v[b]!;
      t0 += g[g0 + b]! * vb;
      t1 += g[g1 + b]! * vb;
      t2 += g[g2 + b]! * vb;
      t3 += g[g3 + b]! * vb;
    }
    out[a] = t0;
    out[a + 1] = t1;
    out[a + 2] = t2;
    out[a + 3] = t3;
  }
  for (; a < k; a++) {
    const ga = a * k;
    let t = 0;
    for (let b = 0; b < k; b++) t += g[ga + b]! * v[b]!;
    out[a] = t;
  }
}
