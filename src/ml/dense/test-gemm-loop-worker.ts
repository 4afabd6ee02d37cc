/**
 * @module ml/dense/test-gemm-loop-worker
 * The worker of onnx-gemm-gate.test.ts: posts 'looping', then multiplies 256 x 256 matrices on
 * onnxruntime until its gate closes (the NativeCallsClosed error ends it). Test-only.
 */
import { parentPort } from 'node:worker_threads';
import { onnxGemm } from './onnx-gemm.js';

const n = 256;
const a = new Float32Array(n * n).fill(1);
const b = new Float32Array(n * n).fill(1);
const c = new Float32Array(n * n);
parentPort!.postMessage('looping');
for (;;) onnxGemm(a, b, c, n, n, n, false, false, false);
