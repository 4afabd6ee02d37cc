/**
 * @module ml/gbdt/runner
 * The row-parallel steps of one training behind one interface, so train.ts and grow.ts read the
 * same on one thread or several: binning, gradients, histograms, partitions and the margin update.
 * `serialRunner` runs them on the calling thread; pool.ts splits each over worker threads. Both
 * give the same model to the bit (objectives.ts: gradients on a grid make histogram sums exact in
 * any order; partition.ts: the merged partition is the stable one).
 *
 * @example
 *   const arrays = allocateTraining(rows, cols, labels, 'binary', 64, 1); // one thread, depth 6
 *   const run = serialRunner(arrays);
 *   run.bin(cuts, features); run.gradients(grid, true); run.build(hist, 0, rows, features);
 */
import { binLookup, binRows, LOOKUP_MIN_ROWS, LOOKUP_SIZE, type BinCuts } from './binning.js';
import { packRowWords, wordGroups } from './histogram.js';
import { buildNodeHistogram } from './node-histogram.js';
import { OBJECTIVES, type GradientGrid } from './objectives.js';
import { addLeafRows, labelSegments, leafIdArray, leafIdBytes, SEGMENT, sumLeafRows } from './leaf-rows.js';
import {
  identityRows,
  mergeParts,
  orderGradients,
  partitionNode,
  partitionPart,
  sideTable,
} from './partition.js';
import { THRESHOLD_STRIDE, type SharedTraining } from './protocol.js';
import { quantizeOrdered, type Quantization } from './quantize.js';

/** The largest |gradient| and hessian of a round (the quantization's units, quantize.ts). */
export interface GradientExtent {
  readonly maxGrad: number;
  readonly maxHess: number;
}

export interface TrainingRunner {
  readonly arrays: SharedTraining;
  /** Bins the row-major features into arrays.bins and arrays.words. */
  bin(cuts: BinCuts, features: Float32Array): void;
  /**
   * Gradients of every row at arrays.margin; returns the largest |gradient| and hessian. With
   * `allRows` also resets arrays.rowIndex to 0, 1, ..., rows - 1 (a tree on every row), on the
   * threads that compute the gradients instead of one pass on the calling thread.
   */
  gradients(grid: GradientGrid, allRows: boolean): GradientExtent;
  /**
   * Gradient pairs of rowIndex[0..positions) by position (after gradients): into arrays.ordered,
   * or, quantized by `quant` (quantize.ts), into arrays.codes.
   */
  order(positions: number, quant: Quantization | null): void;
  /** Histogram of rowIndex[start..end) for `features` into `hist`. */
  build(hist: Float64Array, start: number, end: number, features: Int32Array): void;
  /**
   * Stable partition of rowIndex[start..end) by a split, the ordered gradient pairs moved along
   * when `withGradients` (the children will be histogrammed); returns the first right position.
   */
  partition(
    start: number,
    end: number,
    feature: number,
    bin: number,
    defaultLeft: boolean,
    withGradients: boolean,
  ): number;
  /**
   * Histograms of several nodes (one tree level's smaller children): the same as build() on each,
   * in one hand-over to the threads.
   */
  buildNodes(nodes: readonly NodeRows[], features: Int32Array): void;
  /**
   * Partitions of several nodes (one tree level's splits): the same as partition() on each with
   * the gradient pairs moved, in one hand-over to the threads; returns each node's first right
   * position.
   */
  partitionNodes(nodes: readonly NodeSplit[]): number[];
  /**
   * Writes each row's leaf into arrays.leafOf from the first `count` segments of arrays.segments
   * (leaf-rows.ts; ordered by start, tiling positions [0, positions)), and outsideLeaf(arrays) for
   * the rows the tree left out when positions < rows.
   */
  labelLeaves(count: number, positions: number): void;
  /** margin[r] += arrays.leafValues[leafOf[r]] for every row (after labelLeaves over all rows). */
  addLeaves(): void;
  /** Exact gradient and hessian sums per leaf id, from the labels, into arrays.leafSums. */
  leafSums(): void;
}

/** A node whose histogram buildNodes fills: its rows rowIndex[start..end) into `hist`. */
export interface NodeRows {
  readonly hist: Float64Array;
  readonly start: number;
  readonly end: number;
}

/** A node partitionNodes splits: rows rowIndex[start..end), value bins 1..bin left. */
export interface NodeSplit {
  readonly start: number;
  readonly end: number;
  readonly feature: number;
  readonly bin: number;
  readonly defaultLeft: boolean;
}

/** Leaves a table can hold: every leaf of a depth-wise tree, or maxLeaves, and never more than rows. */
export function leafCapacity(rows: number, maxDepth: number, maxLeaves: number, leafwise: boolean): number {
  return Math.min(rows, leafwise ? maxLeaves : 2 ** maxDepth);
}

/** The leaf id of rows a tree left out (a spare slot after the table's capacity). */
export function outsideLeaf(a: SharedTraining): number {
  return a.leafValues.length;
}

/**
 * The arrays of one training; over SharedArrayBuffers when `threads` > 1 (worker threads will
 * read them).
 */
export function allocateTraining(
  rows: number,
  cols: number,
  labels: Float32Array,
  objective: SharedTraining['objective'],
  leafCount: number,
  threads: number,
  quantized = false,
): SharedTraining {
  const shared = threads > 1;
  const buf = (bytes: number): ArrayBufferLike =>
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const sharedLabels = shared ? new Float32Array(buf(rows * 4)) : labels;
  if (shared) sharedLabels.set(labels);
  const ordered = new Float32Array(buf(rows * 8));
  return {
    rows,
    cols,
    objective,
    bins: new Uint8Array(buf(rows * cols)),
    words: new Uint32Array(buf(rows * wordGroups(cols) * 4)),
    gh: new Float32Array(buf(rows * 8)),
    ordered,
    codes: new Int16Array(ordered.buffer, 0, rows),
    quantized,
    orderedScratch: new Float32Array(buf(rows * 8)),
    rowIndex: new Uint32Array(buf(rows * 4)),
    scratch: new Uint32Array(buf(rows * 4)),
    labels: sharedLabels,
    margin: new Float64Array(buf(rows * 8)),
    segments: new Int32Array(buf(leafCount * SEGMENT * 4)),
    leafValues: new Float64Array(buf(leafCount * 8)),
    leafOf: leafIdArray(leafCount, buf(leafIdBytes(leafCount, rows)), rows),
    leafSums: new Float64Array(buf(quantized ? (leafCount + 1) * 2 * threads * 8 : 0)),
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
  return {
    arrays: a,
    bin(cuts, features) {
      const lookup = a.binLookup.length > 0 ? binLookup(cuts.thresholds, a.binLookup) : null;
      binRows(cuts.thresholds, lookup, features, 0, a.bins, a.rows, 0, a.rows);
      packRowWords(a.bins, a.rows, a.cols, a.words, 0, a.rows);
    },
    gradients(grid, allRows) {
      const extent = new Float64Array(2);
      obj.gradients(a.labels, a.margin, a.gh, grid, 0, a.rows, extent);
      if (allRows) identityRows(a.rowIndex, 0, a.rows);
      return { maxGrad: extent[0]!, maxHess: extent[1]! };
    },
    order(positions, quant) {
      if (quant) quantizeOrdered(a, quant, 0, positions);
      else orderGradients(a, 0, positions);
    },
    build: (hist, start, end, features) => buildNodeHistogram(hist, a, start, end, features),
    partition(start, end, feature, bin, defaultLeft, withGradients) {
      sideTable(bin, defaultLeft, side);
      const left = partitionPart(a, feature * a.rows, side, start, end, withGradients);
      return mergeParts(a, [start, end], [left], withGradients);
    },
    buildNodes(nodes, features) {
      for (const n of nodes) buildNodeHistogram(n.hist, a, n.start, n.end, features);
    },
    partitionNodes(nodes) {
      return nodes.map(
        (n) => n.start + partitionNode(a, n.start, n.end, n.feature, n.bin, n.defaultLeft, side),
      );
    },
    labelLeaves(count, positions) {
      if (positions < a.rows) a.leafOf.fill(outsideLeaf(a));
      labelSegments(a.segments, count, a, a.leafOf, side, 0, positions);
    },
    addLeaves: () => addLeafRows(a.leafValues, a.leafOf, a.margin, 0, a.rows),
    leafSums: () => sumLeafRows(a.leafOf, a.gh, a.leafSums, outsideLeaf(a) + 1, 0, a.rows),
  };
}
