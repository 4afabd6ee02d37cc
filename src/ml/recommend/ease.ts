/**
 * @module ml/recommend/ease
 * EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"): an item-item weight
 * matrix in closed form,
 *
 *   P = (X^T X + lambda I)^-1,   B = I - P diag(1 / diag(P)),   i.e. B_ij = -P_ij / P_jj, B_ii = 0,
 *
 * scored as x_u B (the sum of the rows of B of the user's history items). One dense n x n inverse
 * (ml/linalg/spd-inverse.ts, n^3/2 multiply-adds on the ml/dense GEMM: onnxruntime when installed,
 * else the SIMD kernels) and one n x n float32 matrix (1.5 with onnxruntime, for its panels),
 * so the catalogue is capped at EASE_MAX_ITEMS.
 *
 * @example
 *   const scorer = trainEase(data, { lambda: 500 });
 *   scorer.score(-1, Int32Array.of(3, 17), out); // out = B[3, :] + B[17, :]
 */
import { availableParallelism } from 'node:os';
import type { ModelArtifact } from '../artifact.js';
import { DenseWorkspace } from '../dense/workspace.js';
import { spdInverseFloats, spdInverseInPlace, spdInverseTilesFloats } from '../linalg/spd-inverse.js';
import { withNumericParams } from './numeric-params.js';
import type { ItemScorer, TrainingData } from './types.js';

/**
 * 20,000 items: B alone is 1.6 GB of float32 (n^2 x 4 bytes) and the inverse about 4 TFLOP; past
 * that, memory and time grow as n^2 and n^3.
 */
export const EASE_MAX_ITEMS = 20_000;

export interface EaseParams {
  /** L2 penalty on B (added to the diagonal of the Gram matrix); Steck uses 100s to 1000s. */
  readonly lambda: number;
}

/** Beauty validation NDCG@10: lambda 25 0.0511, 50 0.0519, 100 0.0513, 200 0.0500, 500 0.0484, 1000 0.0475. */
export const EASE_DEFAULTS: Readonly<EaseParams> = { lambda: 50 };

export interface EaseModel {
  readonly items: number;
  readonly params: EaseParams;
  /** items x items, row-major: B[i, j] is how much history item i votes for item j. */
  readonly weights: Float32Array;
}

export function fitEase(data: TrainingData, params: Partial<EaseParams> = {}): EaseModel {
  const p: EaseParams = { ...EASE_DEFAULTS, ...params };
  const { matrix } = data;
  const n = matrix.cols;
  if (n > EASE_MAX_ITEMS) {
    throw new Error(
      `EASE needs a dense ${n} x ${n} matrix (${((n * n * 4) / 2 ** 30).toFixed(1)} GiB) and its inverse; ` +
        `it is limited to ${EASE_MAX_ITEMS} items. Use item-kNN or ALS for this catalogue, or keep the ` +
        `${EASE_MAX_ITEMS} most popular items.`,
    );
  }
  if (!(p.lambda > 0)) throw new Error(`EASE: lambda must be > 0, got ${p.lambda}`);
  // The matrix lives in wasm memory so the GEMM kernels work on it in place (no n x n copies).
  // The inverse is the only work running: its products may use every core (on onnxruntime).
  const threads = availableParallelism();
  let ws: DenseWorkspace;
  try {
    ws = new DenseWorkspace(spdInverseFloats(n), { threads });
  } catch {
    // No room for onnxruntime's panel form (1.5 n^2 floats): the tile form needs n^2.
    ws = new DenseWorkspace(spdInverseTilesFloats(n), { threads });
  }
  const g = ws.f32(n * n);
  const { indptr, indices, values } = matrix;
  for (let u = 0; u < matrix.rows; u++) {
    for (let a = indptr[u]!; a < indptr[u + 1]!; a++) {
      const row = indices[a]! * n;
      const va = values[a]!;
      for (let b = indptr[u]!; b < indptr[u + 1]!; b++) g[row + indices[b]!]! += va * values[b]!;
    }
  }
  for (let i = 0; i < n; i++) g[i * n + i]! += p.lambda;
  spdInverseInPlace(ws, g, n);
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) diag[j] = g[j * n + j]!;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) g[row + j] = -g[row + j]! / diag[j]!;
    g[row + i] = 0;
  }
  return { items: n, params: p, weights: g };
}

export function easeScorer(model: EaseModel): ItemScorer {
  const { items: n, weights } = model;
  return {
    name: 'ease',
    items: n,
    score(_user, history, out) {
      out.fill(0);
      for (let h = 0; h < history.length; h++) {
        const row = history[h]! * n;
        for (let j = 0; j < n; j++) out[j]! += weights[row + j]!;
      }
    },
    toArtifact: () => easeToArtifact(model),
  };
}

export function easeToArtifact(m: EaseModel): ModelArtifact {
  return {
    kind: 'ease',
    version: 1,
    meta: { items: m.items, params: m.params },
    arrays: { weights: m.weights },
  };
}

export function easeFromArtifact(a: ModelArtifact): EaseModel {
  if (a.kind !== 'ease' || a.version !== 1)
    throw new Error(`not an EASE v1 artifact ('${a.kind}' v${a.version})`);
  const meta = a.meta as { items: number; params: EaseParams };
  return { items: meta.items, params: meta.params, weights: a.arrays['weights'] as Float32Array };
}

/** The registry's entry point: `options.params.lambda` overrides the default. */
export function trainEase(
  data: TrainingData,
  options: { readonly params?: Readonly<Record<string, unknown>> } = {},
): ItemScorer {
  return easeScorer(fitEase(data, withNumericParams({ ...EASE_DEFAULTS }, options.params, 'ease')));
}

export function loadEase(a: ModelArtifact): ItemScorer {
  return easeScorer(easeFromArtifact(a));
}
