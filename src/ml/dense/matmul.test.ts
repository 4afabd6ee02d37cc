import { describe, expect, it } from 'vitest';
import { matmul } from './matmul.js';
import { DenseWorkspace } from './workspace.js';

/** Deterministic values in [-1, 1) (an LCG), so failures reproduce. */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** The definition, in float64: the reference every kernel result is compared with. */
function reference(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++)
        s += (tA ? a[p * m + i]! : a[i * k + p]!) * (tB ? b[j * k + p]! : b[p * n + j]!);
      out[i * n + j] = s;
    }
  return out;
}

function maxError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i]! - y[i]!));
  return e;
}

describe('matmul', () => {
  it('multiplies a hand-computed 2x3 by 3x2', () => {
    const out = new Float32Array(4);
    matmul(new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([1, 0, 0, 1, 1, 1]), 2, 3, 2, out);
    expect([...out]).toEqual([4, 5, 10, 11]);
    // A^T given: a holds [[1,4],[2,5],[3,6]] (3 x 2).
    matmul(new Float32Array([1, 4, 2, 5, 3, 6]), new Float32Array([1, 0, 0, 1, 1, 1]), 2, 3, 2, out, {
      transA: true,
    });
    expect([...out]).toEqual([4, 5, 10, 11]);
    // B^T given: b holds [[1,0,1],[0,1,1]] (2 x 3); then accumulate once more.
    matmul(new Float32Array([1, 2, 3, 4, 5, 6]), new Float32Array([1, 0, 1, 0, 1, 1]), 2, 3, 2, out, {
      transB: true,
      accumulate: true,
    });
    expect([...out]).toEqual([8, 10, 20, 22]);
  });

  // Sizes around the 4 x 16 register blocks and the 4-wide dot products, so every edge path runs.
  const shapes = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 16, 16],
    [5, 17, 33],
    [37, 64, 19],
    [64, 3, 64],
    [130, 65, 47],
  ] as const;
  for (const [tA, tB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches the definition for every edge shape (transA ${tA}, transB ${tB})`, () => {
      for (const [m, k, n] of shapes) {
        const a = values(m * k, m + 7 * k);
        const b = values(k * n, n + 3 * k);
        const out = new Float32Array(m * n);
        matmul(a, b, m, k, n, out, { transA: tA, transB: tB });
        expect(maxError(out, reference(a, b, m, k, n, tA, tB))).toBeLessThan(1e-4 * Math.sqrt(k));
      }
    });
  }
});

describe('DenseWorkspace', () => {
  it('multiplies column slices in place through row strides', () => {
    // q and k packed side by side in one 6 x 8 matrix (row stride 8): s = q @ k^T over 4 columns.
    const ws = new DenseWorkspace(1000);
    const qk = ws.f32(6 * 8);
    qk.set(values(48, 11));
    const s = ws.f32(6 * 6);
    ws.gemm(qk, qk.subarray(4), s, 6, 4, 6, { transB: true, lda: 8, ldb: 8 });
    const q = new Float32Array(24);
    const k = new Float32Array(24);
    for (let r = 0; r < 6; r++)
      for (let c = 0; c < 4; c++) {
        q[r * 4 + c] = qk[r * 8 + c]!;
        k[r * 4 + c] = qk[r * 8 + 4 + c]!;
      }
    expect(maxError(s, reference(q, k, 6, 4, 6, false, true))).toBeLessThan(1e-5);
    // and writes an output into a column slice (row stride 8) without touching the other columns
    const out = ws.f32(6 * 8).fill(7);
    ws.gemm(s, qk.subarray(4), out, 6, 6, 4, { ldb: 8, ldc: 8 });
    const expected = reference(s, k, 6, 6, 4, false, false);
    for (let r = 0; r < 6; r++)
      for (let c = 0; c < 8; c++) {
        if (c < 4) expect(out[r * 8 + c]).toBeCloseTo(expected[r * 4 + c]!, 4);
        else expect(out[r * 8 + c]).toBe(7);
      }
  });

  it('refuses arrays from elsewhere and sizes that do not fit', () => {
    const ws = new DenseWorkspace(100);
    const a = ws.f32(16);
    expect(() => ws.gemm(a, new Float32Array(16), a, 4, 4, 4)).toThrow(/allocated from this workspace/);
    expect(() => ws.gemm(a, a, a, 4, 5, 4)).toThrow(/needs/);
    expect(() => ws.f32(100_000)).toThrow(/out of room/);
  });
});
