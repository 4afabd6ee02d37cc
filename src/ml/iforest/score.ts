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

/** h(x) in one tree for the row starting at `base`. */
function pathLength(m: IsolationForest, root: number, features: Float32Array, base: number): number {
  let node = root;
  let depth = 0;
  for (;;) {
    const f = m.feature[node]!;
    if (f < 0) return depth + averagePathLength(m.size[node]!);
    node = features[base + f]! < m.threshold[node]! ? m.left[node]! : m.right[node]!;
    depth++;
  }
}

/** Mean path length E[h(x)] over the trees, one per row. */
export function meanPathLengths(model: IsolationForest, features: Float32Array, rows: number): Float64Array {
  checkRows(model, features, rows);
  const out = new Float64Array(rows);
  const trees = model.roots.length;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let t = 0; t < trees; t++) s += pathLength(model, model.roots[t]!, features, r * model.cols);
    out[r] = s / trees;
  }
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
  checkRows(model, features, rows);
  const cols = model.cols;
  const trees = model.roots.length;
  const out = new Float64Array(rows * (cols + 1));
  const c = averagePathLength(model.sampleSize);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const o = r * (cols + 1);
    for (let t = 0; t < trees; t++) {
      let node = model.roots[t]!;
      for (;;) {
        const f = model.feature[node]!;
        if (f < 0) break;
        const next = features[base + f]! < model.threshold[node]! ? model.left[node]! : model.right[node]!;
        const saved = averagePathLength(model.size[node]!) - 1 - averagePathLength(model.size[next]!);
        out[o + f] = out[o + f]! + saved / trees;
        node = next;
      }
    }
    out[o + cols] = c;
  }
  return out;
}
