/**
 * @module tasks/customers/split
 * The fixed-seed split of customers the evaluation uses: shuffle the rows (seeded), the first 70%
 * for training and the rest test. The 70% is cut again: a selection part (default a fifth of it,
 * so 56/14/30) that only chooses between GBDT and logistic regression, and the fitting part
 * (`train`) where cross-validation tunes the hyper-parameters and the final models are fitted.
 * The test rows are never seen until the final figures.
 *
 * @example
 *   const s = splitCustomers(3362, { seed: 42 }); // s.train.length 1882, s.select 471, s.test 1009
 */
import { Rng } from '../../core/random.js';

export interface CustomerSplit {
  /** Row indices, ascending within each part. The fitting part: tuning folds and final models. */
  readonly train: Int32Array;
  /** GBDT vs logistic only. */
  readonly select: Int32Array;
  readonly test: Int32Array;
}

export interface SplitOptions {
  readonly seed?: number;
  /** Share of rows for fitting + selection (the rest is test). Default 0.7. */
  readonly trainShare?: number;
  /** Share of the training rows held out for the model choice. Default 0.2. */
  readonly selectShare?: number;
}

export function splitCustomers(rows: number, options: SplitOptions = {}): CustomerSplit {
  const rng = new Rng(options.seed ?? 42);
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  for (let i = rows - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const nTrainAll = Math.round(rows * (options.trainShare ?? 0.7));
  const nSelect = Math.round(nTrainAll * (options.selectShare ?? 0.2));
  const sorted = (a: Int32Array): Int32Array => a.slice().sort();
  return {
    select: sorted(order.subarray(0, nSelect)),
    train: sorted(order.subarray(nSelect, nTrainAll)),
    test: sorted(order.subarray(nTrainAll)),
  };
}

/** The rows `idx` of a row-major matrix, as a new matrix. */
export function takeRows(values: Float32Array, cols: number, idx: Int32Array): Float32Array {
  const out = new Float32Array(idx.length * cols);
  for (let k = 0; k < idx.length; k++)
    out.set(values.subarray(idx[k]! * cols, idx[k]! * cols + cols), k * cols);
  return out;
}

/** The entries `idx` of a vector. */
export function take<T extends Float32Array | Float64Array | Int32Array>(v: T, idx: Int32Array): T {
  const out = new (v.constructor as new (n: number) => T)(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = v[idx[k]!]!;
  return out;
}
