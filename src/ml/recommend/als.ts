/**
 * @module ml/recommend/als
 * Implicit-feedback matrix factorisation by alternating least squares (Hu, Koren, Volinsky 2008),
 * each half-sweep solved by warm-started conjugate gradient (als-sweep.ts), optionally split over
 * worker threads (als-threads.ts).
 *
 * @example
 *   const model = await trainAls(data, { factors: 64, iterations: 15 });
 *   const scorer = alsScorer(model);
 *   scorer.score(user, history, out); // out[i] = x_u . y_i
 */
import { Rng } from '../../core/random.js';
import type { ModelArtifact } from '../artifact.js';
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';
import { gramPlusRidge } from '../linalg/gram.js';
import { transpose, type Csr } from '../sparse/csr.js';
import { blockScratch, sweepBlock, type SweepInput } from './als-sweep.js';
import { AlsThreads } from './als-threads.js';
import { withNumericParams } from './numeric-params.js';
import type { ItemScorer, TrainingData } from './types.js';

export interface AlsParams {
  /** Latent dimension k. */
  readonly factors: number;
  /** Full sweeps (items then users). */
  readonly iterations: number;
  /** L2 penalty on every factor (not scaled by the row's count, as in `implicit`). */
  readonly reg: number;
  /** Confidence slope: c_ui = 1 + alpha * r_ui. */
  readonly alpha: number;
  /** Conjugate-gradient steps per row per half-sweep (warm-started, so 3 is plenty). */
  readonly cgSteps: number;
  /** Seed of the factor initialisation. */
  readonly seed: number;
  /** 1 = this thread only; 2+ = this thread plus worker threads over shared memory. */
  readonly threads: number;
}

export const ALS_DEFAULTS: Readonly<AlsParams> = {
  factors: 64,
  iterations: 15,
  reg: 0.01,
  // Beauty validation NDCG@10: alpha 10 0.0344, 20 0.0350, 40 0.0355, 80 0.0359, 160 0.0356.
  alpha: 80,
  cgSteps: 3,
  seed: 1,
  // Both cores of the reference machine: a worker gives bit-identical factors and about half the
  // wall time (Beauty, 15 iterations: 14.1 s CPU on one thread, 13.7 s CPU over two).
  threads: 2,
};

export interface AlsModel {
  readonly users: number;
  readonly items: number;
  readonly params: AlsParams;
  /** users x k, row-major. */
  readonly userFactors: Float32Array;
  /** items x k, row-major. */
  readonly itemFactors: Float32Array;
  /** Each user's training history length: a longer history at scoring time is folded in. */
  readonly trainedLength: Int32Array;
}

/** Rows solved per call: short enough to keep the hot loop's working set in cache. */
const BLOCK = 1024;

/**
 * Trains ALS. `onIteration(i, loss)` is called after each sweep; asking for the loss (`withLoss`)
 * costs about one extra half-sweep of work, so it is off unless a caller wants it.
 */
export async function trainAls(
  data: TrainingData,
  params: Partial<AlsParams> = {},
  onIteration?: (iteration: number, loss: number) => void,
): Promise<AlsModel> {
  const p: AlsParams = { ...ALS_DEFAULTS, ...params };
  const ui = data.matrix;
  const iu = transpose(ui);
  const k = p.factors;
  const threads = Math.max(1, Math.floor(p.threads));
  // Shared memory only when workers will read it; plain buffers otherwise.
  const alloc = (n: number): Float32Array =>
    threads > 1 ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
  const userFactors = alloc(ui.rows * k);
  const itemFactors = alloc(ui.cols * k);
  const rng = new Rng(p.seed);
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = rng.float() * 0.01;
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = rng.float() * 0.01;

  const pool = threads > 1 ? await AlsThreads.start(threads - 1, ui, iu, userFactors, itemFactors, p) : null;
  const scratch = blockScratch(k, BLOCK);
  try {
    for (let it = 0; it < p.iterations; it++) {
      // Items first, then users: the user factors returned are then the exact-ish solution against
      // the final item factors, the same system a fold-in solves, so both score a user alike.
      await halfSweep(iu, itemFactors, userFactors, ui.rows, 'items');
      await halfSweep(ui, userFactors, itemFactors, ui.cols, 'users');
      if (onIteration) onIteration(it, alsLoss(ui, userFactors, itemFactors, k, p.reg, p.alpha));
    }
  } finally {
    await pool?.stop();
  }
  const trainedLength = new Int32Array(ui.rows);
  const off = data.sequences.offsets;
  for (let u = 0; u < ui.rows; u++) trainedLength[u] = off[u + 1]! - off[u]!;
  // Copy out of shared memory so the model is an ordinary, transferable value.
  return {
    users: ui.rows,
    items: ui.cols,
    params: p,
    userFactors: threads > 1 ? new Float32Array(userFactors) : userFactors,
    itemFactors: threads > 1 ? new Float32Array(itemFactors) : itemFactors,
    trainedLength,
  };

  async function halfSweep(
    m: Csr,
    x: Float32Array,
    y: Float32Array,
    yRows: number,
    side: 'users' | 'items',
  ): Promise<void> {
    const gram = gramPlusRidge(y, yRows, k, p.reg);
    const input: SweepInput = { matrix: m, x, y, gram, k, alpha: p.alpha, cgSteps: p.cgSteps };
    if (!pool) {
      for (let s = 0; s < m.rows; s += BLOCK) sweepBlock(input, s, Math.min(m.rows, s + BLOCK), scratch);
      return;
    }
    await pool.sweep(side, gram, (start, end) => {
      for (let s = start; s < end; s += BLOCK) sweepBlock(input, s, Math.min(end, s + BLOCK), scratch);
    });
  }
}

/**
 * The ALS objective  sum_{u,i} c_ui (p_ui - x_u.y_i)^2 + reg (|X|^2 + |Y|^2), with p_ui = 1 on
 * observed pairs. The sum over all pairs uses sum_u x_u^T (Y^T Y) x_u, then corrects observed ones.
 */
export function alsLoss(
  ui: Csr,
  x: Float32Array,
  y: Float32Array,
  k: number,
  reg: number,
  alpha: number,
): number {
  const g = gramPlusRidge(y, ui.cols, k, 0);
  let loss = 0;
  for (let u = 0; u < ui.rows; u++) {
    const o = u * k;
    let quad = 0;
    for (let a = 0; a < k; a++) {
      let t = 0;
      for (let b = 0; b < k; b++) t += g[a * k + b]! * x[o + b]!;
      quad += t * x[o + a]!;
    }
    loss += quad;
    for (let j = ui.indptr[u]!; j < ui.indptr[u + 1]!; j++) {
      const iy = ui.indices[j]! * k;
      let s = 0;
      for (let a = 0; a < k; a++) s += x[o + a]! * y[iy + a]!;
      const c = 1 + alpha * ui.values[j]!;
      loss += c * (1 - s) * (1 - s) - s * s;
    }
  }
  let norm = 0;
  for (let i = 0; i < x.length; i++) norm += x[i]! * x[i]!;
  for (let i = 0; i < y.length; i++) norm += y[i]! * y[i]!;
  return loss + reg * norm;
}

/**
 * Solves one user's factor exactly from a history (each occurrence weighs 1, repeats add up, the
 * same weighting the training matrix uses) against fixed item factors: the normal equations of a
 * user half-sweep, by Cholesky. `gram` is Y^T Y + reg I.
 */
export function foldIn(
  history: Int32Array,
  itemFactors: Float32Array,
  gram: Float64Array,
  k: number,
  alpha: number,
  out: Float64Array,
  scratch: { a: Float64Array; weight: Float32Array },
): void {
  const { a, weight } = scratch;
  a.set(gram);
  out.fill(0);
  for (let h = 0; h < history.length; h++) weight[history[h]!]! += 1;
  for (let h = 0; h < history.length; h++) {
    const i = history[h]!;
    const r = weight[i]!;
    if (r === 0) continue; // a repeat, already added
    weight[i] = 0;
    const c = alpha * r;
    const iy = i * k;
    for (let p = 0; p < k; p++) {
      const yp = itemFactors[iy + p]!;
      out[p]! += (1 + c) * yp;
      const cyp = c * yp;
      const ap = p * k;
      for (let q = 0; q <= p; q++) a[ap + q]! += cyp * itemFactors[iy + q]!;
    }
  }
  if (history.length === 0) return;
  choleskyInPlace(a, k);
  choleskySolveInPlace(a, k, out);
}

/** Scores every item by x_u . y_i; a user with a history other than the trained one is folded in. */
export function alsScorer(model: AlsModel): ItemScorer {
  const { items, users, userFactors, itemFactors, trainedLength } = model;
  const { factors: k, reg, alpha } = model.params;
  let gram: Float64Array | null = null;
  const xu = new Float64Array(k);
  const scratch = { a: new Float64Array(k * k), weight: new Float32Array(items) };
  return {
    name: 'als',
    items,
    score(user, history, out) {
      if (user >= 0 && user < users && history.length === trainedLength[user]) {
        for (let a = 0; a < k; a++) xu[a] = userFactors[user * k + a]!;
      } else {
        gram ??= gramPlusRidge(itemFactors, items, k, reg);
        foldIn(history, itemFactors, gram, k, alpha, xu, scratch);
      }
      for (let i = 0; i < items; i++) {
        const o = i * k;
        let s = 0;
        for (let a = 0; a < k; a++) s += xu[a]! * itemFactors[o + a]!;
        out[i] = s;
      }
    },
    toArtifact: () => alsToArtifact(model),
  };
}

/**
 * The registry's entry point: `options.params` overrides ALS_DEFAULTS by name, `options.seed` the
 * initialisation seed.
 */
export async function trainAlsScorer(
  data: TrainingData,
  options: { readonly seed?: number; readonly params?: Readonly<Record<string, unknown>> } = {},
): Promise<ItemScorer> {
  const p = withNumericParams({ ...ALS_DEFAULTS }, options.params, 'als');
  return alsScorer(await trainAls(data, { ...p, seed: options.seed ?? p.seed }));
}

/** The registry's loader. */
export function loadAls(a: ModelArtifact): ItemScorer {
  return alsScorer(alsFromArtifact(a));
}

export function alsToArtifact(m: AlsModel): ModelArtifact {
  return {
    kind: 'als',
    version: 1,
    meta: { users: m.users, items: m.items, params: m.params },
    arrays: { userFactors: m.userFactors, itemFactors: m.itemFactors, trainedLength: m.trainedLength },
  };
}

export function alsFromArtifact(a: ModelArtifact): AlsModel {
  if (a.kind !== 'als' || a.version !== 1)
    throw new Error(`not an ALS v1 artifact ('${a.kind}' v${a.version})`);
  const meta = a.meta as { users: number; items: number; params: AlsParams };
  return {
    users: meta.users,
    items: meta.items,
    params: meta.params,
    userFactors: a.arrays['userFactors'] as Float32Array,
    itemFactors: a.arrays['itemFactors'] as Float32Array,
    trainedLength: a.arrays['trainedLength'] as Int32Array,
  };
}
