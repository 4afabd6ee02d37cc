/**
 * @module ml/iforest/train
 * Isolation forest (Liu, Ting and Zhou 2008): each tree is grown on a random subsample of
 * `sampleSize` rows by splitting on a random feature at a uniform random value between that
 * feature's minimum and maximum in the node, until a node holds one row or the depth reaches
 * ceil(log2(sampleSize)). Anomalies are isolated in few splits.
 *
 * Missing values (NaN) go right at every split and do not count towards the node's minimum and
 * maximum: a missing field neither isolates a row nor hides it. A feature that is constant (or all
 * missing) in a node is skipped; a node where every feature is constant becomes a leaf.
 */
import { Rng } from '../../core/random.js';
import type { IsolationForest } from './model.js';

export interface IsolationForestParams {
  /** Number of trees (the paper's t = 100). */
  readonly trees?: number;
  /** Rows per tree (the paper's psi = 256); capped at the rows available. */
  readonly sampleSize?: number;
  readonly seed?: number;
}

export interface TrainIsolationForestInput {
  /** Row-major rows x cols; NaN = missing. */
  readonly features: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly params?: IsolationForestParams;
}

export const DEFAULT_IFOREST_PARAMS = { trees: 100, sampleSize: 256, seed: 1 } as const;

/** Growable node store shared by all trees of one forest. */
class NodeStore {
  feature: number[] = [];
  threshold: number[] = [];
  left: number[] = [];
  right: number[] = [];
  size: number[] = [];
  add(size: number): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.size.push(size);
    return this.size.length - 1;
  }
}

export function trainIsolationForest(input: TrainIsolationForestInput): IsolationForest {
  const { features, rows, cols } = input;
  const trees = input.params?.trees ?? DEFAULT_IFOREST_PARAMS.trees;
  const seed = input.params?.seed ?? DEFAULT_IFOREST_PARAMS.seed;
  if (rows < 1) throw new Error('isolation forest: no rows to train on');
  if (cols < 1) throw new Error('isolation forest: no features');
  if (features.length !== rows * cols) {
    throw new Error(`isolation forest: ${features.length} values for ${rows} rows x ${cols} features`);
  }
  if (!Number.isInteger(trees) || trees < 1)
    throw new Error(`isolation forest: trees must be >= 1 (got ${trees})`);
  const sampleSize = Math.min(input.params?.sampleSize ?? DEFAULT_IFOREST_PARAMS.sampleSize, rows);
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new Error(`isolation forest: sampleSize must be >= 1 (got ${sampleSize})`);
  }
  const maxDepth = Math.ceil(Math.log2(Math.max(sampleSize, 2)));
  const rng = new Rng(seed);
  const store = new NodeStore();
  const roots = new Int32Array(trees);
  const all = Uint32Array.from({ length: rows }, (_, i) => i);
  const order = new Int32Array(cols);

  const grow = (idx: Uint32Array, depth: number): number => {
    const node = store.add(idx.length);
    if (idx.length <= 1 || depth >= maxDepth) return node;
    // Features in random order; the first one that varies in this node is the split feature.
    for (let j = 0; j < cols; j++) order[j] = j;
    for (let j = cols - 1; j > 0; j--) {
      const k = rng.int(j + 1);
      const t = order[j]!;
      order[j] = order[k]!;
      order[k] = t;
    }
    for (let o = 0; o < cols; o++) {
      const f = order[o]!;
      let lo = Infinity;
      let hi = -Infinity;
      for (const r of idx) {
        const v = features[r * cols + f]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!(hi > lo)) continue;
      // Uniform in (lo, hi]: a threshold equal to lo would send nothing left.
      let t = lo + rng.float() * (hi - lo);
      if (t <= lo) t = hi;
      let nLeft = 0;
      for (const r of idx) if (features[r * cols + f]! < t) nLeft++;
      const leftIdx = new Uint32Array(nLeft);
      const rightIdx = new Uint32Array(idx.length - nLeft);
      let a = 0;
      let b = 0;
      for (const r of idx) {
        if (features[r * cols + f]! < t) leftIdx[a++] = r;
        else rightIdx[b++] = r;
      }
      store.feature[node] = f;
      store.threshold[node] = t;
      store.left[node] = grow(leftIdx, depth + 1);
      store.right[node] = grow(rightIdx, depth + 1);
      return node;
    }
    return node;
  };

  for (let t = 0; t < trees; t++) {
    // Partial Fisher-Yates: the first sampleSize entries become a uniform sample without replacement.
    for (let i = 0; i < sampleSize; i++) {
      const k = i + rng.int(rows - i);
      const tmp = all[i]!;
      all[i] = all[k]!;
      all[k] = tmp;
    }
    roots[t] = grow(all.slice(0, sampleSize), 0);
  }
  return {
    cols,
    sampleSize,
    roots,
    feature: Int32Array.from(store.feature),
    threshold: Float64Array.from(store.threshold),
    left: Int32Array.from(store.left),
    right: Int32Array.from(store.right),
    size: Int32Array.from(store.size),
    seed,
  };
}
