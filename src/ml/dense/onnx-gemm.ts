/**
 * @module ml/dense/onnx-gemm
 * Float32 GEMM through onnxruntime-node (its MLAS kernels: 3-8x the AssemblyScript kernels on the
 * large products, bench suite 'dense'), run synchronously on typed arrays that may be views of wasm
 * memory: ONNX Runtime reads the inputs and writes the output in place, no copies.
 *
 * onnxruntime-node is an optional dependency. It is loaded on first use; when it is absent or fails
 * to load, `onnxGemmAvailable()` is false and ml/dense keeps using its own kernels. Loading a native
 * compute library reads no data and writes nothing: ml/ stays free of I/O (docs/ARCHITECTURE.md).
 * The package's public API is asynchronous only; the session's synchronous `run` used here is the
 * one that API wraps (dist/binding), pinned by the lock file and covered by onnx-gemm.test.ts.
 *
 * @example
 *   if (onnxGemmAvailable()) onnxGemm(a, b, c, 512, 64, 12101, false, true, false); // c = a @ b^T
 */
import { createRequire } from 'node:module';
import { nativeCall } from '../../core/native-calls.js';
import { gemmModelBytes } from './onnx-gemm-model.js';

interface OrtTensor {
  readonly data: unknown;
}
type TensorClass = new (type: 'float32', data: Float32Array, dims: readonly number[]) => OrtTensor;
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, OrtTensor>, options: object): unknown;
}
interface Ort {
  readonly Session: new () => NativeSession;
  readonly Tensor: TensorClass;
}

type RequireFn = (id: string) => unknown;

const sessions = new Map<string, NativeSession>();

let ort: Ort | null | undefined;
let loadError: string | undefined;

function load(): Ort | null {
  if (ort === undefined) loadOnnxGemm(createRequire(import.meta.url));
  return ort ?? null;
}

/**
 * (Re)loads onnxruntime-node through `req` and drops the cached sessions; returns whether it loaded.
 * Called on first use with the module's own require; tests pass one that fails, to take the fallback.
 */
export function loadOnnxGemm(req: RequireFn = createRequire(import.meta.url)): boolean {
  sessions.clear();
  loadError = undefined;
  try {
    const b = req('onnxruntime-node/dist/binding') as {
      binding: { InferenceSession: new () => NativeSession };
      initOrt(): void;
    };
    const common = req('onnxruntime-common') as { Tensor: TensorClass };
    b.initOrt();
    ort = { Session: b.binding.InferenceSession, Tensor: common.Tensor };
  } catch (e) {
    loadError = e instanceof Error ? (e.message.split('\n')[0] ?? e.message) : String(e);
    ort = null;
  }
  return ort !== null;
}

/** True when onnxruntime-node is installed and loads in this thread. */
export function onnxGemmAvailable(): boolean {
  return load() !== null;
}

/** Why onnxruntime-node could not be loaded (undefined when it loaded or was not tried). */
export function onnxGemmLoadError(): string | undefined {
  return loadError;
}

/**
 * One session per form and thread count. Spinning is off: on a shared machine an idle pool thread
 * that spins takes a core from the other half of the work.
 */
function session(o: Ort, transA: boolean, transB: boolean, withC: boolean, threads: number): NativeSession {
  const key = `${+transA}${+transB}${+withC}:${threads}`;
  let s = sessions.get(key);
  if (!s) {
    const bytes = gemmModelBytes({ transA, transB, withC });
    s = new o.Session();
    s.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    });
    sessions.set(key, s);
  }
  return s;
}

/**
 * out[m x n] = op(A) @ op(B) (+= with `accumulate`), all dense row-major (A is k x m when
 * transposed, B n x k), on `threads` intra-op threads. `out` may be the accumulator it adds to.
 * Throws if onnxruntime-node is absent.
 */
export function onnxGemm(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
  threads = 1,
): void {
  const o = load();
  if (!o) throw new Error(`onnxGemm: onnxruntime-node is not available (${loadError ?? 'not loaded'})`);
  const T = o.Tensor;
  const feeds: Record<string, OrtTensor> = {
    A: new T('float32', a.subarray(0, m * k), transA ? [k, m] : [m, k]),
    B: new T('float32', b.subarray(0, k * n), transB ? [n, k] : [k, n]),
  };
  const y = new T('float32', out.subarray(0, m * n), [m, n]);
  // ONNX Runtime's Gemm copies C into Y before it accumulates, so C and Y may share memory.
  if (accumulate) feeds['C'] = y;
  // Through the thread's gate: ending a thread inside this call would abort the process (core/native-calls).
  nativeCall(() => session(o, transA, transB, accumulate, threads).run(feeds, { Y: y }, {}));
}
