/**
 * @module ml/dense/matmul
 * Float32 matrix product on plain typed arrays, for callers that do not keep their matrices in a
 * DenseWorkspace: the inputs are copied into wasm memory, multiplied with the SIMD kernels and the
 * result copied back. The copies are O(mk + kn + mn) against O(mkn) work, so this pays off from
 * k of about 8 up; a hot loop that multiplies the same buffers repeatedly should own a workspace.
 *
 * @example
 *   const out = new Float32Array(2 * 2);
 *   matmul(new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([1, 0, 0, 1, 1, 1]), 2, 3, 2, out);
 *   // out = [4, 5, 10, 11]: [[1,2,3],[4,5,6]] @ [[1,0],[0,1],[1,1]]
 */
import { DenseWorkspace } from './workspace.js';

export interface MatmulOptions {
  /** `a` holds A^T (k x m) instead of A (m x k). */
  readonly transA?: boolean;
  /** `b` holds B^T (n x k) instead of B (k x n). */
  readonly transB?: boolean;
  /** out += A @ B instead of out = A @ B. */
  readonly accumulate?: boolean;
}

let scratch: DenseWorkspace | undefined;

/** out[m x n] = op(A)[m x k] @ op(B)[k x n], row-major float32. */
export function matmul(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  out: Float32Array,
  opts: MatmulOptions = {},
): void {
  if (a.length < m * k || b.length < k * n || out.length < m * n) {
    throw new Error(`matmul: arrays too short for ${m} x ${k} @ ${k} x ${n}`);
  }
  let transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  const floats = m * k + k * n + m * n;
  if (!scratch || scratch.free < floats * 4 + 64) {
    // A fresh, larger workspace: the old one's memory is released with it.
    scratch = new DenseWorkspace(Math.max(floats, 1 << 18) * 1.25);
  }
  const ws = scratch;
  const base = ws.f32(0).byteOffset; // the scratch is reused from the start on every call
  const view = new Float32Array(ws.memory.buffer, base, floats);
  const wa = view.subarray(0, m * k);
  const wb = view.subarray(m * k, m * k + k * n);
  const wc = view.subarray(m * k + k * n, floats);
  if (transA && transB) {
    // (A^T stored k x m): transpose it into wa so only B keeps its flag.
    for (let p = 0; p < k; p++) for (let i = 0; i < m; i++) wa[i * k + p] = a[p * m + i]!;
    transA = false;
  } else {
    wa.set(a.subarray(0, m * k));
  }
  wb.set(b.subarray(0, k * n));
  if (opts.accumulate) wc.set(out.subarray(0, m * n));
  ws.gemm(wa, wb, wc, m, k, n, { transA, transB, accumulate: opts.accumulate ?? false });
  out.set(wc);
}
