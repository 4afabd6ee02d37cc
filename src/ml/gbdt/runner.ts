/**
 * @module ml/gbdt/runner
 * The row-parallel steps of one training behind one interface, so train.ts and grow.ts read the
 * same on one thread or several: binning, gradients, histograms, partitions and the margin update.
 * `serialRunner` runs them on the calling thread; pool.ts deals each tree's positions to the
 * threads in fixed parts (data-parallel by rows, as LightGBM's and XGBoost's distributed modes):
 * each thread partitions and histograms its own part of every node, and only histograms cross
 * threads. Both give the same model to the bit (objectives.ts: gradients on a grid make histogram
 * sums exact in any order, so a node's histogram is the same whichever thread summed which rows).
 *
 * @example
 *   const arrays = allocateTraining(rows, cols, labels, 'binary', 64, false);
 *   const run = serialRunner(arrays);
 *   run.bin(cuts, features); run.gradients(grid); run.build(hist, Int32Array.of(0, rows), features);
 */
import { binLookup, binRows, LOOKUP_MIN_ROWS, LOOKUP_SIZE, type BinCuts } from './binning.js';
import { buildHistogram, packRowWords, wordGroups } from './histogram.js';
import { levelPart } from './jobs.js';
import { OBJECTIVES, type GradientGrid } from './objectives.js';
import { addLeafValues, orderGradients } from './partition.js';
import { LEVEL_TASK, THRESHOLD_STRIDE, type SharedTraining } from './protocol.js';

export interface TrainingRunner {
  readonly arrays: SharedTraining;
  /**
   * The threads the positions are dealt to. Each tree's positions [0, n) are cut once into
   * `parts` fixed ranges (partBounds), one per thread; a node then holds a range in each part
   * (`ranges[2t]`, `ranges[2t + 1]`) and every thread partitions and histograms its own.
   */
  readonly parts: number;
  /** Bins the row-major features into arrays.bins and arrays.words. */
  bin(cuts: BinCuts, features: Float32Array): void;
  /** Gradients of every row at arrays.margin. */
  gradients(grid: GradientGrid): void;
  /** Gradient pairs of rowIndex[0..positions) into arrays.ordered, by position (after gradients). */
  order(positions: number): void;
  /** Histogram of a node's rows (its range in every part) for `features` into `hist`. */
  build(hist: Float64Array, ranges: Int32Array, features: Int32Array): void;
  /**
   * One tree level's splits (or one node's, leaf-wise): each part's range of every node
   * partitioned stably by its split (the ordered gradient pairs moved along when `withGradients`),
   * then the histogram of the child a node names into its `hist`. Returns the first right
   * position of every node in every part: mids[i * parts + t].
   */
  splitNodes(nodes: readonly NodeSplit[], features: Int32Array, withGradients: boolean): Int32Array;
  /** margin[rowIndex[k]] += value of the leaf holding k, for `count` (start, end, value) triples. */
  addLeaves(leaves: Float64Array, count: number, positions: number): void;
}

/** A node splitNodes splits: its range in every part, value bins 1..bin left. */
export interface NodeSplit {
  readonly ranges: Int32Array;
  readonly feature: number;
  readonly bin: number;
  readonly defaultLeft: boolean;
  /** The histogram to fill with the left child's rows (buildLeft) or the right's; null: none. */
  readonly hist: Float64Array | null;
  readonly buildLeft: boolean;
}

/** Part t's positions of a tree of `positions` rows: [bounds[t], bounds[t + 1]). */
export function partBounds(positions: number, parts: number): number[] {
  const bounds = [0];
  for (let i = 1; i < parts; i++) bounds.push(Math.floor((positions * i) / parts));
  bounds.push(positions);
  return bounds;
}

/** Part `part`'s ranges of `nodes` as OP.level tasks (protocol.ts LEVEL_TASK) in `tasks`. */
export function levelTasks(nodes: readonly NodeSplit[], part: number, tasks: Int32Array): void {
  nodes.forEach((n, i) => {
    const at = i * LEVEL_TASK;
    tasks[at] = n.ranges[2 * part]!;
    tasks[at + 1] = n.ranges[2 * part + 1]!;
    tasks[at + 2] = n.feature;
    tasks[at + 3] = n.bin;
    tasks[at + 4] = n.defaultLeft ? 1 : 0;
    tasks[at + 5] = n.hist === null ? 0 : n.buildLeft ? 1 : 2;
    tasks[at + 6] = -1;
  });
}

/** Leaves a table can hold: every leaf of a depth-wise tree, or maxLeaves, and never more than rows. */
export function leafCapacity(rows: number, maxDepth: number, maxLeaves: number, leafwise: boolean): number {
  return Math.min(rows, leafwise ? maxLeaves : 2 ** maxDepth);
}

/** The arrays of one training; over SharedArrayBuffers when worker threads will read them. */
export function allocateTraining(
  rows: number,
  cols: number,
  labels: Float32Array,
  objective: SharedTraining['objective'],
  leafCount: number,
  shared: boolean,
): SharedTraining {
  const buf = (bytes: number): ArrayBufferLike =>
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const sharedLabels = shared ? new Float32Array(buf(rows * 4)) : labels;
  if (shared) sharedLabels.set(labels);
  return {
    rows,
    cols,
    objective,
    bins: new Uint8Array(buf(rows * cols)),
    words: new Uint32Array(buf(rows * wordGroups(cols) * 4)),
    gh: new Float32Array(buf(rows * 8)),
    ordered: new Float32Array(buf(rows * 8)),
    orderedScratch: new Float32Array(buf(rows * 8)),
    rowIndex: new Uint32Array(buf(rows * 4)),
    scratch: new Uint32Array(buf(rows * 4)),
    labels: sharedLabels,
    margin: new Float64Array(buf(rows * 8)),
    leaves: new Float64Array(buf(leafCount * 3 * 8)),
    stage: new Float32Array(buf(shared ? STAGE_ROWS * cols * 4 : 0)),
    thresholds: new Float64Array(buf(shared ? cols * THRESHOLD_STRIDE * 8 : 0)),
    thresholdCounts: new Int32Array(buf(shared ? cols * 4 : 0)),
    binLookup: new Uint8Array(buf(rows >= LOOKUP_MIN_ROWS ? cols * LOOKUP_SIZE : 0)),
  };
}

/** Rows per staging block when worker threads bin the features (about 4 MB at 30 features). */
export const STAGE_ROWS = 32_768;

export function serialRunner(a: SharedTraining): TrainingRunner {
  const obj = OBJECTIVES[a.objective];
  const side = new Uint8Array(256);
  let tasks = new Int32Array(0);
  return {
    arrays: a,
    parts: 1,
    bin(cuts, features) {
      const lookup = a.binLookup.length > 0 ? binLookup(cuts.thresholds, a.binLookup) : null;
      binRows(cuts.thresholds, lookup, features, 0, a.bins, a.rows, 0, a.rows);
      packRowWords(a.bins, a.rows, a.cols, a.words, 0, a.rows);
    },
    gradients: (grid) => obj.gradients(a.labels, a.margin, a.gh, grid, 0, a.rows),
    order: (positions) => orderGradients(a, 0, positions),
    build: (hist, ranges, features) => buildHistogram(hist, a, ranges[0]!, ranges[1]!, features),
    splitNodes(nodes, features, withGradients) {
      if (tasks.length < nodes.length * LEVEL_TASK) tasks = new Int32Array(nodes.length * LEVEL_TASK);
      levelTasks(nodes, 0, tasks);
      levelPart(a, tasks, nodes.length, features, withGradients, 1, side, (i) => nodes[i]!.hist!);
      return Int32Array.from(nodes, (n, i) => n.ranges[0]! + tasks[i * LEVEL_TASK + 6]!);
    },
    addLeaves: (leaves, count, positions) => addLeafValues(leaves, count, a.rowIndex, a.margin, 0, positions),
  };
}
