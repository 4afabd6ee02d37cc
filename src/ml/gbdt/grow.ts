/**
 * @module ml/gbdt/grow
 * Grows one tree on binned rows, depth-wise (every node of a level) or leaf-wise (the best leaf
 * first, up to maxLeaves). The tree's positions of `rowIndex` are cut into the runner's parts (one
 * per thread, runner.ts); each node owns a contiguous range in each part, and a split partitions
 * each range stably in place, so the rows of every node stay in ascending order within a part
 * (sequential reads of the column-major bins).
 *
 * Histogram subtraction: only the child with the smaller hessian sum is histogrammed (the row count
 * for regression, close to it for binary); the other is the parent's
 * histogram minus it (computed in the parent's buffer). Children that are already at maxDepth
 * get no histogram at all, since they can never split. Histogram sums are exact (gradients on a
 * grid, objectives.ts), so the subtraction leaves no rounding residue and the node totals can be
 * read off any one feature's histogram.
 *
 * The row-parallel work (histograms, partitions) goes through the runner (runner.ts), so the same
 * code grows a tree on one thread or several: a level's partitions and histograms are one
 * hand-over, and only the calling thread searches splits.
 *
 * @example
 *   const { tree, nodeRanges, parts } = growTree(ctx, sampleSize, features);
 */
import { histogramLength, SLOTS, subtractHistogram } from './histogram.js';
import { partBounds, type TrainingRunner } from './runner.js';
import { emptySplit, findBestSplit, leafWeight, type Split } from './split.js';
import type { Tree } from './tree.js';

export interface GrowContext {
  readonly cols: number;
  readonly numBins: Int32Array;
  readonly thresholds: readonly Float64Array[];
  /** Row indices of this tree's sample sit in runner.arrays.rowIndex[0..sampleSize). */
  readonly runner: TrainingRunner;
  readonly maxDepth: number;
  readonly maxLeaves: number;
  readonly leafwise: boolean;
  readonly learningRate: number;
  readonly lambda: number;
  readonly minChildHessian: number;
  readonly minSplitGain: number;
}

export interface GrownTree {
  readonly tree: Tree;
  /**
   * Each node's range of rowIndex in each part (runner.ts): node i, part t holds positions
   * [nodeRanges[(i * parts + t) * 2], nodeRanges[(i * parts + t) * 2 + 1]) (valid for leaves).
   */
  readonly nodeRanges: Int32Array;
  readonly parts: number;
}

interface Open {
  node: number;
  /** The node's range in every part: ranges[2t], ranges[2t + 1]. */
  ranges: Int32Array;
  depth: number;
  grad: number;
  hess: number;
  hist: Float64Array | null;
  split: Split;
}

function child(node: number, ranges: Int32Array, depth: number, grad: number, hess: number): Open {
  return { node, ranges, depth, grad, hess, hist: null, split: emptySplit() };
}

export function growTree(ctx: GrowContext, sampleSize: number, features: Int32Array): GrownTree {
  const run = ctx.runner;
  const parts = run.parts;
  const nodes = new NodeList(parts);
  const pool: Float64Array[] = [];
  const histLength = histogramLength(ctx.cols);
  const takeHist = (): Float64Array => pool.pop() ?? new Float64Array(histLength);

  // maxDepth >= 1 (params.ts), so the root always gets a histogram; its totals are the sums over
  // any one feature's bins (every row falls in exactly one).
  const bounds = partBounds(sampleSize, parts);
  const rootRanges = new Int32Array(2 * parts);
  for (let t = 0; t < parts; t++) {
    rootRanges[2 * t] = bounds[t]!;
    rootRanges[2 * t + 1] = bounds[t + 1]!;
  }
  const rootHist = takeHist();
  run.build(rootHist, rootRanges, features);
  let grad = 0;
  let hess = 0;
  for (let i = features[0]! * SLOTS * 2, end = i + SLOTS * 2; i < end; i += 2) {
    grad += rootHist[i]!;
    hess += rootHist[i + 1]!;
  }
  const root = child(nodes.add(rootRanges, hess), rootRanges, 0, grad, hess);
  root.hist = rootHist;
  findBestSplit(rootHist, features, ctx.numBins, grad, hess, ctx, root.split);

  /**
   * Splits the given nodes (one depth-wise level, or one leaf-wise node) in one hand-over to the
   * threads: each partitions its part of every node and histograms its part of the child with
   * the smaller hessian sum (the larger is the parent's histogram minus it: exact sums, so
   * which child is built changes the cost, never the bits; for regression the hessian is the row
   * count). Children at maxDepth are never histogrammed, so their gradient pairs need not move.
   * The nodes are numbered as one-by-one expansion would number them.
   */
  const expandNodes = (split: Open[]): Open[] => {
    if (split.length === 0) return [];
    const depth = split[0]!.depth + 1;
    const withGradients = depth < ctx.maxDepth;
    const work = split.map((o) => ({
      ranges: o.ranges,
      feature: o.split.feature,
      bin: o.split.bin,
      defaultLeft: o.split.defaultLeft,
      hist: withGradients ? takeHist() : null,
      buildLeft: o.split.hessLeft <= o.split.hessRight,
    }));
    const mids = run.splitNodes(work, features, withGradients);
    const children: Open[] = [];
    split.forEach((o, i) => {
      const s = o.split;
      const leftRanges = o.ranges.slice();
      const rightRanges = o.ranges.slice();
      for (let t = 0; t < parts; t++) {
        leftRanges[2 * t + 1] = mids[i * parts + t]!;
        rightRanges[2 * t] = mids[i * parts + t]!;
      }
      const left = child(nodes.add(leftRanges, s.hessLeft), leftRanges, depth, s.gradLeft, s.hessLeft);
      const right = child(nodes.add(rightRanges, s.hessRight), rightRanges, depth, s.gradRight, s.hessRight);
      nodes.setSplit(o.node, s, ctx.thresholds[s.feature]!, left.node, right.node);
      children.push(left, right);
      const small = work[i]!.buildLeft ? left : right;
      const large = work[i]!.buildLeft ? right : left;
      if (withGradients) {
        small.hist = work[i]!.hist;
        // The parent's buffer becomes the larger child's histogram.
        large.hist = o.hist!;
        subtractHistogram(large.hist, small.hist!, features);
        findBestSplit(small.hist!, features, ctx.numBins, small.grad, small.hess, ctx, small.split);
        findBestSplit(large.hist, features, ctx.numBins, large.grad, large.hess, ctx, large.split);
      } else if (o.hist) pool.push(o.hist);
      o.hist = null;
    });
    return children;
  };

  const finish = (o: Open): void => {
    nodes.setLeaf(o.node, leafWeight(o.grad, o.hess, ctx.lambda) * ctx.learningRate);
    if (o.hist) pool.push(o.hist);
    o.hist = null;
  };

  if (!ctx.leafwise) {
    let level: Open[] = [root];
    while (level.length > 0) {
      const split: Open[] = [];
      for (const o of level) {
        if (o.split.feature >= 0 && o.depth < ctx.maxDepth) split.push(o);
        else finish(o);
      }
      level = expandNodes(split);
    }
  } else {
    const open: Open[] = [root];
    let leaves = 1;
    while (leaves < ctx.maxLeaves) {
      let bestAt = -1;
      for (let i = 0; i < open.length; i++) {
        const s = open[i]!.split;
        if (s.feature >= 0 && (bestAt < 0 || s.gain > open[bestAt]!.split.gain)) bestAt = i;
      }
      if (bestAt < 0) break;
      const o = open[bestAt]!;
      open.splice(bestAt, 1);
      open.push(...expandNodes([o]));
      leaves++;
    }
    for (const o of open) finish(o);
  }
  return nodes.toTree();
}

/** Growable node storage, frozen into a Tree at the end. */
class NodeList {
  private feature: number[] = [];
  private threshold: number[] = [];
  private bin: number[] = [];
  private defaultLeft: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private value: number[] = [];
  private cover: number[] = [];
  private gain: number[] = [];
  private ranges: number[] = [];

  constructor(private readonly parts: number) {}

  add(ranges: Int32Array, cover: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.bin.push(0);
    this.defaultLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    this.cover.push(cover);
    this.gain.push(0);
    for (let i = 0; i < 2 * this.parts; i++) this.ranges.push(ranges[i]!);
    return this.feature.length - 1;
  }

  setSplit(i: number, s: Split, thresholds: Float64Array, left: number, right: number): void {
    this.feature[i] = s.feature;
    // Bin b's upper edge; the last bin (a missing-vs-present split) has none, so +Infinity.
    this.threshold[i] = s.bin - 1 < thresholds.length ? thresholds[s.bin - 1]! : Infinity;
    this.bin[i] = s.bin;
    this.defaultLeft[i] = s.defaultLeft ? 1 : 0;
    this.left[i] = left;
    this.right[i] = right;
    this.gain[i] = s.gain;
  }

  setLeaf(i: number, value: number): void {
    this.value[i] = value;
  }

  toTree(): GrownTree {
    return {
      tree: {
        feature: Int32Array.from(this.feature),
        threshold: Float64Array.from(this.threshold),
        bin: Uint8Array.from(this.bin),
        defaultLeft: Uint8Array.from(this.defaultLeft),
        left: Int32Array.from(this.left),
        right: Int32Array.from(this.right),
        value: Float64Array.from(this.value),
        cover: Float64Array.from(this.cover),
        gain: Float64Array.from(this.gain),
      },
      nodeRanges: Int32Array.from(this.ranges),
      parts: this.parts,
    };
  }
}
