/**
 * @module ml/linear/sparse-logistic
 * L2-regularised logistic regression over sparse CSR features (TF-IDF text: hundreds of thousands
 * of columns, a few hundred non-zeros a row), binary or multinomial, trained with the project's
 * L-BFGS (ml/optimize). The dense IRLS model in logistic.ts is for tens of standardised features;
 * this one never densifies the data and does not standardise (TF-IDF rows are already unit scale).
 *
 * Objective, with sample weights s_i (default 1) and S = sum s_i:
 *   (1/S) sum_i s_i loss_i + (l2 / (2 S)) ||W||^2        (intercepts not penalised)
 * i.e. scikit-learn's LogisticRegression(C = 1 / l2) (its lbfgs solver averages the same way, which
 * makes the gradient tolerance mean the same thing for any number of rows).
 *   - 2 classes: one weight vector, p(class 1) = sigmoid(b + x.w)  (scikit-learn's binary case);
 *   - K > 2 classes: softmax over K weight vectors (multi_class='multinomial'). The intercepts are
 *     only defined up to a common shift (softmax ignores it, they are not penalised); started at 0,
 *     every L-BFGS step keeps their sum at 0, as scikit-learn's do.
 *
 * Weights are stored feature-major (cols x K), so the K weights of one non-zero sit together. One
 * objective evaluation is one pass over the non-zeros computing loss and gradient together; the
 * gradient is kept for the L-BFGS call that asks for it at the same point, so an accepted step costs
 * one pass. Scratch arrays are allocated once per training.
 *
 * @example
 *   const m = trainSparseLogistic({ x, labels, l2: 1 });
 *   const p = predictProbaSparse(m, xTest); // rows x classes, row-major
 */
import { lbfgs } from '../optimize/lbfgs.js';
import type { Csr } from '../sparse/csr.js';

export interface SparseLogisticInput {
  readonly x: Csr;
  /** Class index per row, 0 .. classes-1. */
  readonly labels: ArrayLike<number>;
  /** Number of classes; default max label + 1 (at least 2). */
  readonly classes?: number;
  /** L2 penalty (= 1 / C in scikit-learn); default 1. */
  readonly l2?: number;
  /** Per-row weights (>= 0); default 1. */
  readonly sampleWeight?: ArrayLike<number>;
  /** Default 500. */
  readonly maxIterations?: number;
  /** Stop when the largest gradient component of the averaged objective is below this; default 1e-6. */
  readonly gradientTolerance?: number;
  /** Stop when the objective changes by less than this, relative; default 1e-10. */
  readonly valueTolerance?: number;
  /**
   * Where L-BFGS starts (default all zeros): a model fitted on similar data (a subset of these
   * rows) starts it near the solution, so it needs fewer passes. Same columns and classes.
   */
  readonly initial?: SparseLogisticModel;
}

export interface SparseLogisticModel {
  readonly classes: number;
  readonly cols: number;
  /** 2 classes: cols weights (class 1 against 0). K > 2: cols x K, feature-major. */
  readonly weights: Float64Array;
  /** 1 intercept for 2 classes, K otherwise. */
  readonly intercept: Float64Array;
  readonly l2: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** The objective at the solution. */
  readonly loss: number;
}

export function trainSparseLogistic(input: SparseLogisticInput): SparseLogisticModel {
  const { x, labels } = input;
  const n = x.rows;
  const d = x.cols;
  const l2 = input.l2 ?? 1;
  if (labels.length !== n) throw new Error(`sparse logistic: ${labels.length} labels for ${n} rows`);
  if (!(l2 >= 0)) throw new RangeError(`sparse logistic: l2 must be >= 0 (got ${l2})`);
  let maxLabel = 0;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    if (!Number.isInteger(c) || c < 0)
      throw new Error(`sparse logistic: label ${c} at row ${i} (need 0, 1, 2, ...)`);
    y[i] = c;
    if (c > maxLabel) maxLabel = c;
  }
  const classes = input.classes ?? Math.max(2, maxLabel + 1);
  if (maxLabel >= classes) throw new Error(`sparse logistic: label ${maxLabel} but only ${classes} classes`);
  const s = new Float64Array(n);
  let sTotal = 0;
  for (let i = 0; i < n; i++) {
    const w = input.sampleWeight ? input.sampleWeight[i]! : 1;
    if (!(w >= 0)) throw new Error(`sparse logistic: sample weight ${w} at row ${i} (need >= 0)`);
    s[i] = w;
    sTotal += w;
  }
  if (!(sTotal > 0)) throw new Error('sparse logistic: no rows with positive weight');

  const k = classes === 2 ? 1 : classes;
  // Columns renumbered by how many rows hold them, most first: the weights the passes touch most
  // sit together and stay in cache (text features are Zipf-distributed). The objective does not
  // depend on the numbering; the weights are put back in the input's order at the end.
  const { order, rank, permuted } = byFrequency(x);
  const objective =
    classes === 2
      ? binaryObjective(permuted, y, s, sTotal, l2)
      : softmaxObjective(permuted, y, s, sTotal, l2, k);
  const start = new Float64Array(d * k + k);
  if (input.initial) {
    const m = input.initial;
    if (m.cols !== d || m.intercept.length !== k)
      throw new Error(
        `sparse logistic: the initial model has ${m.cols} features and ${m.intercept.length} intercepts, need ${d} and ${k}`,
      );
    for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) start[rank[j]! * k + c] = m.weights[j * k + c]!;
    start.set(m.intercept, d * k);
  }
  const result = lbfgs(
    objective.value,
    start,
    {
      maxIterations: input.maxIterations ?? 500,
      gradientTolerance: input.gradientTolerance ?? 1e-6,
      valueTolerance: input.valueTolerance ?? 1e-10,
    },
    objective.gradient,
  );
  const weights = new Float64Array(d * k);
  for (let r = 0; r < d; r++) for (let c = 0; c < k; c++) weights[order[r]! * k + c] = result.x[r * k + c]!;
  return {
    classes,
    cols: d,
    weights,
    intercept: result.x.slice(d * k),
    l2,
    iterations: result.iterations,
    converged: result.converged,
    loss: result.value,
  };
}

/**
 * Columns ordered by the number of rows holding them (most first, ties by column): order[r] is the
 * column at rank r, rank[j] the rank of column j, and the matrix with its columns renumbered.
 */
function byFrequency(x: Csr): { order: Int32Array; rank: Int32Array; permuted: Csr } {
  const counts = new Int32Array(x.cols);
  for (let a = 0; a < x.indices.length; a++) counts[x.indices[a]!]!++;
  const order = Int32Array.from({ length: x.cols }, (_, j) => j).sort(
    (a, b) => counts[b]! - counts[a]! || a - b,
  );
  const rank = new Int32Array(x.cols);
  for (let r = 0; r < x.cols; r++) rank[order[r]!] = r;
  const indices = new Int32Array(x.indices.length);
  for (let a = 0; a < indices.length; a++) indices[a] = rank[x.indices[a]!]!;
  return { order, rank, permuted: { ...x, indices } };
}

/** Raw scores: rows x 1 (log-odds of class 1) for 2 classes, rows x K (logits) otherwise. */
export function decisionFunctionSparse(m: SparseLogisticModel, x: Csr): Float64Array {
  if (x.cols !== m.cols)
    throw new Error(`sparse logistic: model has ${m.cols} features, rows have ${x.cols}`);
  const k = m.intercept.length;
  const out = new Float64Array(x.rows * k);
  for (let i = 0; i < x.rows; i++) {
    const o = i * k;
    for (let c = 0; c < k; c++) out[o + c] = m.intercept[c]!;
    for (let a = x.indptr[i]!; a < x.indptr[i + 1]!; a++) {
      const v = x.values[a]!;
      const w = x.indices[a]! * k;
      for (let c = 0; c < k; c++) out[o + c]! += v * m.weights[w + c]!;
    }
  }
  return out;
}

/** Class probabilities, rows x classes row-major (2 columns for a binary model: p0, p1). */
export function predictProbaSparse(m: SparseLogisticModel, x: Csr): Float64Array {
  const z = decisionFunctionSparse(m, x);
  const out = new Float64Array(x.rows * m.classes);
  if (m.classes === 2) {
    for (let i = 0; i < x.rows; i++) {
      const p = sigmoid(z[i]!);
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return out;
  }
  const k = m.classes;
  for (let i = 0; i < x.rows; i++) {
    const o = i * k;
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, z[o + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += out[o + c] = Math.exp(z[o + c]! - max);
    for (let c = 0; c < k; c++) out[o + c]! /= sum;
  }
  return out;
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** ln(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

interface Objective {
  value: (theta: Float64Array) => number;
  gradient: (theta: Float64Array, out: Float64Array) => void;
}

/**
 * Wraps a pass that computes loss and gradient together: the gradient of the last evaluated point
 * is kept, and handed out when L-BFGS asks for the gradient at that same point.
 */
function cached(size: number, pass: (theta: Float64Array, grad: Float64Array) => number): Objective {
  const at = new Float64Array(size);
  const grad = new Float64Array(size);
  let valid = false;
  const value = (theta: Float64Array): number => {
    const v = pass(theta, grad);
    at.set(theta);
    valid = true;
    return v;
  };
  const gradient = (theta: Float64Array, out: Float64Array): void => {
    let same = valid;
    for (let j = 0; same && j < size; j++) same = at[j] === theta[j];
    if (!same) value(theta);
    out.set(grad);
  };
  return { value, gradient };
}

function binaryObjective(x: Csr, y: Int32Array, s: Float64Array, sTotal: number, l2: number): Objective {
  const d = x.cols;
  const { indptr, indices, values } = x;
  return cached(d + 1, (theta, grad) => {
    grad.fill(0);
    const b = theta[d]!;
    let loss = 0;
    let gb = 0;
    for (let i = 0; i < x.rows; i++) {
      const si = s[i]!;
      if (si === 0) continue;
      let z = b;
      const end = indptr[i + 1]!;
      for (let a = indptr[i]!; a < end; a++) z += values[a]! * theta[indices[a]!]!;
      const yi = y[i]!;
      loss += si * (softplus(z) - yi * z);
      const r = si * (sigmoid(z) - yi);
      gb += r;
      for (let a = indptr[i]!; a < end; a++) grad[indices[a]!]! += r * values[a]!;
    }
    let penalty = 0;
    for (let j = 0; j < d; j++) {
      const w = theta[j]!;
      penalty += w * w;
      grad[j] = (grad[j]! + l2 * w) / sTotal;
    }
    grad[d] = gb / sTotal;
    return (loss + 0.5 * l2 * penalty) / sTotal;
  });
}

function softmaxObjective(
  x: Csr,
  y: Int32Array,
  s: Float64Array,
  sTotal: number,
  l2: number,
  k: number,
): Objective {
  const d = x.cols;
  const { indptr, indices, values } = x;
  const z = new Float64Array(k);
  const bias = d * k;
  return cached(d * k + k, (theta, grad) => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < x.rows; i++) {
      const si = s[i]!;
      if (si === 0) continue;
      for (let c = 0; c < k; c++) z[c] = theta[bias + c]!;
      const end = indptr[i + 1]!;
      for (let a = indptr[i]!; a < end; a++) {
        const v = values[a]!;
        const w = indices[a]! * k;
        for (let c = 0; c < k; c++) z[c]! += v * theta[w + c]!;
      }
      let max = -Infinity;
      for (let c = 0; c < k; c++) if (z[c]! > max) max = z[c]!;
      const yi = y[i]!;
      const zy = z[yi]! - max;
      let sum = 0;
      for (let c = 0; c < k; c++) sum += z[c] = Math.exp(z[c]! - max);
      // loss = logsumexp(z) - z_y, both shifted by max
      loss += si * (Math.log(sum) - zy);
      for (let c = 0; c < k; c++) {
        const r = si * (z[c]! / sum - (c === yi ? 1 : 0));
        z[c] = r;
        grad[bias + c]! += r;
      }
      for (let a = indptr[i]!; a < end; a++) {
        const v = values[a]!;
        const w = indices[a]! * k;
        for (let c = 0; c < k; c++) grad[w + c]! += v * z[c]!;
      }
    }
    let penalty = 0;
    for (let j = 0; j < bias; j++) {
      const w = theta[j]!;
      penalty += w * w;
      grad[j] = (grad[j]! + l2 * w) / sTotal;
    }
    for (let c = 0; c < k; c++) grad[bias + c]! /= sTotal;
    return (loss + 0.5 * l2 * penalty) / sTotal;
  });
}
