/**
 * @module ml/recommend/sasrec/threads
 * Data-parallel training on a second core: each step the batch is split at a sequence boundary and
 * a worker thread computes the gradient of the first part while this thread does the rest. The
 * optimiser step is split too: the flat parameter vector is cut in two ranges, the worker runs Adam
 * on [0, half) and this thread on [half, size), each on the token-weighted mean of both gradients
 * over its range, with the moments of its range only. So no thread waits while the other averages
 * and updates (issue 16: with one Adam on this thread the worker sat idle about a fifth of a step).
 *
 * Per step the two threads meet three times through Atomics (no message per step): the batch is
 * handed over; each posts the other's range of its gradient; each posts its updated range of the
 * weights. Both keep a full copy of the weights, so a step moves half the gradient and half the
 * weights each way (4 bytes a weight in all) through SharedArrayBuffers. The worker draws its
 * dropout masks and negatives from a generator seeded per step, so a run stays repeatable.
 */
import type { Worker } from 'node:worker_threads';
import { endWorker, spawnWorker } from '../../../core/spawn-worker.js';
import type { PackedBatch } from './batches.js';
import type { SasrecShape } from './network.js';
import type { SasrecParams } from './params.js';

/** What the worker receives once. */
export interface SasrecWorkerInit {
  readonly shape: SasrecShape;
  readonly params: SasrecParams;
  readonly maxTokens: number;
  /** Parameters [0, half) are the worker's to update, [half, size) this thread's. */
  readonly half: number;
  /** Int32, indexed by the CONTROL_ constants: the step each side last reached (-1 command: stop). */
  readonly control: SharedArrayBuffer;
  /** Float32 x size: each side writes its updated range here for the other. */
  readonly weights: SharedArrayBuffer;
  /** Float32 x (size - half): the worker's gradient over this thread's range. */
  readonly toMain: SharedArrayBuffer;
  /** Float32 x half: this thread's gradient over the worker's range. */
  readonly toWorker: SharedArrayBuffer;
  /**
   * Int32 [tokens, sequences, seed, tokens of the whole batch, take all weights (0 or 1),
   * items x cap, positions x cap, targets x cap, starts x (cap + 1)].
   */
  readonly batch: SharedArrayBuffer;
  /** Float64 [loss]. */
  readonly result: SharedArrayBuffer;
}

export const BATCH_HEADER = 5;
export const CONTROL_COMMAND = 0;
export const CONTROL_WORKER_GRADS = 1;
export const CONTROL_MAIN_GRADS = 2;
export const CONTROL_WORKER_WEIGHTS = 3;
export const CONTROL_MAIN_WEIGHTS = 4;

/**
 * Blocks until control[index] equals step; returns false instead if the command became -1 (stop:
 * the main thread closes the helper, e.g. after an error in the middle of a step).
 */
export function waitFor(control: Int32Array, index: number, step: number): boolean {
  for (;;) {
    const v = Atomics.load(control, index);
    if (v === step) return true;
    if (Atomics.load(control, CONTROL_COMMAND) < 0) return false;
    Atomics.wait(control, index, v);
  }
}

/** Sets control[index] to step and wakes the other side. */
export function post(control: Int32Array, index: number, step: number): void {
  Atomics.store(control, index, step);
  Atomics.notify(control, index);
}

/** The first parameter of this thread's range: about half, a multiple of 4 (16-byte aligned views). */
export function splitPoint(size: number): number {
  return Math.floor(size / 8) * 4;
}

export class SasrecHelper {
  readonly half: number;
  private readonly control: Int32Array;
  private readonly weights: Float32Array;
  private readonly toMain: Float32Array;
  private readonly toWorker: Float32Array;
  private readonly batchInts: Int32Array;
  private readonly result: Float64Array;
  private step = 0;
  private tokens = 0;
  private synced = false;

  private constructor(
    private readonly worker: Worker,
    private readonly init: SasrecWorkerInit,
  ) {
    this.half = init.half;
    this.control = new Int32Array(init.control);
    this.weights = new Float32Array(init.weights);
    this.toMain = new Float32Array(init.toMain);
    this.toWorker = new Float32Array(init.toWorker);
    this.batchInts = new Int32Array(init.batch);
    this.result = new Float64Array(init.result);
  }

  static async start(
    shape: SasrecShape,
    params: SasrecParams,
    maxTokens: number,
    size: number,
  ): Promise<SasrecHelper> {
    const half = splitPoint(size);
    const init: SasrecWorkerInit = {
      shape,
      params,
      maxTokens,
      half,
      control: new SharedArrayBuffer(8 * 4),
      weights: new SharedArrayBuffer(size * 4),
      toMain: new SharedArrayBuffer((size - half) * 4),
      toWorker: new SharedArrayBuffer(half * 4),
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

  /**
   * Hands sequences [from, to) of `batch` (possibly none) to the worker; returns at once. The first
   * call also sends all of `weights`; after that both sides keep them equal through `shareWeights`.
   */
  begin(batch: PackedBatch, from: number, to: number, weights: Float32Array, seed: number): void {
    const cap = this.init.maxTokens;
    const b = this.batchInts;
    const t0 = batch.starts[from]!;
    const t1 = batch.starts[to]!;
    const n = t1 - t0;
    b[0] = n;
    b[1] = to - from;
    b[2] = seed;
    b[3] = batch.tokens;
    b[4] = this.synced ? 0 : 1;
    b.set(batch.items.subarray(t0, t1), BATCH_HEADER);
    b.set(batch.positions.subarray(t0, t1), BATCH_HEADER + cap);
    b.set(batch.targets.subarray(t0, t1), BATCH_HEADER + 2 * cap);
    for (let s = from; s <= to; s++) b[BATCH_HEADER + 3 * cap + s - from] = batch.starts[s]! - t0;
    if (!this.synced) this.weights.set(weights);
    this.synced = true;
    this.tokens = n;
    this.step++;
    post(this.control, CONTROL_COMMAND, this.step);
  }

  /**
   * Posts this thread's gradient over the worker's range, waits for the worker's step, and copies the
   * worker's gradient over this thread's range into `into` (size - half floats); returns the worker's
   * loss and token count.
   */
  exchangeGrads(grads: Float32Array, into: Float32Array): { loss: number; tokens: number } {
    this.toWorker.set(grads.subarray(0, this.half));
    post(this.control, CONTROL_MAIN_GRADS, this.step);
    waitFor(this.control, CONTROL_WORKER_GRADS, this.step);
    into.set(this.toMain);
    return { loss: this.result[0]!, tokens: this.tokens };
  }

  /** Posts this thread's updated range of `params` and takes the worker's range from it. */
  shareWeights(params: Float32Array): void {
    this.weights.set(params.subarray(this.half), this.half);
    post(this.control, CONTROL_MAIN_WEIGHTS, this.step);
    waitFor(this.control, CONTROL_WORKER_WEIGHTS, this.step);
    params.set(this.weights.subarray(0, this.half));
  }

  async close(): Promise<void> {
    post(this.control, CONTROL_COMMAND, -1);
    // Wakes the worker if it waits at a meeting point of an unfinished step.
    Atomics.notify(this.control, CONTROL_MAIN_GRADS);
    Atomics.notify(this.control, CONTROL_MAIN_WEIGHTS);
    // The worker leaves its loop once its current step is done (a thread terminated in the middle
    // of an onnxruntime product would abort the process: core/spawn-worker.ts endWorker).
    await endWorker(this.worker);
  }
}
