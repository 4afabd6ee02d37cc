/**
 * @module ml/recommend/item-knn
 * Item-based k-nearest neighbours: each item keeps its K most similar items (computed in bounded
 * memory by item-neighbours.ts), and a user's score for item j sums the similarities of j to the
 * items in their history, optionally weighting recent history more.
 *
 * @example
 *   const knn = trainItemKnn(data, { similarity: 'cosine', neighbours: 100 });
 *   knn.score(u, Int32Array.of(4, 9), out); // out[j] = sim(4, j) + sim(9, j) over kept neighbours
 *
 * Similarities over the users x items matrix X (summed interaction weights; users' item SETS when
 * every weight is 1), with U_i the users of item i and |i|^2 = sum_u X[u,i]^2:
 * - cosine:      dot(i, j) / (|i| |j|)
 * - asymmetric:  dot(i, j) / (|i|^(2 alpha) |j|^(2 (1 - alpha)))   (alpha = 0.5 is cosine; Aiolli 2013)
 * - bm25:        dot of BM25-weighted item vectors, the weighting of the `implicit` library's
 *                bm25_weight over the item x user matrix: w = x (k1 + 1) / (k1 L_i + x) * idf_u with
 *                L_i = (1 - b) + b |U_i|_1 / mean_i |U_i|_1 and idf_u = ln(items) - ln(1 + n_u),
 *                n_u = items user u touched (heavy users count less)
 */
import type { ModelArtifact } from '../artifact.js';
import { transpose, type Csr } from '../sparse/csr.js';
import { topKNeighbours, type NeighbourLists } from './item-neighbours.js';
import type { ItemScorer, TrainingData } from './types.js';

export type ItemSimilarity = 'cosine' | 'asymmetric' | 'bm25';

export interface ItemKnnOptions {
  /** Default 'cosine'. */
  readonly similarity?: ItemSimilarity;
  /** Neighbours kept per item. Default 100. */
  readonly neighbours?: number;
  /** Asymmetric cosine's exponent, 0..1. Default 0.5. */
  readonly alpha?: number;
  /** BM25 saturation and length normalisation. Defaults 100 and 0.8 (the `implicit` library's). */
  readonly k1?: number;
  readonly b?: number;
  /**
   * Scoring: the item `s` steps before the end of the history weighs recency^s. Default 1 (all
   * history items count the same).
   */
  readonly recency?: number;
  readonly blockSize?: number;
  readonly onBlock?: (done: number, total: number) => void;
}

export const ITEM_KNN_DEFAULTS = {
  similarity: 'cosine' as ItemSimilarity,
  neighbours: 100,
  alpha: 0.5,
  k1: 100,
  b: 0.8,
  recency: 1,
};

/**
 * Neighbour tables by training matrix and similarity settings. The registry's item-kNN, transition
 * and SASRec+transition models all ask for the same 1000-neighbour cosine table of the same data;
 * the computation is deterministic, so it runs once and the table is dropped with the matrix.
 * (Like SASRec's fit cache; a caller that asks for progress with onBlock always computes.)
 */
const tables = new WeakMap<Csr, Map<string, NeighbourLists>>();

export function trainItemKnn(data: TrainingData, options: ItemKnnOptions = {}): ItemKnnScorer {
  const o = { ...ITEM_KNN_DEFAULTS, ...options };
  const settings = {
    similarity: o.similarity,
    neighbours: o.neighbours,
    alpha: o.alpha,
    k1: o.k1,
    b: o.b,
  };
  let byMatrix = tables.get(data.matrix);
  if (!byMatrix) {
    byMatrix = new Map();
    tables.set(data.matrix, byMatrix);
  }
  const key = JSON.stringify(settings);
  let neighbours = o.onBlock ? undefined : byMatrix.get(key);
  if (!neighbours) {
    neighbours = neighbourTable(data.matrix, o);
    byMatrix.set(key, neighbours);
  }
  return new ItemKnnScorer(neighbours, o.recency, settings);
}

function neighbourTable(matrix: Csr, o: typeof ITEM_KNN_DEFAULTS & ItemKnnOptions): NeighbourLists {
  let userItem = matrix;
  const n = userItem.cols;
  let rowScale: Float32Array | undefined;
  let colScale: Float32Array | undefined;
  if (o.similarity === 'bm25') {
    userItem = bm25Weight(userItem, o.k1, o.b);
  } else {
    const sq = new Float64Array(n);
    for (let p = 0; p < userItem.indices.length; p++) sq[userItem.indices[p]!]! += userItem.values[p]! ** 2;
    const alpha = o.similarity === 'cosine' ? 0.5 : o.alpha;
    rowScale = new Float32Array(n);
    colScale = new Float32Array(n);
    for (let j = 0; j < n; j++) {
      rowScale[j] = sq[j]! > 0 ? sq[j]! ** -alpha : 0;
      colScale[j] = sq[j]! > 0 ? sq[j]! ** -(1 - alpha) : 0;
    }
  }
  return topKNeighbours(transpose(userItem), userItem, {
    k: o.neighbours,
    ...(rowScale ? { rowScale } : {}),
    ...(colScale ? { colScale } : {}),
    ...(o.blockSize ? { blockSize: o.blockSize } : {}),
    ...(o.onBlock ? { onBlock: o.onBlock } : {}),
  });
}

/** BM25 weights of a users x items matrix (see the module header). */
export function bm25Weight(userItem: Csr, k1: number, b: number): Csr {
  const n = userItem.cols;
  const length = new Float64Array(n);
  for (let p = 0; p < userItem.indices.length; p++) length[userItem.indices[p]!]! += userItem.values[p]!;
  let mean = 0;
  for (let j = 0; j < n; j++) mean += length[j]!;
  mean /= n;
  const values = new Float32Array(userItem.values.length);
  for (let u = 0; u < userItem.rows; u++) {
    const start = userItem.indptr[u]!;
    const end = userItem.indptr[u + 1]!;
    const idf = Math.log(n) - Math.log1p(end - start);
    for (let p = start; p < end; p++) {
      const x = userItem.values[p]!;
      const norm = 1 - b + (b * length[userItem.indices[p]!]!) / mean;
      values[p] = ((x * (k1 + 1)) / (k1 * norm + x)) * idf;
    }
  }
  return { ...userItem, values };
}

export class ItemKnnScorer implements ItemScorer {
  readonly name = 'item-knn';
  readonly items: number;

  constructor(
    readonly neighbours: NeighbourLists,
    readonly recency: number,
    private readonly meta: Record<string, unknown> = {},
  ) {
    this.items = neighbours.items;
  }

  score(_user: number, history: Int32Array, out: Float32Array): void {
    out.fill(0);
    this.addScores(history, out, 1);
  }

  /** out[j] += scale * sum over the history of recency^steps * sim(h, j). */
  addScores(history: Int32Array, out: Float32Array, scale: number): void {
    const { indptr, indices, values } = this.neighbours;
    let w = scale;
    for (let t = history.length - 1; t >= 0; t--) {
      const h = history[t]!;
      for (let p = indptr[h]!; p < indptr[h + 1]!; p++) out[indices[p]!]! += w * values[p]!;
      w *= this.recency;
    }
  }

  toArtifact(): ModelArtifact {
    const { indptr, indices, values } = this.neighbours;
    return {
      kind: 'item-knn',
      version: 1,
      meta: { ...this.meta, recency: this.recency, items: this.items },
      arrays: { indptr, indices, values },
    };
  }
}

export function loadItemKnn(a: ModelArtifact): ItemKnnScorer {
  const items = Number(a.meta['items']);
  const neighbours: NeighbourLists = {
    items,
    indptr: a.arrays['indptr'] as Int32Array,
    indices: a.arrays['indices'] as Int32Array,
    values: a.arrays['values'] as Float32Array,
  };
  return new ItemKnnScorer(neighbours, Number(a.meta['recency']), a.meta);
}
