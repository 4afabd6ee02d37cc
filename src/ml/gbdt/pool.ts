/**
 * @module ml/gbdt/pool
 * Training on worker threads. The workers persist for the life of the process (started on first
 * use, unref'd so they never keep it alive) and read the training's arrays from SharedArrayBuffers.
 * Jobs are handed over through shared control words (Atomics.wait/notify), so the training loop
 * stays synchronous; the calling thread takes the first share and the workers the rest. Binning,
 * gradients and the margin update are cut into equal row ranges. Trees are data-parallel by rows
 * (runner.ts): each tree's positions are cut into one fixed part per thread, and a tree level
 * (its partitions, then its smaller children's histograms) is one job per thread over its own
 * part of every node, so no partition is merged and no node is cut or dealt; only the workers'
 * histograms cross to the calling thread, which adds them and searches the splits. The model is
 * the one-thread model to the bit (runner.ts says why).
 *
 * @example
 *   const pool = gbdtPool(1);           // starts one worker (asynchronously)
 *   const run = pool.attach(arrays);    // blocks until the workers hold the arrays
 *   ...                                 // run.build(...), run.splitNodes(...)
 *   pool.release();
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../core/spawn-worker.js';
import { binLookup, binRows, type BinCuts } from './binning.js';
import { addHistogram, buildHistogram, histogramLength, packRowWords } from './histogram.js';
import { levelPart, runJob } from './jobs.js';
import { OBJECTIVES, type GradientGrid } from './objectives.js';
import { addLeafValues, orderGradients } from './partition.js';
import {
  awaitChange,
  CTRL,
  histogramSlot,
  JOB_POSTED,
  LEVEL_TASK,
  MAX_TASKS,
  OP,
  takeJob,
  THRESHOLD_STRIDE,
  type SharedTraining,
  type WorkerInit,
} from './protocol.js';
import { levelTasks, partBounds, STAGE_ROWS, type NodeSplit, type TrainingRunner } from './runner.js';

/**
 * Below these many rows a step runs on the calling thread alone: waking a worker costs tens of
 * microseconds, and a gradient or a margin update costs a few nanoseconds a row. (Histograms and
 * partitions have no floor: a whole tree level is one hand-over.)
 */
const MIN_ROWS = { gradients: 32_768, leaves: 32_768 } as const;

/** A worker that has not answered by then failed to start (its error cannot reach a blocked thread). */
const WORKER_START_MS = 60_000;

const ERROR_BYTES = 4096;

interface Slot {
  readonly worker: Worker;
  ctrl: Int32Array;
  f64: Float64Array;
  /** MAX_TASKS histograms (protocol.ts histogramSlot). */
  hist: Float64Array;
  tasks: Int32Array;
  error: Uint8Array;
  /** seq of the job in flight, 0 when none. */
  pending: number;
  /** The worker's init: what the training thread runs the job from when it takes it back. */
  init: WorkerInit | null;
}

export class GbdtPool {
  private readonly slots: Slot[] = [];
  private attached = 0;

  constructor(workers: number) {
    this.grow(workers);
  }

  get size(): number {
    return this.slots.length;
  }

  /** Starts workers until there are `workers` (they boot while the caller goes on). */
  grow(workers: number): void {
    while (this.slots.length < workers) {
      const worker = spawnWorker(import.meta.url, 'worker', undefined);
      worker.unref();
      this.slots.push({
        worker,
        ctrl: new Int32Array(0),
        f64: new Float64Array(0),
        hist: new Float64Array(0),
        tasks: new Int32Array(0),
        error: new Uint8Array(0),
        pending: 0,
        init: null,
      });
    }
  }

  /**
   * Hands one training's shared arrays to `workers` of the workers (blocking until each is ready)
   * and returns the runner that splits each step between them and the calling thread.
   */
  attach(arrays: SharedTraining, workers = this.slots.length): TrainingRunner {
    if (this.attached > 0) throw new Error('gbdt: the worker pool is already training (release it first)');
    this.grow(workers);
    const slots = this.slots.slice(0, workers);
    for (const s of slots) {
      s.ctrl = new Int32Array(new SharedArrayBuffer((CTRL.features + arrays.cols) * 4));
      s.f64 = new Float64Array(new SharedArrayBuffer(2 * 8));
      // Pages are only committed once written: a training that never batches 64 tasks never pays for them.
      s.hist = new Float64Array(new SharedArrayBuffer(MAX_TASKS * histogramLength(arrays.cols) * 8));
      s.tasks = new Int32Array(new SharedArrayBuffer(MAX_TASKS * LEVEL_TASK * 4));
      s.error = new Uint8Array(new SharedArrayBuffer(ERROR_BYTES));
      s.ctrl[CTRL.done] = -1;
      s.pending = 0;
      const init: WorkerInit = {
        ...arrays,
        ctrl: s.ctrl,
        f64: s.f64,
        hist: s.hist,
        tasks: s.tasks,
        error: s.error,
      };
      s.init = init;
      s.worker.postMessage(init);
    }
    this.attached = slots.length;
    // Workers start asynchronously; the calling thread may block here (Node allows it).
    const deadline = performance.now() + WORKER_START_MS;
    for (const s of slots) {
      while (Atomics.load(s.ctrl, CTRL.done) !== 0) {
        if (performance.now() > deadline) {
          this.release();
          throw new Error(`gbdt: a training worker did not start within ${WORKER_START_MS / 1000} s`);
        }
        Atomics.wait(s.ctrl, CTRL.done, -1, 100);
      }
    }
    return new ParallelRunner(arrays, slots);
  }

  /** Ends the current training's worker loops (they return to wait for the next attach()). */
  release(): void {
    for (const s of this.slots.slice(0, this.attached)) {
      if (s.ctrl.length === 0) continue;
      s.ctrl[CTRL.op] = OP.stop;
      const seq = s.ctrl[CTRL.seq]! + 1;
      Atomics.store(s.ctrl, CTRL.state, seq * 4 + JOB_POSTED);
      Atomics.store(s.ctrl, CTRL.seq, seq);
      Atomics.notify(s.ctrl, CTRL.seq);
      s.ctrl = new Int32Array(0);
    }
    this.attached = 0;
  }

  /** Stops the workers. */
  close(): Promise<number[]> {
    this.release();
    return Promise.all(this.slots.splice(0).map((s) => s.worker.terminate()));
  }
}

let shared: GbdtPool | null = null;

/** The process's pool, grown to at least `workers` workers. */
export function gbdtPool(workers: number): GbdtPool {
  if (!shared) shared = new GbdtPool(workers);
  else shared.grow(workers);
  return shared;
}

/** Splits [start, end) into `parts` near-equal ranges: bounds[i]..bounds[i + 1]. */
function splitRange(start: number, end: number, parts: number): number[] {
  const bounds = [start];
  for (let i = 1; i < parts; i++) bounds.push(start + Math.floor(((end - start) * i) / parts));
  bounds.push(end);
  return bounds;
}

class ParallelRunner implements TrainingRunner {
  private readonly obj;
  private readonly side = new Uint8Array(256);
  /** The calling thread's OP.level tasks (its own part of each node). */
  private readonly tasks = new Int32Array(MAX_TASKS * LEVEL_TASK);
  readonly parts: number;

  constructor(
    readonly arrays: SharedTraining,
    private readonly slots: Slot[],
  ) {
    this.obj = OBJECTIVES[arrays.objective];
    this.parts = slots.length + 1;
  }

  /** Hands ranges 1.. of `bounds` to the workers; `set` writes the job's extra control words. */
  private post(op: number, bounds: number[], set?: (ctrl: Int32Array) => void): void {
    for (let i = 1; i + 1 < bounds.length; i++) {
      this.postTo(this.slots[i - 1]!, op, (c) => {
        c[CTRL.start] = bounds[i]!;
        c[CTRL.end] = bounds[i + 1]!;
        set?.(c);
      });
    }
  }

  /** Hands one job to one worker; `set` writes its control words (and tasks). */
  private postTo(s: Slot, op: number, set: (ctrl: Int32Array) => void): void {
    const c = s.ctrl;
    c[CTRL.op] = op;
    set(c);
    s.pending = c[CTRL.seq]! + 1;
    Atomics.store(c, CTRL.state, s.pending * 4 + JOB_POSTED);
    Atomics.store(c, CTRL.seq, s.pending);
    if (Atomics.load(c, CTRL.workerAsleep) === 1) Atomics.notify(c, CTRL.seq);
  }

  /**
   * Waits for the workers' jobs; returns their results (in range order). A job no worker has
   * claimed yet (its thread not scheduled: the machine is busy) is taken back and run here, into
   * the worker's histogram, so the training never waits on the scheduler for a job not started.
   */
  private wait(count: number): number[] {
    const results: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = this.slots[i]!;
      const c = s.ctrl;
      if (takeJob(c, s.pending)) {
        s.pending = 0;
        results.push(runJob(s.init!, c[CTRL.op]!, this.side));
        continue;
      }
      // done only ever moves up to pending (one job in flight per worker).
      for (let done = Atomics.load(c, CTRL.done); done !== s.pending; done = Atomics.load(c, CTRL.done)) {
        awaitChange(c, CTRL.done, done, CTRL.callerAsleep);
      }
      s.pending = 0;
      if (c[CTRL.failed] === 1) {
        const text = new TextDecoder().decode(s.error.slice()).replace(/\0+$/, '');
        throw new Error(`gbdt: a training worker failed: ${text}`);
      }
      results.push(c[CTRL.result]!);
    }
    return results;
  }

  bin(cuts: BinCuts, features: Float32Array): void {
    const { cols, rows, stage, thresholds, thresholdCounts, bins } = this.arrays;
    cuts.thresholds.forEach((t, f) => {
      thresholds.set(t, f * THRESHOLD_STRIDE);
      thresholdCounts[f] = t.length;
    });
    const lookup =
      this.arrays.binLookup.length > 0 ? binLookup(cuts.thresholds, this.arrays.binLookup) : null;
    for (let r0 = 0; r0 < rows; r0 += STAGE_ROWS) {
      const r1 = Math.min(rows, r0 + STAGE_ROWS);
      stage.set(features.subarray(r0 * cols, r1 * cols));
      const bounds = splitRange(r0, r1, this.parts);
      this.post(OP.bins, bounds, (c) => (c[CTRL.a] = r0));
      binRows(cuts.thresholds, lookup, stage, r0, bins, rows, r0, bounds[1]!);
      this.wait(this.parts - 1);
    }
    const bounds = splitRange(0, rows, this.parts);
    this.post(OP.pack, bounds);
    packRowWords(bins, rows, cols, this.arrays.words, 0, bounds[1]!);
    this.wait(this.parts - 1);
  }

  gradients(grid: GradientGrid): void {
    const a = this.arrays;
    if (a.rows < MIN_ROWS.gradients) {
      this.obj.gradients(a.labels, a.margin, a.gh, grid, 0, a.rows);
      return;
    }
    const bounds = splitRange(0, a.rows, this.parts);
    for (const s of this.slots) {
      s.f64[0] = grid.gradStep;
      s.f64[1] = grid.hessStep;
    }
    this.post(OP.gradients, bounds);
    this.obj.gradients(a.labels, a.margin, a.gh, grid, 0, bounds[1]!);
    this.wait(this.parts - 1);
  }

  /** Each thread orders the positions of its own part (the rows it partitions next). */
  order(positions: number): void {
    const parts = positions < MIN_ROWS.gradients ? 1 : this.parts;
    const bounds = partBounds(positions, parts);
    this.post(OP.order, bounds);
    orderGradients(this.arrays, 0, bounds[1]!);
    this.wait(parts - 1);
  }

  /** The root's histogram: each thread its own part's rows, the calling thread adds them. */
  build(hist: Float64Array, ranges: Int32Array, features: Int32Array): void {
    const parts = this.parts;
    this.slots.forEach((s, w) => {
      this.postTo(s, OP.histogram, (c) => {
        c[CTRL.start] = ranges[2 * w + 2]!;
        c[CTRL.end] = ranges[2 * w + 3]!;
        c[CTRL.a] = (ranges[2 * w + 3]! - ranges[2 * w + 2]!) * parts;
        c[CTRL.count] = features.length;
        c.set(features, CTRL.features);
      });
    });
    buildHistogram(hist, this.arrays, ranges[0]!, ranges[1]!, features, (ranges[1]! - ranges[0]!) * parts);
    this.wait(parts - 1);
    // Exact sums (gradients on a grid), so the order of these additions does not matter.
    for (const s of this.slots) addHistogram(hist, s.hist, features);
  }

  /**
   * One level in one hand-over (MAX_TASKS nodes a job): every thread partitions its own part of
   * each node and histograms its part of the named child, the workers into their arenas, the
   * calling thread straight into the node's histogram; then the calling thread adds the workers'
   * histograms in. Nothing is merged: each thread's part of the positions stays its own.
   */
  splitNodes(nodes: readonly NodeSplit[], features: Int32Array, withGradients: boolean): Int32Array {
    const a = this.arrays;
    const parts = this.parts;
    const length = histogramLength(a.cols);
    const mids = new Int32Array(nodes.length * parts);
    for (let from = 0; from < nodes.length; from += MAX_TASKS) {
      const batch = nodes.slice(from, from + MAX_TASKS);
      this.slots.forEach((s, w) => {
        this.postTo(s, OP.level, (c) => {
          levelTasks(batch, w + 1, s.tasks);
          c[CTRL.a] = batch.length;
          c[CTRL.b] = parts;
          c[CTRL.d] = withGradients ? 1 : 0;
          c[CTRL.count] = features.length;
          c.set(features, CTRL.features);
        });
      });
      levelTasks(batch, 0, this.tasks);
      levelPart(
        a,
        this.tasks,
        batch.length,
        features,
        withGradients,
        parts,
        this.side,
        (k) => batch[k]!.hist!,
      );
      this.wait(parts - 1);
      batch.forEach((n, k) => {
        const i = from + k;
        mids[i * parts] = n.ranges[0]! + this.tasks[k * LEVEL_TASK + 6]!;
        this.slots.forEach((s, w) => {
          mids[i * parts + w + 1] = n.ranges[2 * w + 2]! + s.tasks[k * LEVEL_TASK + 6]!;
          if (n.hist) addHistogram(n.hist, histogramSlot(s.hist, length, k), features);
        });
      });
    }
    return mids;
  }

  addLeaves(leaves: Float64Array, count: number, positions: number): void {
    const a = this.arrays;
    if (leaves !== a.leaves) throw new Error('gbdt: addLeaves takes the shared leaf table');
    const parts = positions < MIN_ROWS.leaves ? 1 : this.parts;
    const bounds = splitRange(0, positions, parts);
    this.post(OP.leaves, bounds, (c) => (c[CTRL.a] = count));
    addLeafValues(leaves, count, a.rowIndex, a.margin, 0, bounds[1]!);
    this.wait(parts - 1);
  }
}
