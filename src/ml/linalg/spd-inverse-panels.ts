/**
 * @module ml/linalg/spd-inverse-panels
 * The same blocked Cholesky inverse as spd-inverse.ts (potrf, trtri, lauum: n^3/2 multiply-adds),
 * arranged so that every product is one call on dense, contiguous operands: the lower triangle is
 * copied into column panels of width `block` (panel J holds rows j0..n-1 of columns j0..j1-1,
 * row-major), so a panel's rows k0.. are one tall matrix. onnxruntime (ml/dense engine) then gets
 * about 3 x tiles^2 / 2 tall products instead of tiles^3 / 6 strided tile products it cannot take.
 * The price is memory: the panels add n^2 / 2 floats beside the n x n matrix.
 *
 * @example
 *   const ws = new DenseWorkspace(spdInversePanelsFloats(n));
 *   const a = ws.f32(n * n); // SPD, row-major, lower triangle read
 *   spdInversePanelsInPlace(ws, a, n); // a = A^-1 (both triangles)
 *
 * Steps per panel J (LAPACK's dpotrf, dtrtri backward, dlauum):
 *   potrf  L_JJ = chol(A_JJ) in float64; L[j1:, J] = A[j1:, J] L_JJ^-T;
 *          A[k0:, K] -= L[k0:, J] L[K, J]^T for every panel K > J.
 *   trtri  (J from last to first, panels K > J already hold W = L^-1)
 *          W[j1:, J] = -(sum_{K > J} W[k0:, K] L[K, J]) L_JJ^-1, W_JJ = L_JJ^-1.
 *   lauum  (A^-1)[I, J] = W[i0:, I]^T W[i0:, J] for I >= J, written to both triangles of `a`.
 */
import type { DenseWorkspace } from '../dense/workspace.js';
import { choleskyInPlace } from './cholesky.js';
import { lowerInverse } from './lower-inverse.js';

/** Panel width: 256 keeps every product at >= 16M multiply-adds and the float64 tiles at ~10 ms. */
export const SPD_PANEL = 256;

function layout(n: number, block: number): { starts: number[]; offsets: number[]; total: number } {
  const starts: number[] = [];
  const offsets: number[] = [];
  let total = 0;
  for (let j0 = 0; j0 < n; j0 += block) {
    starts.push(j0);
    offsets.push(total);
    total += (n - j0) * Math.min(block, n - j0);
  }
  starts.push(n);
  return { starts, offsets, total };
}

/** Floats a DenseWorkspace needs for spdInversePanelsInPlace beyond nothing: matrix + panels + scratch. */
export function spdInversePanelsFloats(n: number, block = SPD_PANEL): number {
  return n * n + spdInversePanelsScratch(n, block);
}

/** The floats spdInversePanelsInPlace allocates from the workspace besides the matrix itself. */
export function spdInversePanelsScratch(n: number, block = SPD_PANEL): number {
  const nb = Math.min(block, n);
  return layout(n, nb).total + 2 * n * nb + 2 * nb * nb + 64;
}

/** Replaces the SPD matrix `a` (a view of `ws`, n x n row-major) by its inverse (both triangles). */
export function spdInversePanelsInPlace(
  ws: DenseWorkspace,
  a: Float32Array,
  n: number,
  block = SPD_PANEL,
): void {
  if (a.length < n * n)
    throw new Error(`spdInversePanelsInPlace: ${a.length} floats for a ${n} x ${n} matrix`);
  const nb = Math.min(block, n);
  const { starts, offsets, total } = layout(n, nb);
  const tiles = offsets.length;
  const p = ws.f32(total); // the panels
  const t = ws.f32(n * nb); // tall scratch: the solved panel / the trtri sum
  const neg = ws.f32(n * nb); // -L[j1:, J] for the trailing update (the GEMM only adds)
  const inv = ws.f32(nb * nb); // L_JJ^-T (potrf) or -L_JJ^-1 (trtri), jb x jb
  const blk = ws.f32(nb * nb); // one lauum output block
  const t64 = new Float64Array(nb * nb);
  const inv64 = new Float64Array(nb * nb);
  const negInvs: Float32Array[] = []; // -L_JJ^-1 per panel, kept for trtri (tiles x nb^2 floats)

  // Copy the lower triangle into the panels (the diagonal tiles' upper parts are ignored).
  for (let J = 0; J < tiles; J++) {
    const j0 = starts[J]!;
    const jb = starts[J + 1]! - j0;
    for (let r = j0; r < n; r++) p.set(a.subarray(r * n + j0, r * n + j0 + jb), offsets[J]! + (r - j0) * jb);
  }

  // 1. potrf
  for (let J = 0; J < tiles; J++) {
    const j0 = starts[J]!;
    const j1 = starts[J + 1]!;
    const jb = j1 - j0;
    const oJ = offsets[J]!;
    for (let r = 0; r < jb; r++) for (let c = 0; c <= r; c++) t64[r * jb + c] = p[oJ + r * jb + c]!;
    try {
      choleskyInPlace(t64, jb);
    } catch {
      throw new Error(`spdInverseInPlace: matrix is not positive definite (in rows ${j0}-${j1 - 1})`);
    }
    lowerInverse(t64, jb, inv64);
    const negInv = new Float32Array(jb * jb);
    for (let r = 0; r < jb; r++) {
      for (let c = 0; c < jb; c++) {
        p[oJ + r * jb + c] = c <= r ? t64[r * jb + c]! : 0;
        negInv[r * jb + c] = -inv64[r * jb + c]!;
        inv[r * jb + c] = inv64[r * jb + c]!;
      }
    }
    negInvs.push(negInv);
    const rest = n - j1;
    if (rest === 0) continue;
    // L[j1:, J] = A[j1:, J] (L_JJ^-1)^T, through t (a product must not write its input).
    ws.gemmAt(false, true, rest, jb, jb, p, oJ + jb * jb, jb, inv, 0, jb, t, 0, jb, false);
    p.set(t.subarray(0, rest * jb), oJ + jb * jb);
    for (let i = 0; i < rest * jb; i++) neg[i] = -t[i]!;
    for (let K = J + 1; K < tiles; K++) {
      const k0 = starts[K]!;
      const kb = starts[K + 1]! - k0;
      // A[k0:, K] += (-L[k0:, J]) L[K, J]^T
      ws.gemmAt(
        false,
        true,
        n - k0,
        jb,
        kb,
        neg,
        (k0 - j1) * jb,
        jb,
        p,
        oJ + (k0 - j0) * jb,
        jb,
        p,
        offsets[K]!,
        kb,
        true,
      );
    }
  }

  // 2. trtri, last panel first: the panels to the right already hold W.
  for (let J = tiles - 1; J >= 0; J--) {
    const j0 = starts[J]!;
    const j1 = starts[J + 1]!;
    const jb = j1 - j0;
    const oJ = offsets[J]!;
    const negInv = negInvs[J]!;
    const rest = n - j1;
    if (rest > 0) {
      // t = sum_{K > J} W[k0:, K] L[K, J], stacked at rows k0 - j1 of t; K = J + 1 covers every row.
      for (let K = J + 1; K < tiles; K++) {
        const k0 = starts[K]!;
        const kb = starts[K + 1]! - k0;
        ws.gemmAt(
          false,
          false,
          n - k0,
          kb,
          jb,
          p,
          offsets[K]!,
          kb,
          p,
          oJ + (k0 - j0) * jb,
          jb,
          t,
          (k0 - j1) * jb,
          jb,
          K > J + 1,
        );
      }
      inv.set(negInv);
      ws.gemmAt(false, false, rest, jb, jb, t, 0, jb, inv, 0, jb, p, oJ + jb * jb, jb, false);
    }
    for (let i = 0; i < jb * jb; i++) p[oJ + i] = -negInv[i]!;
  }

  // 3. lauum into `a`: block (I, J), I >= J, and its mirror.
  for (let I = 0; I < tiles; I++) {
    const i0 = starts[I]!;
    const ib = starts[I + 1]! - i0;
    for (let J = 0; J <= I; J++) {
      const j0 = starts[J]!;
      const jb = starts[J + 1]! - j0;
      ws.gemmAt(
        true,
        false,
        ib,
        n - i0,
        jb,
        p,
        offsets[I]!,
        ib,
        p,
        offsets[J]! + (i0 - j0) * jb,
        jb,
        blk,
        0,
        jb,
        false,
      );
      for (let r = 0; r < ib; r++) a.set(blk.subarray(r * jb, r * jb + jb), (i0 + r) * n + j0);
      // The mirror, row by row of the upper block: contiguous writes, strided reads from the small blk.
      for (let c = 0; c < jb; c++) {
        const row = (j0 + c) * n + i0;
        for (let r = 0; r < ib; r++) a[row + r] = blk[r * jb + c]!;
      }
    }
  }
}
