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
import { DenseWorkspace } from '../dense/workspace.js';
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

/** Per-thread scratch, allocated once: the block's CG state lives in a DenseWorkspace so the GEMM reads it in place. */
export interface BlockScratch {
  readonly ws: DenseWorkspace;
  readonly block: number;
  readonly g: Float32Array;
  readonly xb: Float32Array;
  readonly r: Float32Array;
  readonly p: Float32Array;
  readonly ap: Float32Array;
  readonly rs: Float64Array;
}

export function blockScratch(k: number, block: number): BlockScratch {
  const ws = new DenseWorkspace(k * k + 4 * block * k);
  return {
    ws,
    block,
    g: ws.f32(k * k),
    xb: ws.f32(block * k),
    r: ws.f32(block * k),
    p: ws.f32(block * k),
    ap: ws.f32(block * k),
    rs: new Float64Array(block),
  };
}

/**
 * Updates rows [start, end) of `x` (at most `w.block` rows); a row with no interactions goes to
 * zero, its exact solution. The block's CG runs in lockstep so the dense part of every product,
 * G times a row's vector (k^2 of the k^2 + 2 k nnz per step), is one (rows x k) @ (k x k) product
 * on the SIMD GEMM: 1.37x less CPU per sweep on Beauty than row-by-row float64 loops (measured
 * here, same results to 5e-7). CG state is float32, as in `implicit`; dot products accumulate in
 * doubles.
 */
export function sweepBlock(s: SweepInput, start: number, end: number, w: BlockScratch): void {
  const { matrix, x, y, gram, k, alpha, cgSteps } = s;
  const { indptr, indices, values } = matrix;
  const { ws, g, xb, r, p, ap, rs } = w;
  const rows = end - start;
  for (let q = 0; q < k * k; q++) g[q] = gram[q]!;
  xb.set(x.subarray(start * k, end * k));
  ws.gemmAt(false, false, rows, k, k, xb, 0, k, g, 0, k, r, 0, k, false);
  for (let row = 0; row < rows; row++) {
    const o = row * k;
    const lo = indptr[start + row]!;
    const hi = indptr[start + row + 1]!;
    if (lo === hi) {
      xb.fill(0, o, o + k);
      p.fill(0, o, o + k);
      rs[row] = 0;
      continue;
    }
    for (let a = 0; a < k; a++) r[o + a] = -r[o + a]!;
    for (let j = lo; j < hi; j++) {
      const iy = indices[j]! * k;
      const c = alpha * values[j]!;
      let dot = 0;
      for (let a = 0; a < k; a++) dot += y[iy + a]! * xb[o + a]!;
      const coef = 1 + c - c * dot;
      for (let a = 0; a < k; a++) r[o + a]! += coef * y[iy + a]!;
    }
    let rsOld = 0;
    for (let a = 0; a < k; a++) {
      p[o + a] = r[o + a]!;
      rsOld += r[o + a]! * r[o + a]!;
    }
    rs[row] = rsOld;
  }
  for (let step = 0; step < cgSteps; step++) {
    ws.gemmAt(false, false, rows, k, k, p, 0, k, g, 0, k, ap, 0, k, false);
    for (let row = 0; row < rows; row++) {
      const rsOld = rs[row]!;
      if (!(rsOld > 1e-20)) continue; // converged (or empty): nothing left to move
      const o = row * k;
      for (let j = indptr[start + row]!; j < indptr[start + row + 1]!; j++) {
        const iy = indices[j]! * k;
        let dot = 0;
        for (let a = 0; a < k; a++) dot += y[iy + a]! * p[o + a]!;
        const coef = alpha * values[j]! * dot;
        for (let a = 0; a < k; a++) ap[o + a]! += coef * y[iy + a]!;
      }
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[o + a]! * ap[o + a]!;
      const step_ = rsOld / pAp;
      let rsNew = 0;
      for (let a = 0; a < k; a++) {
        xb[o + a]! += step_ * p[o + a]!;
        r[o + a]! -= step_ * ap[o + a]!;
        rsNew += r[o + a]! * r[o + a]!;
      }
      const beta = rsNew / rsOld;
      for (let a = 0; a < k; a++) p[o + a] = r[o + a]! + beta * p[o + a]!;
      rs[row] = rsNew;
    }
  }
  x.set(xb.subarray(0, rows * k), start * k);
}
