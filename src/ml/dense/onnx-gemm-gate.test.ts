import { describe, expect, it } from 'vitest';
import { closeGate, spawnWithOwnGate } from '../../core/native-calls.js';
import { spawnWorker } from '../../core/spawn-worker.js';
import { onnxGemm, onnxGemmAvailable } from './onnx-gemm.js';

describe.skipIf(!onnxGemmAvailable())('ending a thread that multiplies on onnxruntime', () => {
  // Terminated inside a product, such a thread aborted this whole process (SIGABRT from a
  // Napi::Error: 19 of 20 tries of the same loop without the gate), and vitest reported "Worker
  // exited unexpectedly". Closing its gate first lets the product in flight return.
  it('closes the gate, waits for the product in flight, then terminates, five times over', async () => {
    for (let i = 0; i < 5; i++) {
      const { value: worker, gate } = spawnWithOwnGate(() =>
        spawnWorker(import.meta.url, 'test-gemm-loop-worker', {}),
      );
      const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
      const failed = new Promise<Error>((resolve) => worker.once('error', resolve));
      await new Promise((resolve) => worker.once('message', resolve));
      await new Promise((r) => setTimeout(r, 10 + 15 * i));
      expect(await closeGate(gate)).toBe(true);
      // The loop's next product refuses to start: the worker ends on that error by itself.
      expect((await failed).name).toBe('NativeCallsClosed');
      await worker.terminate();
      expect(typeof (await exited)).toBe('number');
    }
    // This thread's own gate is still open.
    const c = new Float32Array(4);
    onnxGemm(Float32Array.of(1, 2, 3, 4), Float32Array.of(1, 0, 0, 1), c, 2, 2, 2, false, false, false);
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
  });
});
