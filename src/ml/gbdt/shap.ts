/**
 * @module ml/gbdt/shap
 * Per-prediction feature contributions by exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent
 * individualized feature attribution for tree ensembles", Algorithm 2; the same path bookkeeping as
 * XGBoost's `pred_contribs`). A feature's contribution is its Shapley value for the margin, where
 * "feature unknown" means averaging over the tree's branches weighted by training cover (hessian
 * sums). For every row: sum of contributions + bias = the raw margin, exactly up to rounding.
 *
 *   gbdtContributions(model, features, rows) -> Float64Array rows x (cols + 1), margin units;
 *     entry [r * (cols + 1) + j] is feature j's contribution to row r, the last entry the bias
 *     (baseScore + each tree's cover-weighted mean leaf value).
 *   topContributions(contribs, cols, row, k) -> the k features with the largest |contribution|.
 *
 * Cost: O(trees x leaves x depth^2) per row, fine for explaining scored customers or orders.
 *
 * @example
 *   const c = gbdtContributions(model, x, 1);
 *   topContributions(c, model.cols, 0, 3); // [{ feature: 4, contribution: 0.82 }, ...]
 */
import type { GbdtModel } from './model.js';
import { treeDepth, type Tree } from './tree.js';

export function gbdtContributions(model: GbdtModel, features: Float32Array, rows: number): Float64Array {
  const d = model.cols;
  if (features.length !== rows * d) {
    throw new Error(`gbdtContributions: ${features.length} values is not ${rows} rows x ${d} features`);
  }
  const out = new Float64Array(rows * (d + 1));
  let bias = model.baseScore;
  const depth = model.trees.reduce((m, t) => Math.max(m, treeDepth(t)), 0);
  const path = new PathBuffer(depth);
  for (const tree of model.trees) {
    const covers = consistentCovers(tree);
    bias += expectedValue(tree, covers);
    for (let r = 0; r < rows; r++) {
      if (tree.left[0]! < 0) continue; // a single leaf explains nothing; it is all bias
      treeShap(tree, covers, features, r * d, out, r * (d + 1), path, 0, 0, 0, 1, 1, -1);
    }
  }
  for (let r = 0; r < rows; r++) out[r * (d + 1) + d] = bias;
  return out;
}

export interface Contribution {
  readonly feature: number;
  readonly contribution: number;
}

/** Row `row`'s k largest contributions by absolute value (the "top reasons" for a prediction). */
export function topContributions(
  contribs: Float64Array,
  cols: number,
  row: number,
  k: number,
): Contribution[] {
  const base = row * (cols + 1);
  const all: Contribution[] = [];
  for (let j = 0; j < cols; j++) all.push({ feature: j, contribution: contribs[base + j]! });
  all.sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature - b.feature);
  return all.slice(0, k);
}

/**
 * Each node's cover as its children see it: a leaf's own hessian sum, an inner node the sum of its
 * children's (so the fractions below add up to exactly 1). Children always follow their parent in
 * the node arrays, so one backward pass suffices.
 */
function consistentCovers(tree: Tree): Float64Array {
  const n = tree.left.length;
  const c = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const l = tree.left[i]!;
    c[i] = l < 0 ? tree.cover[i]! : c[l]! + c[tree.right[i]!]!;
  }
  return c;
}

/** The tree's prediction with no feature known: leaf values weighted by cover. */
function expectedValue(tree: Tree, covers: Float64Array): number {
  let s = 0;
  for (let i = 0; i < tree.left.length; i++) if (tree.left[i]! < 0) s += covers[i]! * tree.value[i]!;
  return s / covers[0]!;
}

/**
 * The paper's "m" path of unique features: per element the feature, the fraction of "zero" paths
 * (feature unknown, cover-weighted) and "one" paths (feature known, follows x), and the permutation
 * weight. Each recursion level works on its own copy at a growing offset, so one buffer of
 * O(depth^2) serves a whole tree without allocation.
 */
class PathBuffer {
  readonly feature: Int32Array;
  readonly zero: Float64Array;
  readonly one: Float64Array;
  readonly weight: Float64Array;
  constructor(depth: number) {
    const size = ((depth + 3) * (depth + 4)) / 2;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

function extendPath(
  P: PathBuffer,
  p: number,
  depth: number,
  zero: number,
  one: number,
  feature: number,
): void {
  const W = P.weight;
  P.feature[p + depth] = feature;
  P.zero[p + depth] = zero;
  P.one[p + depth] = one;
  W[p + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    W[p + i + 1]! += (one * W[p + i]! * (i + 1)) / (depth + 1);
    W[p + i] = (zero * W[p + i]! * (depth - i)) / (depth + 1);
  }
}

function unwindPath(P: PathBuffer, p: number, depth: number, at: number): void {
  const W = P.weight;
  const one = P.one[p + at]!;
  const zero = P.zero[p + at]!;
  let next = W[p + depth]!;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = W[p + i]!;
      W[p + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = tmp - (W[p + i]! * zero * (depth - i)) / (depth + 1);
    } else {
      W[p + i] = (W[p + i]! * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = at; i < depth; i++) {
    P.feature[p + i] = P.feature[p + i + 1]!;
    P.zero[p + i] = P.zero[p + i + 1]!;
    P.one[p + i] = P.one[p + i + 1]!;
  }
}

/** Total permutation weight of the path with element `at` unwound, without modifying the path. */
function unwoundPathSum(P: PathBuffer, p: number, depth: number, at: number): number {
  const W = P.weight;
  const one = P.one[p + at]!;
  const zero = P.zero[p + at]!;
  let next = W[p + depth]!;
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = W[p + i]! - tmp * zero * ((depth - i) / (depth + 1));
    } else if (zero !== 0) {
      total += W[p + i]! / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}

function treeShap(
  tree: Tree,
  covers: Float64Array,
  x: Float32Array,
  xOff: number,
  phi: Float64Array,
  phiOff: number,
  P: PathBuffer,
  parentPath: number,
  node: number,
  depth: number,
  parentZero: number,
  parentOne: number,
  parentFeature: number,
): void {
  // This level's copy of the path sits just past the parent's.
  const p = parentPath + depth + 1;
  P.feature.copyWithin(p, parentPath, parentPath + depth + 1);
  P.zero.copyWithin(p, parentPath, parentPath + depth + 1);
  P.one.copyWithin(p, parentPath, parentPath + depth + 1);
  P.weight.copyWithin(p, parentPath, parentPath + depth + 1);
  extendPath(P, p, depth, parentZero, parentOne, parentFeature);

  const left = tree.left[node]!;
  if (left < 0) {
    const v = tree.value[node]!;
    for (let i = 1; i <= depth; i++) {
      const w = unwoundPathSum(P, p, depth, i);
      phi[phiOff + P.feature[p + i]!]! += w * (P.one[p + i]! - P.zero[p + i]!) * v;
    }
    return;
  }
  const right = tree.right[node]!;
  const f = tree.feature[node]!;
  const xv = x[xOff + f]!;
  const goLeft = xv !== xv ? tree.defaultLeft[node] === 1 : xv <= tree.threshold[node]!;
  const hot = goLeft ? left : right;
  const cold = goLeft ? right : left;
  const total = covers[node]!;
  const cHot = covers[hot]!;
  const cCold = covers[cold]!;
  let incomingZero = 1;
  let incomingOne = 1;
  // A feature already on the path is undone first, then re-entered with both fractions combined.
  let at = 0;
  while (at <= depth && P.feature[p + at] !== f) at++;
  let d = depth;
  if (at <= depth) {
    incomingZero = P.zero[p + at]!;
    incomingOne = P.one[p + at]!;
    unwindPath(P, p, depth, at);
    d -= 1;
  }
  treeShap(
    tree,
    covers,
    x,
    xOff,
    phi,
    phiOff,
    P,
    p,
    hot,
    d + 1,
    (cHot / total) * incomingZero,
    incomingOne,
    f,
  );
  treeShap(tree, covers, x, xOff, phi, phiOff, P, p, cold, d + 1, (cCold / total) * incomingZero, 0, f);
}
