import { afterEach, describe, expect, it } from 'vitest';
import { denseEngine, ONNX_MIN_MACS, setDenseEngine } from './engine.js';
import { loadOnnxGemm, onnxGemm, onnxGemmAvailable, onnxGemmLoadError } from './onnx-gemm.js';
import { DenseWorkspace } from './workspace.js';

/** Deterministic values in [-1, 1) (an LCG), so failures reproduce. */
function fill(x: Float32Array, seed: number): Float32Array {
  let s = seed >>> 0;
  for (let i = 0; i < x.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 2 ** 31 - 1;
  }
  return x;
}

interface Case {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly accumulate: boolean;
}

// Every form the kernels take, each above ONNX_MIN_MACS (1M) so 'auto' sends it to onnxruntime
// when installed; ragged sizes (not multiples of 4 or 16) catch edge handling.
const CASES: readonly Case[] = [
  { m: 203, k: 171, n: 130, transA: false, transB: false, accumulate: false },
  { m: 203, k: 171, n: 130, transA: true, transB: false, accumulate: true },
  { m: 97, k: 64, n: 1001, transA: false, transB: true, accumulate: false },
  { m: 97, k: 64, n: 1001, transA: false, transB: true, accumulate: true },
];

/** Runs one case on the current engine; operands start 5 floats into their buffers (offsets). */
function run(c: Case): { out: Float32Array; ref: Float64Array } {
  const { m, k, n } = c;
  const ws = new DenseWorkspace(m * k + k * n + m * n + 64);
  const a = fill(ws.f32(m * k + 5), 1);
  const b = fill(ws.f32(k * n + 5), 2);
  const out = fill(ws.f32(m * n + 5), 3);
  const start = out.slice(5);
  ws.gemmAt(
    c.transA,
    c.transB,
    m,
    k,
    n,
    a,
    5,
    c.transA ? m : k,
    b,
    5,
    c.transB ? k : n,
    out,
    5,
    n,
    c.accumulate,
  );
  const ref = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = c.accumulate ? start[i * n + j]! : 0;
      for (let p = 0; p < k; p++)
        s += a[5 + (c.transA ? p * m + i : i * k + p)]! * b[5 + (c.transB ? j * k + p : p * n + j)]!;
      ref[i * n + j] = s;
    }
  return { out: out.slice(5), ref };
}

function maxError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < x.length; i++) e = Math.max(e, Math.abs(x[i]! - y[i]!));
  return e;
}

afterEach(() => {
  setDenseEngine('auto');
  loadOnnxGemm();
});

describe('ml/dense engines', () => {
  it('onnxruntime-node is installed with this checkout (optional dependency, .npmrc skips its download)', () => {
    // The lock file installs it on Linux x64; if this fails, `npm ci` dropped it (see onnxGemmLoadError).
    expect(onnxGemmAvailable(), onnxGemmLoadError()).toBe(true);
    expect(denseEngine()).toBe('onnxruntime');
  });

  it('multiplies a hand-computed 2x3 by 3x2 through the hand-written ONNX Gemm', () => {
    const out = new Float32Array(4);
    onnxGemm(
      Float32Array.of(1, 2, 3, 4, 5, 6),
      Float32Array.of(1, 0, 0, 1, 1, 1),
      out,
      2,
      3,
      2,
      false,
      false,
      false,
    );
    expect([...out]).toEqual([4, 5, 10, 11]);
    // B given as B^T (2 x 3), and accumulated: out += the same product.
    onnxGemm(
      Float32Array.of(1, 2, 3, 4, 5, 6),
      Float32Array.of(1, 0, 1, 0, 1, 1),
      out,
      2,
      3,
      2,
      false,
      true,
      true,
    );
    expect([...out]).toEqual([8, 10, 20, 22]);
  });

  it.each(CASES)('gives the same numbers on both engines: %o', (c) => {
    expect(c.m * c.k * c.n).toBeGreaterThanOrEqual(ONNX_MIN_MACS);
    setDenseEngine('wasm');
    const wasm = run(c);
    setDenseEngine('auto');
    const ort = run(c);
    // float32 sums of up to 171 products of values in [-1, 1): both within 1e-4 of the float64 sum.
    expect(maxError(wasm.out, wasm.ref)).toBeLessThan(1e-4);
    expect(maxError(ort.out, ort.ref)).toBeLessThan(1e-4);
    expect(maxError(ort.out, wasm.out)).toBeLessThan(1e-4);
  });

  it('falls back to the wasm kernels when onnxruntime-node cannot be loaded', () => {
    const loaded = loadOnnxGemm((id) => {
      throw new Error(`Cannot find module '${id}'`);
    });
    expect(loaded).toBe(false);
    expect(onnxGemmLoadError()).toBe("Cannot find module 'onnxruntime-node/dist/binding'");
    expect(denseEngine()).toBe('wasm');
    const r = run(CASES[2]!);
    expect(maxError(r.out, r.ref)).toBeLessThan(1e-4);
    expect(() =>
      onnxGemm(new Float32Array(1), new Float32Array(1), new Float32Array(1), 1, 1, 1, false, false, false),
    ).toThrow(/onnxruntime-node is not available \(Cannot find module/);
  });

  it('takes the wasm kernels when forced, with onnxruntime present', () => {
    setDenseEngine('wasm');
    expect(denseEngine()).toBe('wasm');
  });
});
