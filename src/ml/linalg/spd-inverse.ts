/**
 * @module ml/linalg/spd-inverse
 * The inverse of a large symmetric positive-definite matrix (n x n, n up to ~20,000), in float32,
 * by blocked Cholesky: A = L L^T (potrf), W = L^-1 (trtri), A^-1 = W^T W (lauum), the LAPACK
 * sequence. Each step is n^3/6 multiply-adds spent in tile products that run on the shared SIMD
 * GEMM (ml/dense) in place, with row strides, inside one DenseWorkspace; only the nb x nb diagonal
 * tiles are factorised and inverted in float64 JS. Total n^3/2 multiply-adds, half of Gauss-Jordan.
 *
 * @example
 *   const ws = new DenseWorkspace(spdInverseFloats(n));
 *   const a = ws.f32(n * n); // fill with an SPD matrix, row-major
 *   spdInverseInPlace(ws, a, n); // a = A^-1 (both triangles)
 *
 * Precision: float32 storage and products, float64 for the diagonal tiles. Fine for a
 * well-conditioned matrix such as EASE's X^T X + lambda I (condition number about
 * 1 + max eigenvalue / lambda); it is not a general-purpose solver for ill-conditioned systems.
 */
import { denseEngine } from '../dense/engine.js';
import { DenseWorkspace } from '../dense/workspace.js';
import { choleskyInPlace } from './cholesky.js';
import { lowerInverse } from './lower-inverse.js';
import {
  spdInversePanelsFloats,
  spdInversePanelsInPlace,
  spdInversePanelsScratch,
} from './spd-inverse-panels.js';

/** Tile size: large enough that tile products run at full GEMM speed, small enough for float64 JS. */
export const SPD_BLOCK = 64;

/** Floats a DenseWorkspace needs for spdInverseTilesInPlace: the matrix plus three n x block scratch panels. */
export function spdInverseTilesFloats(n: number, block = SPD_BLOCK): number {
  const nb = Math.min(block, n);
  return n * n + 3 * n * nb + 3 * nb * nb;
}

/**
 * Floats a DenseWorkspace needs for spdInverseInPlace on this thread's dense engine: with
 * onnxruntime the panel form (1.5 n^2, every product one dense call), else the tile form (n^2).
 */
export function spdInverseFloats(n: number): number {
  return denseEngine() === 'onnxruntime' ? spdInversePanelsFloats(n) : spdInverseTilesFloats(n);
}

/**
 * Replaces the SPD matrix `a` (a view of `ws`, n x n row-major, lower triangle read) by its inverse.
 * With onnxruntime as the dense engine and room in `ws` for the panels, the panel form runs
 * (spd-inverse-panels.ts: dense tall products, which onnxruntime takes); otherwise the tile form
 * below, whose strided tile products suit the wasm kernels. Both give A^-1 to float32 precision.
 */
export function spdInverseInPlace(ws: DenseWorkspace, a: Float32Array, n: number): void {
  if (denseEngine() === 'onnxruntime' && ws.free >= spdInversePanelsScratch(n) * 4 + 64 * 16) {
    spdInversePanelsInPlace(ws, a, n);
  } else {
    spdInverseTilesInPlace(ws, a, n);
  }
}

/** Depth and width of one GEMM call: a KC x NC operand (1 MB) stays in this machine's 2 MB L2. */
const KC = 256;
const NC = 1024;

/**
 * ws.gemmAt split into KC-deep, NC-wide calls (accumulating over depth), because the kernel streams
 * its whole B operand once per 4 rows of A: a 12,000-wide B would come from memory every time.
 * Wanted from ml/dense (noted for its owner): this cache blocking inside gemm itself, a subtracting
 * form (alpha = -1, which would save the negated panel copy) and a two-thread gemm; each would speed
 * EASE up directly.
 */
function gemmBlocked(
  ws: DenseWorkspace,
  transA: boolean,
  transB: boolean,
  m: number,
  k: number,
  n: number,
  a: Float32Array,
  aAt: number,
  lda: number,
  b: Float32Array,
  bAt: number,
  ldb: number,
  c: Float32Array,
  cAt: number,
  ldc: number,
  accumulate: boolean,
): void {
  for (let n0 = 0; n0 < n; n0 += NC) {
    const nw = Math.min(NC, n - n0);
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kw = Math.min(KC, k - k0);
      // op(A)[:, k0:] starts k0 columns (or, transposed, k0 rows) into A; op(B)[k0:, n0:] likewise.
      const aOff = aAt + (transA ? k0 * lda : k0);
      const bOff = bAt + (transB ? n0 * ldb + k0 : k0 * ldb + n0);
      ws.gemmAt(
        transA,
        transB,
        m,
        kw,
        nw,
        a,
        aOff,
        lda,
        b,
        bOff,
        ldb,
        c,
        cAt + n0,
        ldc,
        accumulate || k0 > 0,
      );
    }
  }
}

/**
 * Replaces the SPD matrix `a` (a view of `ws`, n x n row-major, both triangles filled) by its
 * inverse, tile by tile with strided products in place. Throws if a diagonal tile is not positive definite.
 */
export function spdInverseTilesInPlace(
  ws: DenseWorkspace,
  a: Float32Array,
  n: number,
  block = SPD_BLOCK,
): void {
  if (a.length < n * n) throw new Error(`spdInverseInPlace: ${a.length} floats for a ${n} x ${n} matrix`);
  const nb = Math.min(block, n);
  const tiles = Math.ceil(n / nb);
  const panel = ws.f32(n * nb); // potrf panel (negated) / lauum output rows
  const negInv = ws.f32(n * nb); // -L_II^-1 for every diagonal tile, packed nb x nb each
  const tri = ws.f32(nb * nb); // L_JJ^-T operand / trtri partial sums
  const sum = ws.f32(nb * nb);
  const t64 = new Float64Array(nb * nb);
  const inv64 = new Float64Array(nb * nb);
  const lo = (t: number): number => t * nb;
  const hi = (t: number): number => Math.min(n, (t + 1) * nb);

  // 1. potrf, right-looking: factor tile (J,J), solve the panel below it, update the trailing part.
  for (let tj = 0; tj < tiles; tj++) {
    const j0 = lo(tj);
    const j1 = hi(tj);
    const jb = j1 - j0;
    for (let r = 0; r < jb; r++) for (let c = 0; c <= r; c++) t64[r * jb + c] = a[(j0 + r) * n + j0 + c]!;
    try {
      choleskyInPlace(t64, jb);
    } catch {
      throw new Error(`spdInverseInPlace: matrix is not positive definite (in rows ${j0}-${j1 - 1})`);
    }
    lowerInverse(t64, jb, inv64);
    for (let r = 0; r < jb; r++) {
      for (let c = 0; c < jb; c++) {
        a[(j0 + r) * n + j0 + c] = c <= r ? t64[r * jb + c]! : 0;
        negInv[j0 * nb + r * jb + c] = -inv64[r * jb + c]!;
        tri[r * jb + c] = inv64[r * jb + c]!;
      }
    }
    const rest = n - j1;
    if (rest === 0) continue;
    // L[j1:, J] = A[j1:, J] L_JJ^-T, through the scratch panel (a product must not write its input).
    ws.gemmAt(false, true, rest, jb, jb, a, j1 * n + j0, n, tri, 0, jb, panel, 0, jb, false);
    for (let r = 0; r < rest; r++) {
      const row = (j1 + r) * n + j0;
      for (let c = 0; c < jb; c++) {
        const v = panel[r * jb + c]!;
        a[row + c] = v;
        panel[r * jb + c] = -v; // negated: the GEMM only adds, and the update subtracts
      }
    }
    // A[I, j1:i1] -= L[I, J] L[j1:i1, J]^T for each tile row I below: the lower part only.
    for (let ti = tj + 1; ti < tiles; ti++) {
      const i0 = lo(ti);
      const i1 = hi(ti);
      gemmBlocked(
        ws,
        false,
        true,
        i1 - i0,
        jb,
        i1 - j1,
        panel,
        (i0 - j1) * jb,
        jb,
        a,
        j1 * n + j0,
        n,
        a,
        i0 * n + j1,
        n,
        true,
      );
    }
  }

  // 2. trtri: W = L^-1 in place, column tile by column tile:
  //    W_JJ = L_JJ^-1, W_IJ = -L_II^-1 (sum_{K=J..I-1} L_IK W_KJ) for I > J, I ascending.
  for (let tj = 0; tj < tiles; tj++) {
    const j0 = lo(tj);
    const j1 = hi(tj);
    const jb = j1 - j0;
    for (let r = 0; r < jb; r++) {
      for (let c = 0; c < jb; c++) a[(j0 + r) * n + j0 + c] = -negInv[j0 * nb + r * jb + c]!;
    }
    for (let ti = tj + 1; ti < tiles; ti++) {
      const i0 = lo(ti);
      const ib = hi(ti) - i0;
      gemmBlocked(ws, false, false, ib, i0 - j0, jb, a, i0 * n + j0, n, a, j0 * n + j0, n, sum, 0, jb, false);
      ws.gemmAt(false, false, ib, ib, jb, negInv, i0 * nb, ib, sum, 0, jb, a, i0 * n + j0, n, false);
    }
  }

  // 3. lauum: A^-1 = W^T W; row tile I of the lower triangle is W[i0:, I]^T W[i0:, 0:i1].
  // Rows i0.. of W are still unread by later tiles' outputs, so writing row tile I back is safe.
  for (let ti = 0; ti < tiles; ti++) {
    const i0 = lo(ti);
    const i1 = hi(ti);
    const ib = i1 - i0;
    gemmBlocked(ws, true, false, ib, n - i0, i1, a, i0 * n + i0, n, a, i0 * n, n, panel, 0, i1, false);
    for (let r = 0; r < ib; r++) a.set(panel.subarray(r * i1, r * i1 + i1), (i0 + r) * n);
  }

  // 4. Mirror the lower triangle into the upper one, in tiles so both reads stay in cache.
  const T = 64;
  for (let bi = 0; bi < n; bi += T) {
    for (let bj = 0; bj <= bi; bj += T) {
      const ie = Math.min(n, bi + T);
      const je = Math.min(n, bj + T);
      for (let i = bi; i < ie; i++) for (let j = bj; j < Math.min(je, i); j++) a[j * n + i] = a[i * n + j]!;
    }
  }
}

/**
 * Convenience for small matrices and tests: returns the inverse of a row-major SPD `m` (float32),
 * by the form spdInverseInPlace picks, or by `form` with its block size when given.
 */
export function spdInverse(
  m: ArrayLike<number>,
  n: number,
  form?: { readonly method: 'tiles' | 'panels'; readonly block: number },
): Float32Array {
  const floats = !form
    ? spdInverseFloats(n)
    : form.method === 'tiles'
      ? spdInverseTilesFloats(n, form.block)
      : spdInversePanelsFloats(n, form.block);
  const ws = new DenseWorkspace(floats);
  const a = ws.f32(n * n);
  for (let i = 0; i < n * n; i++) a[i] = m[i]!;
  if (!form) spdInverseInPlace(ws, a, n);
  else if (form.method === 'tiles') spdInverseTilesInPlace(ws, a, n, form.block);
  else spdInversePanelsInPlace(ws, a, n, form.block);
  return Float32Array.from(a);
}
