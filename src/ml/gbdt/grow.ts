/**
 * @module ml/gbdt/grow
 * Grows one tree on binned rows, depth-wise (every node of a level) or leaf-wise (the best leaf
 * first, up to maxLeaves). Each node owns a contiguous range of `rowIndex`; a split partitions it
 * stably in place, so the rows of every node stay in ascending order (sequential reads of the
 * column-major bins).
 *
 * Histogram subtraction: only the child with fewer rows is histogrammed; the other is the parent's
 * histogram minus it (computed in the parent's buffer). Children that are already at maxDepth
 * get no histogram at all, since they can never split. Histogram sums are exact (gradients on a
 * grid, objectives.ts), so the subtraction leaves no rounding residue and the node totals can be
 * read off any one feature's histogram.
 *
 * The row-parallel work (histograms, partitions) goes through the runner (runner.ts), so the same
 * code grows a tree on one thread or several.
 *
 * With quantized gradients (quantize.ts) the histograms and every node's totals are integer sums of
 * gq and hq. The split search runs on them with its parameters rescaled into those units
 * (quantizedSplitParams: gain = gradUnit^2 / hessUnit times the gain of the integer sums), and once
 * the tree's shape is grown its leaf values and covers are renewed from the exact gradients summed
 * over each leaf's rows (runner.leafSums).
 *
 * Once grown, every row of the tree is labelled with its leaf (runner.labelLeaves, leaf-rows.ts),
 * which the leaf sums and the margin update read row by row. The last level of a depth-wise tree
 * is not partitioned at all: nothing reads its leaves' ranges, and the labels come from the bins.
 *
 * @example
 *   const { tree, leafOrder } = growTree(ctx, sampleSize, features);
 *   // arrays.leafOf[r] = i: row r is in leaf leafOrder[i] of the tree
 */
import { histogramLength, SLOTS, subtractHistogram } from './histogram.js';
import type { Quantization } from './quantize.js';
import type { TrainingRunner } from './runner.js';
import { emptySplit, findBestSplit, leafWeight, type Split, type SplitParams } from './split.js';
import { SEGMENT } from './leaf-rows.js';
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
  /** This round's quantization when the histograms hold quantized sums; null for exact ones. */
  readonly quant: Quantization | null;
  /**
   * Spare histograms of this training's length, taken and given back by every tree: allocating
   * a tree's 31 zeroed 123 KB histograms afresh (1M x 30, depth 6) cost 4.4 ms a tree on the
   * calling thread while the workers waited (a profile of 30 trees on two threads, 133 ms).
   * Their contents are never read before being written: each build fills its listed features.
   */
  readonly histograms?: Float64Array[];
}

/**
 * The split parameters in quantized units: with G = gradUnit * Gq and H = hessUnit * Hq,
 * G^2 / (H + lambda) = (gradUnit^2 / hessUnit) * Gq^2 / (Hq + lambda / hessUnit), so the integer
 * sums' gain times `gainScale` is the gain, and the floors scale to match.
 */
export function quantizedSplitParams(p: SplitParams, q: Quantization): SplitParams & { gainScale: number } {
  const gainScale = (q.gradUnit * q.gradUnit) / q.hessUnit;
  return {
    lambda: p.lambda / q.hessUnit,
    minChildHessian: p.minChildHessian / q.hessUnit,
    minSplitGain: p.minSplitGain / gainScale,
    gainScale,
  };
}

export interface GrownTree {
  readonly tree: Tree;
  /**
   * The node of each leaf id: every row of the tree is labelled in arrays.leafOf with its leaf's
   * id i (runner.labelLeaves), the tree's node leafOrder[i].
   */
  readonly leafOrder: Int32Array;
}

interface Open {
  node: number;
  /** The node's rows rowIndex[start..end); -1, -1 for the last level's leaves (never partitioned). */
  start: number;
  end: number;
  depth: number;
  grad: number;
  hess: number;
  hist: Float64Array | null;
  split: Split;
}

function child(node: number, start: number, end: number, depth: number, grad: number, hess: number): Open {
  return { node, start, end, depth, grad, hess, hist: null, split: emptySplit() };
}

/**
 * Where a grown tree's rows end up, a range of the row index each: a leaf (feature -1, left =
 * right = the leaf's node) or a split of the last level, whose rows are labelled from the bins.
 */
interface Segment {
  readonly start: number;
  readonly end: number;
  readonly feature: number;
  readonly bin: number;
  readonly defaultLeft: boolean;
  readonly left: number;
  readonly right: number;
}

export function growTree(ctx: GrowContext, sampleSize: number, features: Int32Array): GrownTree {
  const nodes = new NodeList();
  const segments: Segment[] = [];
  const pool: Float64Array[] = ctx.histograms ?? [];
  const histLength = histogramLength(ctx.cols);
  const takeHist = (): Float64Array => pool.pop() ?? new Float64Array(histLength);

  const run = ctx.runner;
  const sp = ctx.quant ? quantizedSplitParams(ctx, ctx.quant) : { ...pick(ctx), gainScale: 1 };
  // maxDepth >= 1 (params.ts), so the root always gets a histogram; its totals are the sums over
  // any one feature's bins (every row falls in exactly one).
  const rootHist = takeHist();
  run.build(rootHist, 0, sampleSize, features);
  let grad = 0;
  let hess = 0;
  for (let i = features[0]! * SLOTS * 2, end = i + SLOTS * 2; i < end; i += 2) {
    grad += rootHist[i]!;
    hess += rootHist[i + 1]!;
  }
  const root: Open = {
    node: nodes.add(hess),
    start: 0,
    end: sampleSize,
    depth: 0,
    grad,
    hess,
    hist: rootHist,
    split: emptySplit(),
  };
  findBestSplit(rootHist, features, ctx.numBins, grad, hess, sp, root.split);

  const expand = (o: Open): [Open, Open] => {
    const s = o.split;
    const depth = o.depth + 1;
    // Children at maxDepth are never histogrammed: their gradient pairs need not move.
    const mid = run.partition(o.start, o.end, s.feature, s.bin, s.defaultLeft, depth < ctx.maxDepth);
    const left: Open = {
      node: nodes.add(s.hessLeft),
      start: o.start,
      end: mid,
      depth,
      grad: s.gradLeft,
      hess: s.hessLeft,
      hist: null,
      split: emptySplit(),
    };
    const right: Open = {
      node: nodes.add(s.hessRight),
      start: mid,
      end: o.end,
      depth,
      grad: s.gradRight,
      hess: s.hessRight,
      hist: null,
      split: emptySplit(),
    };
    nodes.setSplit(o.node, s, ctx.thresholds[s.feature]!, left.node, right.node, sp.gainScale);
    if (depth < ctx.maxDepth) {
      const [small, large] = mid - o.start <= o.end - mid ? [left, right] : [right, left];
      small.hist = takeHist();
      run.build(small.hist, small.start, small.end, features);
      // The parent's buffer becomes the larger child's histogram.
      large.hist = o.hist!;
      subtractHistogram(large.hist, small.hist, features);
      findBestSplit(small.hist, features, ctx.numBins, small.grad, small.hess, sp, small.split);
      findBestSplit(large.hist, features, ctx.numBins, large.grad, large.hess, sp, large.split);
    } else if (o.hist) {
      pool.push(o.hist);
    }
    o.hist = null;
    return [left, right];
  };

  const finish = (o: Open): void => {
    // Quantized: the node's sums are quantized; renewLeaves sets the value from the exact ones.
    if (!ctx.quant) nodes.setLeaf(o.node, leafWeight(o.grad, o.hess, ctx.lambda) * ctx.learningRate);
    if (o.start >= 0) {
      segments.push({
        start: o.start,
        end: o.end,
        feature: -1,
        bin: 0,
        defaultLeft: false,
        left: o.node,
        right: o.node,
      });
    }
    if (o.hist) pool.push(o.hist);
    o.hist = null;
  };

  /**
   * Depth-wise: every split of a level at once, so the threads take the level's partitions in one
   * hand-over and its smaller children's histograms in another (runner.ts partitionNodes,
   * buildNodes). The nodes are numbered as expand() would number them one by one.
   */
  const expandLevel = (split: Open[]): Open[] => {
    if (split.length === 0) return [];
    const depth = split[0]!.depth + 1;
    if (depth === ctx.maxDepth) return lastLevel(split, depth);
    const mids = run.partitionNodes(
      split.map((o) => ({
        start: o.start,
        end: o.end,
        feature: o.split.feature,
        bin: o.split.bin,
        defaultLeft: o.split.defaultLeft,
      })),
    );
    const children: Open[] = [];
    const pairs: [Open, Open, Open][] = [];
    split.forEach((o, i) => {
      const s = o.split;
      const mid = mids[i]!;
      const left = child(nodes.add(s.hessLeft), o.start, mid, depth, s.gradLeft, s.hessLeft);
      const right = child(nodes.add(s.hessRight), mid, o.end, depth, s.gradRight, s.hessRight);
      nodes.setSplit(o.node, s, ctx.thresholds[s.feature]!, left.node, right.node, sp.gainScale);
      children.push(left, right);
      pairs.push(mid - o.start <= o.end - mid ? [o, left, right] : [o, right, left]);
    });
    for (const [, small] of pairs) small.hist = takeHist();
    run.buildNodes(
      pairs.map(([, small]) => ({ hist: small.hist!, start: small.start, end: small.end })),
      features,
    );
    for (const [o, small, large] of pairs) {
      large.hist = o.hist!;
      subtractHistogram(large.hist, small.hist!, features);
      findBestSplit(small.hist!, features, ctx.numBins, small.grad, small.hess, sp, small.split);
      findBestSplit(large.hist, features, ctx.numBins, large.grad, large.hess, sp, large.split);
    }
    for (const o of split) o.hist = null;
    return children;
  };

  /**
   * The splits whose children are at maxDepth: the children are leaves, which nothing reads by
   * range, so the level is not partitioned; labelLeaves sends their rows to them from the bins.
   */
  const lastLevel = (split: Open[], depth: number): Open[] => {
    const children: Open[] = [];
    for (const o of split) {
      const s = o.split;
      const left = child(nodes.add(s.hessLeft), -1, -1, depth, s.gradLeft, s.hessLeft);
      const right = child(nodes.add(s.hessRight), -1, -1, depth, s.gradRight, s.hessRight);
      nodes.setSplit(o.node, s, ctx.thresholds[s.feature]!, left.node, right.node, sp.gainScale);
      segments.push({
        start: o.start,
        end: o.end,
        feature: s.feature,
        bin: s.bin,
        defaultLeft: s.defaultLeft,
        left: left.node,
        right: right.node,
      });
      children.push(left, right);
      if (o.hist) pool.push(o.hist);
      o.hist = null;
    }
    return children;
  };

  if (!ctx.leafwise) {
    let level: Open[] = [root];
    while (level.length > 0) {
      const split: Open[] = [];
      for (const o of level) {
        if (o.split.feature >= 0 && o.depth < ctx.maxDepth) split.push(o);
        else finish(o);
      }
      level = expandLevel(split);
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
      open.push(...expand(o));
      leaves++;
    }
    for (const o of open) finish(o);
  }
  const leafOrder = writeSegments(run.arrays.segments, segments);
  run.labelLeaves(segments.length, sampleSize);
  if (ctx.quant) nodes.renewLeaves(run, leafOrder, ctx.lambda, ctx.learningRate);
  return { tree: nodes.toTree(), leafOrder };
}

/**
 * Writes the label table (leaf-rows.ts) of a grown tree: its segments by start, which tile the
 * tree's positions, leaf ids in that order (a split's left leaf before its right). Returns the
 * node of each leaf id.
 */
function writeSegments(out: Int32Array, segments: Segment[]): Int32Array {
  segments.sort((x, y) => x.start - y.start);
  const leafOrder: number[] = [];
  segments.forEach((g, i) => {
    const at = i * SEGMENT;
    const id = leafOrder.length;
    out[at] = g.start;
    out[at + 1] = g.end;
    out[at + 2] = g.feature;
    out[at + 3] = g.bin;
    out[at + 4] = g.defaultLeft ? 1 : 0;
    out[at + 5] = id;
    out[at + 6] = g.feature < 0 ? id : id + 1;
    leafOrder.push(g.left);
    if (g.feature >= 0) leafOrder.push(g.right);
  });
  return Int32Array.from(leafOrder);
}

function pick(p: SplitParams): SplitParams {
  return { lambda: p.lambda, minChildHessian: p.minChildHessian, minSplitGain: p.minSplitGain };
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

  add(cover: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.bin.push(0);
    this.defaultLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(0);
    this.cover.push(cover);
    this.gain.push(0);
    return this.feature.length - 1;
  }

  /** `gainScale` turns the split's gain into loss units (quantized sums; else 1). */
  setSplit(
    i: number,
    s: Split,
    thresholds: Float64Array,
    left: number,
    right: number,
    gainScale: number,
  ): void {
    this.feature[i] = s.feature;
    // Bin b's upper edge; the last bin (a missing-vs-present split) has none, so +Infinity.
    this.threshold[i] = s.bin - 1 < thresholds.length ? thresholds[s.bin - 1]! : Infinity;
    this.bin[i] = s.bin;
    this.defaultLeft[i] = s.defaultLeft ? 1 : 0;
    this.left[i] = left;
    this.right[i] = right;
    this.gain[i] = s.gain * gainScale;
  }

  setLeaf(i: number, value: number): void {
    this.value[i] = value;
  }

  /**
   * Every leaf's value and cover from the exact gradient sums over its rows (labelled with their
   * leaf ids, `leafOrder` giving each id's node), and each inner node's cover as its children's
   * sum (children always come after their parent, so one backward pass). Exact sums: the same
   * bits in any order, so on any number of threads.
   */
  renewLeaves(run: TrainingRunner, leafOrder: Int32Array, lambda: number, learningRate: number): void {
    run.leafSums();
    const sums = run.arrays.leafSums;
    leafOrder.forEach((node, i) => {
      this.value[node] = leafWeight(sums[2 * i]!, sums[2 * i + 1]!, lambda) * learningRate;
      this.cover[node] = sums[2 * i + 1]!;
    });
    for (let i = this.left.length - 1; i >= 0; i--) {
      if (this.left[i]! >= 0) this.cover[i] = this.cover[this.left[i]!]! + this.cover[this.right[i]!]!;
    }
  }

  toTree(): Tree {
    return {
      feature: Int32Array.from(this.feature),
      threshold: Float64Array.from(this.threshold),
      bin: Uint8Array.from(this.bin),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      cover: Float64Array.from(this.cover),
      gain: Float64Array.from(this.gain),
    };
  }
}
