/**
 * @module ml/dense/engine
 * Which code multiplies the large products of ml/dense: 'onnxruntime' (onnxruntime-node's MLAS,
 * when installed) or 'wasm' (the AssemblyScript SIMD kernels, always present). 'auto', the default,
 * takes onnxruntime when it loads. Small products (below ONNX_MIN_MACS multiply-adds) and strided
 * operands always run on the wasm kernels: there a native call costs more than it saves.
 *
 * @example
 *   setDenseEngine('wasm'); // force the fallback (tests, benchmarks)
 *   denseEngine(); // 'wasm'
 *
 * The starting choice may also come from the environment variable SHOPSIGHT_DENSE_ENGINE
 * (auto | wasm), read once, so worker threads and child processes inherit a forced fallback.
 */
import { onnxGemmAvailable } from './onnx-gemm.js';

export type DenseEngineChoice = 'auto' | 'wasm';
export type DenseEngine = 'onnxruntime' | 'wasm';

/**
 * 1M multiply-adds (e.g. 256 x 64 x 64). The quiet run of bench suite 'dense' (docs/BENCHMARKS.md,
 * load 0.8) has onnxruntime at 2.5x the wasm kernels on 512 x 64 x 64 and 2.8x on 64 x 512 x 64
 * (A^T), the 2M products of a SASRec half batch on two threads (issue 16), which the earlier 4M
 * threshold, set from a measurement under load (0.8x there), left on the wasm kernels.
 */
export const ONNX_MIN_MACS = 1 << 20;

function initialChoice(): DenseEngineChoice {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
    'SHOPSIGHT_DENSE_ENGINE'
  ];
  if (v === undefined || v === '' || v === 'auto') return 'auto';
  if (v === 'wasm') return 'wasm';
  throw new Error(`SHOPSIGHT_DENSE_ENGINE must be 'auto' or 'wasm', got '${v}'`);
}

let choice: DenseEngineChoice | undefined;

/** Sets the engine for this thread: 'wasm' forces the AssemblyScript kernels, 'auto' prefers onnxruntime. */
export function setDenseEngine(c: DenseEngineChoice): void {
  choice = c;
}

/** The engine large dense products run on in this thread. */
export function denseEngine(): DenseEngine {
  choice ??= initialChoice();
  return choice === 'auto' && onnxGemmAvailable() ? 'onnxruntime' : 'wasm';
}
