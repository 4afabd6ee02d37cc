/**
 * @module ml/recommend/sasrec/threads
 * Data-parallel training on a second core: each step the batch is split at a sequence boundary,
 * a worker thread computes the gradient of the first part while this thread does the rest, and the
 * two are averaged weighted by tokens before one Adam step here. Weights, gradients and the batch
 * cross through SharedArrayBuffers and the two threads meet with Atomics (no message per step), so
 * a step costs two 4-byte-per-weight copies (about 1 ms for Beauty's 0.8 M weights) on top of the
 * halved compute. The worker draws its dropout masks and negatives from a generator seeded per
 * step, so a run stays repeatable.
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../../core/spawn-worker.js';
import type { PackedBatch } from './batches.js';
import type { SasrecShape } from './network.js';
import type { SasrecParams } from './params.js';

/** What the worker receives once. */
export interface SasrecWorkerInit {
  readonly shape: SasrecShape;
  readonly params: SasrecParams;
  readonly maxTokens: number;
  /** Int32 [command, done]: command = step number (or -1 to stop), done = last finished step. */
  readonly control: SharedArrayBuffer;
  readonly weights: SharedArrayBuffer;
  readonly grads: SharedArrayBuffer;
  /** Int32 [tokens, sequences, seed, items x cap, positions x cap, targets x cap, starts x (cap + 1)]. */
  readonly batch: SharedArrayBuffer;
  /** Float64 [loss]. */
  readonly result: SharedArrayBuffer;
}

export const BATCH_HEADER = 3;

export class SasrecHelper {
  private readonly control: Int32Array;
  private readonly weights: Float32Array;
  /** The worker's gradient of the last step (mean over its tokens). */
  readonly grads: Float32Array;
  private readonly batchInts: Int32Array;
  private readonly result: Float64Array;
  private step = 0;
  private tokens = 0;

  private constructor(
    private readonly worker: Worker,
    private readonly init: SasrecWorkerInit,
  ) {
    this.control = new Int32Array(init.control);
    this.weights = new Float32Array(init.weights);
    this.grads = new Float32Array(init.grads);
    this.batchInts = new Int32Array(init.batch);
    this.result = new Float64Array(init.result);
  }

  static async start(
    shape: SasrecShape,
    params: SasrecParams,
    maxTokens: number,
    size: number,
  ): Promise<SasrecHelper> {
    const init: SasrecWorkerInit = {
      shape,
      params,
      maxTokens,
      control: new SharedArrayBuffer(8),
      weights: new SharedArrayBuffer(size * 4),
      grads: new SharedArrayBuffer(size * 4),
      batch: new SharedArrayBuffer((BATCH_HEADER + 4 * maxTokens + 1) * 4),
      result: new SharedArrayBuffer(8),
    };
    const worker = spawnWorker(import.meta.url, 'train-worker', init);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new SasrecHelper(worker, init);
  }

  /** Hands sequences [from, to) of `batch` to the worker with these weights; returns at once. */
  begin(batch: PackedBatch, from: number, to: number, weights: Float32Array, seed: number): void {
    const cap = this.init.maxTokens;
    const b = this.batchInts;
    const t0 = batch.starts[from]!;
    const t1 = batch.starts[to]!;
    const n = t1 - t0;
    b[0] = n;
    b[1] = to - from;
    b[2] = seed;
    b.set(batch.items.subarray(t0, t1), BATCH_HEADER);
    b.set(batch.positions.subarray(t0, t1), BATCH_HEADER + cap);
    b.set(batch.targets.subarray(t0, t1), BATCH_HEADER + 2 * cap);
    for (let s = from; s <= to; s++) b[BATCH_HEADER + 3 * cap + s - from] = batch.starts[s]! - t0;
    this.weights.set(weights);
    this.tokens = n;
    this.step++;
    Atomics.store(this.control, 0, this.step);
    Atomics.notify(this.control, 0);
  }

  /** Blocks until the worker's step is done; returns its loss and token count (grads in `grads`). */
  finish(): { loss: number; tokens: number } {
    for (;;) {
      const done = Atomics.load(this.control, 1);
      if (done === this.step) break;
      Atomics.wait(this.control, 1, done);
    }
    return { loss: this.result[0]!, tokens: this.tokens };
  }

  async close(): Promise<void> {
    Atomics.store(this.control, 0, -1);
    Atomics.notify(this.control, 0);
    await this.worker.terminate();
  }
}
