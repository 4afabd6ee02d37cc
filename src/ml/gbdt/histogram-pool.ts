/**
 * @module ml/gbdt/histogram-pool
 * Histogram building on worker threads: each node's features are split between the calling thread
 * and the workers, which read the binned matrix, gradients and row index from SharedArrayBuffers
 * and write into their own shared histogram, copied into the node's histogram afterwards. Jobs are
 * handed over through shared control words (Atomics.wait/notify), so the training loop stays
 * synchronous. Small nodes are built on the calling thread, where waking a worker would cost more
 * than it saves.
 *
 * @example
 *   const pool = new HistogramPool(1);
 *   const model = trainGbdt({ ..., histogramBuilder: (shared) => pool.builder(shared, cols) });
 *   pool.close();
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../core/spawn-worker.js';
import type { HistogramBuilder } from './grow.js';
import { buildHistogram, histogramLength, SLOTS } from './histogram.js';
import { CTRL, type HistogramWorkerInit } from './histogram-protocol.js';

/** Below this many rows a node is built on the calling thread alone. */
const MIN_PARALLEL_ROWS = 4096;

/** A worker that has not answered by then failed to start (its error cannot reach a blocked thread). */
const WORKER_START_MS = 30_000;

interface Slot {
  readonly worker: Worker;
  ctrl: Int32Array;
  hist: Float64Array;
}

export interface SharedTrainingArrays {
  readonly bins: Uint8Array;
  readonly rows: number;
  readonly gh: Float32Array;
  readonly rowIndex: Uint32Array;
}

export class HistogramPool {
  private readonly slots: Slot[] = [];

  constructor(workers: number) {
    for (let i = 0; i < workers; i++) {
      const worker = spawnWorker(import.meta.url, 'histogram-worker', undefined);
      worker.unref();
      this.slots.push({ worker, ctrl: new Int32Array(0), hist: new Float64Array(0) });
    }
  }

  /**
   * Hands the shared arrays of one training to the workers (blocking until each is ready) and
   * returns the builder trainGbdt calls. The arrays must be backed by SharedArrayBuffers.
   */
  builder(shared: SharedTrainingArrays, cols: number): HistogramBuilder {
    for (const s of this.slots) {
      s.ctrl = new Int32Array(new SharedArrayBuffer((CTRL.features + cols) * 4));
      s.hist = new Float64Array(new SharedArrayBuffer(histogramLength(cols) * 8));
      s.ctrl[CTRL.done] = -1;
      const init: HistogramWorkerInit = { ctrl: s.ctrl, hist: s.hist, ...shared };
      s.worker.postMessage(init);
      // Workers start asynchronously; the calling thread may block here (Node allows it).
      const deadline = performance.now() + WORKER_START_MS;
      while (Atomics.load(s.ctrl, CTRL.done) !== 0) {
        if (performance.now() > deadline) {
          throw new Error(`gbdt: histogram worker did not start within ${WORKER_START_MS / 1000} s`);
        }
        Atomics.wait(s.ctrl, CTRL.done, -1, 100);
      }
    }
    const { bins, rows, gh, rowIndex } = shared;
    const parts = this.slots.length + 1;
    return (hist, start, end, features) => {
      if (end - start < MIN_PARALLEL_ROWS || features.length < parts) {
        buildHistogram(hist, bins, rows, gh, rowIndex, start, end, features);
        return;
      }
      // Contiguous feature shares; the calling thread takes the first.
      const per = Math.ceil(features.length / parts);
      const jobs: { slot: Slot; seq: number; feats: Int32Array }[] = [];
      this.slots.forEach((slot, i) => {
        const feats = features.subarray(
          Math.min((i + 1) * per, features.length),
          Math.min((i + 2) * per, features.length),
        );
        if (feats.length === 0) return;
        const c = slot.ctrl;
        c[CTRL.start] = start;
        c[CTRL.end] = end;
        c[CTRL.count] = feats.length;
        c.set(feats, CTRL.features);
        const seq = Atomics.add(c, CTRL.seq, 1) + 1;
        Atomics.notify(c, CTRL.seq);
        jobs.push({ slot, seq, feats });
      });
      buildHistogram(
        hist,
        bins,
        rows,
        gh,
        rowIndex,
        start,
        end,
        features.subarray(0, Math.min(per, features.length)),
      );
      for (const { slot, seq, feats } of jobs) {
        const c = slot.ctrl;
        for (let done = Atomics.load(c, CTRL.done); done !== seq; done = Atomics.load(c, CTRL.done)) {
          Atomics.wait(c, CTRL.done, done);
        }
        for (let j = 0; j < feats.length; j++) {
          const off = feats[j]! * SLOTS * 2;
          hist.set(slot.hist.subarray(off, off + SLOTS * 2), off);
        }
      }
    };
  }

  /** Ends the current training's worker loops (they return to wait for the next builder()). */
  release(): void {
    for (const s of this.slots) {
      if (s.ctrl.length === 0) continue;
      s.ctrl[CTRL.count] = -1;
      Atomics.add(s.ctrl, CTRL.seq, 1);
      Atomics.notify(s.ctrl, CTRL.seq);
    }
  }

  /** Stops the workers. */
  close(): Promise<number[]> {
    this.release();
    return Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
