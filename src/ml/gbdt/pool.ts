/**
 * @module ml/gbdt/pool
 * Training on worker threads. The workers persist for the life of the process (started on first
 * use, unref'd so they never keep it alive) and read the training's arrays from SharedArrayBuffers.
 * Each step (binning, gradients, a node's histogram, a node's partition, the margin update) is cut
 * into equal row ranges, one per thread; the calling thread takes the first and the workers the
 * rest, handed over through shared control words (Atomics.wait/notify) so the training loop stays
 * synchronous. Small steps run on the calling thread alone, where waking a worker would cost more
 * than it saves. A depth-wise tree level goes over in two jobs (buildNodes, partitionNodes): its
 * nodes dealt whole to the threads, so the deep levels' many small nodes cost no hand-over each
 * and none stays on the calling thread. The model is the one-thread model to the bit (runner.ts
 * says why).
 *
 * @example
 *   const pool = gbdtPool(1);           // starts one worker (asynchronously)
 *   const run = pool.attach(arrays);    // blocks until the workers hold the arrays
 *   ...                                 // run.build(...), run.partition(...)
 *   pool.release();
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../core/spawn-worker.js';
import { binLookup, binRows, type BinCuts } from './binning.js';
import { addLeafRows, labelSegments, sumLeafRows } from './leaf-rows.js';
import { addHistogram, copyHistogram, histogramLength, packRowWords, SPARSE_NODE } from './histogram.js';
import { buildNodeHistogram } from './node-histogram.js';
import { OBJECTIVES, type GradientGrid } from './objectives.js';
import {
  identityRows,
  mergeParts,
  orderGradients,
  partitionNode,
  partitionPart,
  sideTable,
} from './partition.js';
import { runJob } from './jobs.js';
import {
  awaitChange,
  CTRL,
  F64,
  HIST_TASK,
  histogramSlot,
  JOB_POSTED,
  MAX_TASKS,
  OP,
  PART_TASK,
  takeJob,
  THRESHOLD_STRIDE,
  type SharedTraining,
  type WorkerInit,
} from './protocol.js';
import { quantizeOrdered, type Quantization } from './quantize.js';
import {
  outsideLeaf,
  STAGE_ROWS,
  type GradientExtent,
  type NodeRows,
  type NodeSplit,
  type TrainingRunner,
} from './runner.js';

/**
 * Below these many rows a step runs on the calling thread alone: waking a worker costs tens of
 * microseconds, and a partition or a gradient costs a few nanoseconds a row, a histogram about one
 * per row and feature.
 */
const MIN_ROWS = { histogram: 8192, partition: 32_768, gradients: 32_768, leaves: 32_768 } as const;

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
      s.f64 = new Float64Array(new SharedArrayBuffer(F64.length * 8));
      // Pages are only committed once written: a training that never batches 64 tasks never pays for them.
      s.hist = new Float64Array(new SharedArrayBuffer(MAX_TASKS * histogramLength(arrays.cols) * 8));
      s.tasks = new Int32Array(new SharedArrayBuffer(MAX_TASKS * Math.max(HIST_TASK, PART_TASK) * 4));
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

/** A piece of a batched job: rows [start, end) of node `node` (`span` rows), on `thread` in `slot`. */
interface Chunk {
  readonly node: number;
  readonly start: number;
  readonly end: number;
  readonly span: number;
  readonly cost: number;
  thread: number;
  slot: number;
}

/** Nodes per batched histogram job: with the chunks cut from big nodes, at most MAX_TASKS per thread. */
const BATCH_NODES = 32;

/** Rows below which a node's histogram is not cut further between threads. */
const MIN_CHUNK = 4096;

class ParallelRunner implements TrainingRunner {
  private readonly obj;
  /** The calling thread's chunk histograms in buildNodes (allocated on first use). */
  private arena = new Float64Array(0);
  private readonly side = new Uint8Array(256);
  private readonly parts: number;

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

  gradients(grid: GradientGrid, allRows: boolean): GradientExtent {
    const a = this.arrays;
    const extent = new Float64Array(2);
    if (a.rows < MIN_ROWS.gradients) {
      this.obj.gradients(a.labels, a.margin, a.gh, grid, 0, a.rows, extent);
      if (allRows) identityRows(a.rowIndex, 0, a.rows);
      return { maxGrad: extent[0]!, maxHess: extent[1]! };
    }
    const bounds = splitRange(0, a.rows, this.parts);
    for (const s of this.slots) {
      s.f64[F64.gradStep] = grid.gradStep;
      s.f64[F64.hessStep] = grid.hessStep;
    }
    this.post(OP.gradients, bounds, (c) => (c[CTRL.a] = allRows ? 1 : 0));
    this.obj.gradients(a.labels, a.margin, a.gh, grid, 0, bounds[1]!, extent);
    if (allRows) identityRows(a.rowIndex, 0, bounds[1]!);
    this.wait(this.parts - 1);
    // The maximum of the parts' maxima: the same in any order, so the same model on any thread count.
    let maxGrad = extent[0]!;
    let maxHess = extent[1]!;
    for (const s of this.slots) {
      maxGrad = Math.max(maxGrad, s.f64[F64.maxGrad]!);
      maxHess = Math.max(maxHess, s.f64[F64.maxHess]!);
    }
    return { maxGrad, maxHess };
  }

  order(positions: number, quant: Quantization | null): void {
    const parts = positions < MIN_ROWS.gradients ? 1 : this.parts;
    const bounds = splitRange(0, positions, parts);
    if (quant) {
      for (const s of this.slots) {
        s.f64[F64.gradUnit] = quant.gradUnit;
        s.f64[F64.hessUnit] = quant.hessUnit;
      }
      this.post(OP.quantize, bounds, (c) => (c[CTRL.a] = quant.key));
      quantizeOrdered(this.arrays, quant, 0, bounds[1]!);
    } else {
      this.post(OP.order, bounds);
      orderGradients(this.arrays, 0, bounds[1]!);
    }
    this.wait(parts - 1);
  }

  build(hist: Float64Array, start: number, end: number, features: Int32Array): void {
    const a = this.arrays;
    if (end - start < MIN_ROWS.histogram) {
      buildNodeHistogram(hist, a, start, end, features);
      return;
    }
    const bounds = splitRange(start, end, this.parts);
    this.post(OP.histogram, bounds, (c) => {
      c[CTRL.a] = end - start;
      c[CTRL.count] = features.length;
      c.set(features, CTRL.features);
    });
    buildNodeHistogram(hist, a, start, bounds[1]!, features, end - start);
    this.wait(this.parts - 1);
    // Exact sums (gradients on a grid), so the order of these additions does not matter.
    for (const s of this.slots) addHistogram(hist, s.hist, features);
  }

  /**
   * One level's histograms in one hand-over: the nodes are cut into chunks of at most half a
   * thread's share of their rows, the chunks dealt to the threads largest first (each to the
   * least loaded), each thread builds its chunks into its own arena and the calling thread adds
   * each node's chunks into its histogram (exact sums: any order gives the same bits).
   */
  buildNodes(nodes: readonly NodeRows[], features: Int32Array): void {
    if (nodes.length === 1) {
      this.build(nodes[0]!.hist, nodes[0]!.start, nodes[0]!.end, features);
      return;
    }
    for (let from = 0; from < nodes.length; from += BATCH_NODES) {
      this.buildBatch(nodes.slice(from, from + BATCH_NODES), features);
    }
  }

  private buildBatch(nodes: readonly NodeRows[], features: Int32Array): void {
    const a = this.arrays;
    let total = 0;
    for (const n of nodes) total += n.end - n.start;
    if (total < MIN_ROWS.histogram) {
      for (const n of nodes) buildNodeHistogram(n.hist, a, n.start, n.end, features);
      return;
    }
    const maxChunk = Math.max(MIN_CHUNK, Math.ceil(total / this.parts / 2));
    const chunks: Chunk[] = [];
    nodes.forEach((n, node) => {
      const span = n.end - n.start;
      const pieces = Math.ceil(span / maxChunk);
      // Rows of small nodes cost more each (histogram.ts: one cache line per row).
      const weight = span * SPARSE_NODE < a.rows ? 3 : 1;
      for (let p = 0; p < pieces; p++) {
        const start = n.start + Math.floor((span * p) / pieces);
        const end = n.start + Math.floor((span * (p + 1)) / pieces);
        chunks.push({ node, start, end, span, cost: (end - start) * weight, thread: 0, slot: 0 });
      }
    });
    const lists = this.deal(chunks);
    const length = histogramLength(a.cols);
    lists.forEach((list, t) => {
      if (t === 0) return;
      this.postTo(this.slots[t - 1]!, OP.histograms, (c) => {
        const tasks = this.slots[t - 1]!.tasks;
        list.forEach((ch, i) => {
          tasks[i * HIST_TASK] = ch.start;
          tasks[i * HIST_TASK + 1] = ch.end;
          tasks[i * HIST_TASK + 2] = ch.span;
        });
        c[CTRL.a] = list.length;
        c[CTRL.count] = features.length;
        c.set(features, CTRL.features);
      });
    });
    if (this.arena.length === 0) this.arena = new Float64Array(MAX_TASKS * length);
    lists[0]!.forEach((ch, i) => {
      buildNodeHistogram(histogramSlot(this.arena, length, i), a, ch.start, ch.end, features, ch.span);
    });
    this.wait(this.parts - 1);
    const filled = new Uint8Array(nodes.length);
    for (const ch of chunks) {
      const arena = ch.thread === 0 ? this.arena : this.slots[ch.thread - 1]!.hist;
      const src = histogramSlot(arena, length, ch.slot);
      const hist = nodes[ch.node]!.hist;
      if (filled[ch.node] === 0) copyHistogram(hist, src, features);
      else addHistogram(hist, src, features);
      filled[ch.node] = 1;
    }
  }

  /**
   * Deals chunks to the threads, the costliest first, each to the least loaded thread (a worker
   * before the calling thread on a tie: it also posts and gathers). Sets each chunk's thread and
   * its slot there; returns the lists, thread 0 = the calling thread.
   */
  private deal(chunks: Chunk[]): Chunk[][] {
    const lists: Chunk[][] = Array.from({ length: this.parts }, () => []);
    const load = new Float64Array(this.parts);
    const order = chunks.slice().sort((x, y) => y.cost - x.cost || x.start - y.start);
    for (const ch of order) {
      let t = this.parts - 1;
      for (let i = t - 1; i >= 0; i--) if (load[i]! < load[t]!) t = i;
      ch.thread = t;
      ch.slot = lists[t]!.length;
      lists[t]!.push(ch);
      load[t]! += ch.cost;
    }
    return lists;
  }

  /**
   * One level's partitions in one hand-over: a node holding more than a thread's share of the
   * level's rows is partitioned by row ranges (partition(), whose merge then runs on the calling
   * thread alone), the others whole, dealt to the threads largest first (unless fewer than the
   * threads: then by rows too); each whole node's stable partition, merge included, is one
   * thread's.
   */
  partitionNodes(nodes: readonly NodeSplit[]): number[] {
    const mids = new Array<number>(nodes.length).fill(0);
    let total = 0;
    for (const n of nodes) total += n.end - n.start;
    const big = (n: NodeSplit): boolean =>
      total < MIN_ROWS.partition || (n.end - n.start) * this.parts > total;
    let whole: Chunk[] = [];
    nodes.forEach((n, node) => {
      if (!big(n))
        whole.push({
          node,
          start: n.start,
          end: n.end,
          span: n.end - n.start,
          cost: n.end - n.start,
          thread: 0,
          slot: 0,
        });
    });
    // Fewer whole nodes than threads would leave a thread idle: cut them by rows too.
    if (whole.length < this.parts) whole = [];
    const byRows = new Uint8Array(nodes.length).fill(1);
    for (const ch of whole) byRows[ch.node] = 0;
    nodes.forEach((n, node) => {
      if (byRows[node] === 1) {
        mids[node] = this.partition(n.start, n.end, n.feature, n.bin, n.defaultLeft, true);
      }
    });
    for (let from = 0; from < whole.length; from += MAX_TASKS) {
      const batch = whole.slice(from, from + MAX_TASKS);
      const lists = this.deal(batch);
      lists.forEach((list, t) => {
        if (t === 0) return;
        const slot = this.slots[t - 1]!;
        this.postTo(slot, OP.partitions, (c) => {
          list.forEach((ch, i) => {
            const n = nodes[ch.node]!;
            const at = i * PART_TASK;
            slot.tasks[at] = n.start;
            slot.tasks[at + 1] = n.end;
            slot.tasks[at + 2] = n.feature;
            slot.tasks[at + 3] = n.bin;
            slot.tasks[at + 4] = n.defaultLeft ? 1 : 0;
          });
          c[CTRL.a] = list.length;
        });
      });
      for (const ch of lists[0]!) {
        const n = nodes[ch.node]!;
        const left = partitionNode(this.arrays, n.start, n.end, n.feature, n.bin, n.defaultLeft, this.side);
        mids[ch.node] = n.start + left;
      }
      this.wait(this.parts - 1);
      for (const ch of batch) {
        if (ch.thread === 0) continue;
        mids[ch.node] = nodes[ch.node]!.start + this.slots[ch.thread - 1]!.tasks[ch.slot * PART_TASK + 5]!;
      }
    }
    return mids;
  }

  partition(
    start: number,
    end: number,
    feature: number,
    bin: number,
    defaultLeft: boolean,
    withGradients: boolean,
  ): number {
    const a = this.arrays;
    const parts = end - start < MIN_ROWS.partition ? 1 : this.parts;
    const bounds = splitRange(start, end, parts);
    this.post(OP.partition, bounds, (c) => {
      c[CTRL.a] = feature;
      c[CTRL.b] = bin;
      c[CTRL.c] = defaultLeft ? 1 : 0;
      c[CTRL.d] = withGradients ? 1 : 0;
    });
    sideTable(bin, defaultLeft, this.side);
    const first = partitionPart(a, feature * a.rows, this.side, start, bounds[1]!, withGradients);
    const lefts = [first, ...this.wait(parts - 1)];
    return mergeParts(a, bounds, lefts, withGradients);
  }

  labelLeaves(count: number, positions: number): void {
    const a = this.arrays;
    if (positions < a.rows) a.leafOf.fill(outsideLeaf(a));
    const parts = positions < MIN_ROWS.leaves ? 1 : this.parts;
    const bounds = splitRange(0, positions, parts);
    this.post(OP.labels, bounds, (c) => (c[CTRL.a] = count));
    labelSegments(a.segments, count, a, a.leafOf, this.side, 0, bounds[1]!);
    this.wait(parts - 1);
  }

  /**
   * Each range of rows sums into its own region of leafSums, and the regions are then added into
   * the first: exact sums (objectives.ts), so the same bits on any number of threads.
   */
  leafSums(): void {
    const a = this.arrays;
    const ids = outsideLeaf(a) + 1;
    const parts = a.rows < MIN_ROWS.leaves ? 1 : this.parts;
    const bounds = splitRange(0, a.rows, parts);
    for (let i = 1; i < parts; i++) {
      this.postTo(this.slots[i - 1]!, OP.leafSums, (c) => {
        c[CTRL.start] = bounds[i]!;
        c[CTRL.end] = bounds[i + 1]!;
        c[CTRL.a] = ids;
        c[CTRL.b] = i;
      });
    }
    sumLeafRows(a.leafOf, a.gh, a.leafSums, ids, 0, bounds[1]!);
    this.wait(parts - 1);
    const sums = a.leafSums;
    for (let i = 1; i < parts; i++) {
      for (let j = 0, at = 2 * ids * i; j < 2 * ids; j++) sums[j]! += sums[at + j]!;
    }
  }

  addLeaves(): void {
    const a = this.arrays;
    const parts = a.rows < MIN_ROWS.leaves ? 1 : this.parts;
    const bounds = splitRange(0, a.rows, parts);
    this.post(OP.leaves, bounds);
    addLeafRows(a.leafValues, a.leafOf, a.margin, 0, bounds[1]!);
    this.wait(parts - 1);
  }
}
