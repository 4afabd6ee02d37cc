/**
 * @module ml/iforest/score
 * Anomaly scores s(x) = 2^(-E[h(x)] / c(psi)) (Liu et al. 2008, eq. 2): near 1 for points isolated
 * quickly, about 0.5 or lower for the bulk. h(x) is the number of splits to x's leaf plus c(n) for
 * the n training points still in that leaf.
 *
 * Reasons (`pathContributions`): along x's path, a split on feature j taking a node of n_k points to
 * a child of n_{k+1} shortens x's expected remaining path from c(n_k) to 1 + c(n_{k+1}); the
 * difference is credited to j. The credits telescope: per tree they sum to c(psi) - h(x), so the
 * per-feature averages over the trees add up exactly to c(psi) - E[h(x)], the splits x saved
 * against a typical point. Positive = that feature isolated x sooner than expected.
 */
import { averagePathLength } from './average-path.js';
import type { IsolationForest } from './model.js';

function checkRows(model: IsolationForest, features: Float32Array, rows: number): void {
  if (features.length !== rows * model.cols) {
    throw new Error(`isolation forest: ${features.length} values for ${rows} rows x ${model.cols} features`);
  }
}

/**
 * c(size) of every node, computed once per forest: scoring asks for it at every leaf reached and,
 * for the reasons, twice per split passed (harmonic numbers with a logarithm beyond 64 points).
 */
const nodeDepthCache = new WeakMap<IsolationForest, Float64Array>();
function nodeDepths(m: IsolationForest): Float64Array {
  let c = nodeDepthCache.get(m);
  if (!c) {
    c = Float64Array.from(m.size, (n) => averagePathLength(n));
    nodeDepthCache.set(m, c);
  }
  return c;
}

/**
 * Mean path length E[h(x)] over the trees, one per row. Tree by tree over all rows (not row by row
 * over all trees): one tree's nodes stay in cache while every row walks it, which made scoring
 * several times faster on a million orders; each row still sums its trees in tree order.
 */
export function meanPathLengths(model: IsolationForest, features: Float32Array, rows: number): Float64Array {
  checkRows(model, features, rows);
  const out = new Float64Array(rows);
  const trees = model.roots.length;
  const cols = model.cols;
  const c = nodeDepths(model);
  const { feature, threshold, left, right } = model;
  for (let t = 0; t < trees; t++) {
    const root = model.roots[t]!;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let node = root;
      let depth = 0;
      for (;;) {
        const f = feature[node]!;
        if (f < 0) break;
        node = features[base + f]! < threshold[node]! ? left[node]! : right[node]!;
        depth++;
      }
      out[r] = out[r]! + depth + c[node]!;
    }
  }
  for (let r = 0; r < rows; r++) out[r] = out[r]! / trees;
  return out;
}

/** Anomaly score in (0, 1] per row. */
export function scoreIsolationForest(
  model: IsolationForest,
  features: Float32Array,
  rows: number,
): Float64Array {
  const h = meanPathLengths(model, features, rows);
  const c = averagePathLength(model.sampleSize);
  // c(1) = 0: a forest of one-point trees cannot tell rows apart; every row scores 0.5 (2^-1).
  for (let r = 0; r < rows; r++) h[r] = c > 0 ? 2 ** (-h[r]! / c) : 0.5;
  return h;
}

/**
 * Per-feature path-depth contributions, rows x (cols + 1): the last column is c(psi), so
 * c(psi) - sum(first cols) = E[h(x)].
 */
export function pathContributions(
  model: IsolationForest,
  features: Float32Array,
  rows: number,
): Float64Array {
  return scoreWithContributions(model, features, rows).contributions;
}

/**
 * The anomaly scores and the path-depth contributions in one walk per tree and row (what scoring
 * with reasons needs: half the walks of scoreIsolationForest then pathContributions). The scores
 * are bit for bit those of scoreIsolationForest: each row sums the same path lengths in tree order.
 */
export function scoreWithContributions(
  model: IsolationForest,
  features: Float32Array,
  rows: number,
): { scores: Float64Array; contributions: Float64Array } {
  checkRows(model, features, rows);
  const cols = model.cols;
  const trees = model.roots.length;
  const out = new Float64Array(rows * (cols + 1));
  const h = new Float64Array(rows);
  const depthC = nodeDepths(model);
  const { feature, threshold, left, right } = model;
  // Tree by tree, as meanPathLengths; each entry still accumulates its trees in tree order.
  for (let t = 0; t < trees; t++) {
    const root = model.roots[t]!;
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      const o = r * (cols + 1);
      let node = root;
      let depth = 0;
      for (;;) {
        const f = feature[node]!;
        if (f < 0) break;
        const next = features[base + f]! < threshold[node]! ? left[node]! : right[node]!;
        const saved = depthC[node]! - 1 - depthC[next]!;
        out[o + f] = out[o + f]! + saved / trees;
        node = next;
        depth++;
      }
      h[r] = h[r]! + depth + depthC[node]!;
    }
  }
  const c = averagePathLength(model.sampleSize);
  for (let r = 0; r < rows; r++) {
    out[r * (cols + 1) + cols] = c;
    h[r] = c > 0 ? 2 ** (-(h[r]! / trees) / c) : 0.5;
  }
  return { scores: h, contributions: out };
}
