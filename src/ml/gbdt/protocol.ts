/**
 * @module ml/gbdt/protocol
 * What pool.ts (the training thread) and worker.ts share: the layout of a worker's control words,
 * the operations and the init message. One init per training carries the shared arrays; then the
 * worker loops: wait for a job in its control words, do its share of the rows, signal done. OP.stop
 * ends the loop until the next init.
 */
import type { LeafIds } from './leaf-rows.js';

/** The jobs a worker runs, each over its own range of rows (or row positions) [start, end). */
export const OP = {
  stop: 0,
  /**
   * Histogram of rowIndex[start..end), part of a node of `a` rows, for the listed features into
   * the worker's first histogram.
   */
  histogram: 1,
  /** partitionPart of rowIndex[start..end) by (feature a, bin b, defaultLeft c, with gradients d); result = lefts. */
  partition: 2,
  /**
   * Gradients of rows [start, end) from the margins (grid steps in f64[0], f64[1]; their extent
   * into f64[F64.maxGrad], f64[F64.maxHess]); with a = 1 also rowIndex[r] = r over the range (a tree
   * on every row starts from the identity).
   */
  gradients: 3,
  /** addLeafRows of rows [start, end): margin[r] += leafValues[leafOf[r]] (after OP.labels). */
  leaves: 4,
  /** Bins rows [start, end) of the staging block whose first row is a. */
  bins: 5,
  /** packRowWords of rows [start, end) (after OP.bins). */
  pack: 6,
  /** orderGradients of positions [start, end) (after OP.gradients). */
  order: 7,
  /**
   * Histograms of `a` row ranges listed in the worker's `tasks` (HIST_TASK words each: start, end,
   * the node's row count), task i into slot i of the worker's histogram arena (histogramSlot).
   */
  histograms: 8,
  /**
   * Stable partitions of `a` whole nodes listed in `tasks` (PART_TASK words each: start, end,
   * feature, bin, defaultLeft, and the left count written back), the gradient pairs moved along.
   */
  partitions: 9,
  /**
   * quantizeOrdered of positions [start, end) (after OP.gradients): units in f64[F64.gradUnit]
   * and f64[F64.hessUnit], the rounding key in a.
   */
  quantize: 10,
  /**
   * sumLeafRows of rows [start, end) for `a` leaf ids into region b of leafSums (2a words a
   * region): a region per range, not per thread, since the calling thread may run a worker's job.
   */
  leafSums: 11,
  /** labelSegments of positions [start, end) from the first `a` segments of the label table. */
  labels: 12,
} as const;

/** A worker's float parameters and results: the gradient grid and extent (OP.gradients), the quantization (OP.quantize). */
export const F64 = {
  gradStep: 0,
  hessStep: 1,
  gradUnit: 2,
  hessUnit: 3,
  /** Written by OP.gradients: the largest |gradient| and hessian of the worker's rows. */
  maxGrad: 4,
  maxHess: 5,
  length: 6,
} as const;

/** Words per task of OP.histograms and OP.partitions in a worker's `tasks`. */
export const HIST_TASK = 3;
export const PART_TASK = 6;

/** Tasks one OP.histograms or OP.partitions job holds at most (slots in a worker's arena). */
export const MAX_TASKS = 64;

/** Task `i`'s histogram in an arena of MAX_TASKS histograms of `length` doubles each. */
export function histogramSlot(arena: Float64Array, length: number, i: number): Float64Array {
  return arena.subarray(i * length, (i + 1) * length);
}

/** Layout of a worker's control words (Int32Array over a SharedArrayBuffer). */
export const CTRL = {
  seq: 0,
  done: 1,
  op: 2,
  start: 3,
  end: 4,
  a: 5,
  b: 6,
  c: 7,
  result: 8,
  /** 1 when the job threw; the message is in the worker's `error` bytes (UTF-8, NUL-padded). */
  failed: 9,
  /** 1 while the worker sleeps on seq: only then does a new job need Atomics.notify. */
  workerAsleep: 10,
  /** 1 while the training thread sleeps on done: only then does a finished job need a notify. */
  callerAsleep: 11,
  /** seq * 4 + JOB_POSTED / JOB_RUNNING / JOB_TAKEN: who runs the job posted as seq. */
  state: 12,
  /** A fourth job argument (OP.partition: 1 when the gradient pairs move too). */
  d: 13,
  count: 14,
  features: 15,
} as const;

export const JOB_POSTED = 0;
export const JOB_RUNNING = 1;
/** The training thread ran the job itself: the worker skips it. */
export const JOB_TAKEN = 2;

/** Worker side: claims job `seq` unless the training thread took it (or moved on). */
export function claimJob(ctrl: Int32Array, seq: number): boolean {
  const posted = seq * 4 + JOB_POSTED;
  return Atomics.compareExchange(ctrl, CTRL.state, posted, seq * 4 + JOB_RUNNING) === posted;
}

/** Training-thread side: takes job `seq` back if no worker has claimed it yet. */
export function takeJob(ctrl: Int32Array, seq: number): boolean {
  const posted = seq * 4 + JOB_POSTED;
  return Atomics.compareExchange(ctrl, CTRL.state, posted, seq * 4 + JOB_TAKEN) === posted;
}

/**
 * Polls of a control word before sleeping on it (tens of microseconds): the next job or the other
 * half of this one usually arrives within that, and a notify costs more than the poll.
 */
export const SPIN = 20_000;

/** Waits until ctrl[at] !== value: polls SPIN times, then sleeps flagged in ctrl[flag]. */
export function awaitChange(ctrl: Int32Array, at: number, value: number, flag: number): void {
  for (let i = 0; i < SPIN; i++) if (Atomics.load(ctrl, at) !== value) return;
  Atomics.store(ctrl, flag, 1);
  // Atomics.wait returns at once if the word already changed (after the flag was raised).
  while (Atomics.load(ctrl, at) === value) Atomics.wait(ctrl, at, value);
  Atomics.store(ctrl, flag, 0);
}

/** Stores `value` in ctrl[at] and wakes the other side if it sleeps (flagged in ctrl[flag]). */
export function signal(ctrl: Int32Array, at: number, value: number, flag: number): void {
  Atomics.store(ctrl, at, value);
  if (Atomics.load(ctrl, flag) === 1) Atomics.notify(ctrl, at);
}

/** Room per feature in the shared thresholds (at most 254 cuts for 255 value bins). */
export const THRESHOLD_STRIDE = 255;

/** The arrays of one training, all over SharedArrayBuffers. */
export interface SharedTraining {
  readonly rows: number;
  readonly cols: number;
  readonly objective: 'binary' | 'regression';
  /** Column-major binned matrix, rows x cols. */
  readonly bins: Uint8Array;
  /** The same bins row-major, four to a word (histogram.ts packRowWords). */
  readonly words: Uint32Array;
  /** Interleaved gradient pairs by row (the objective's output). */
  readonly gh: Float32Array;
  /** The same pairs by position of the row index, moved with it (histogram.ts, partition.ts). */
  readonly ordered: Float32Array;
  /**
   * With quantized gradients: the pairs by position as 16-bit codes (quantize.ts), a view over
   * `ordered`'s bytes, which the partitions then move as codes (partition.ts).
   */
  readonly codes: Int16Array;
  /** True when the histograms read `codes` (the training's quantizedGradients). */
  readonly quantized: boolean;
  readonly orderedScratch: Float32Array;
  readonly rowIndex: Uint32Array;
  readonly scratch: Uint32Array;
  readonly labels: Float32Array;
  readonly margin: Float64Array;
  /** The label table of the current tree (leaf-rows.ts SEGMENT words a segment), for OP.labels. */
  readonly segments: Int32Array;
  /** The value of each leaf id of the current tree, for OP.leaves. */
  readonly leafValues: Float64Array;
  /** Each row's leaf in the current tree (leaf-rows.ts; OP.labels writes it). */
  readonly leafOf: LeafIds;
  /**
   * Exact (gradient, hessian) sums per leaf id, for quantized training (OP.leafSums): one region
   * per thread of (leaf capacity + 1) pairs, added into the first.
   */
  readonly leafSums: Float64Array;
  /** Row-major staging block for OP.bins. */
  readonly stage: Float32Array;
  /** Bin thresholds, feature f at [f * THRESHOLD_STRIDE, ... + thresholdCounts[f]). */
  readonly thresholds: Float64Array;
  readonly thresholdCounts: Int32Array;
  /** binning.ts's bin lookup, cols x LOOKUP_SIZE (empty when the rows are too few for one). */
  readonly binLookup: Uint8Array;
}

/**
 * The init message: the worker's control words, its float parameters, its histogram arena
 * (MAX_TASKS histograms; OP.histogram uses the first), its task list and the arrays.
 */
export interface WorkerInit extends SharedTraining {
  readonly ctrl: Int32Array;
  readonly f64: Float64Array;
  readonly hist: Float64Array;
  readonly tasks: Int32Array;
  readonly error: Uint8Array;
}
