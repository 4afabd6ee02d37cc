/**
 * @module ml/recommend/transition
 * Next-item transitions plus a little item-kNN: the reference baseline. T[i, j] counts how
 * often item i was followed by item j in the training sequences; a user is scored from the end of
 * their history:
 *
 *   score(j) = sum_{s=0}^{lastItems-1} lastDecay^s * T[h_(n-1-s), j] + knnWeight * itemKnn(history, j)
 *
 * With the defaults (window 1, lastItems 1, knnWeight 0.1, cosine kNN) this is exactly "last-item
 * transition counts plus 0.1 x item-kNN". `window` > 1 also counts i followed by j d steps later,
 * weighted windowDecay^(d-1): the multi-step variant.
 *
 * @example
 *   const t = trainTransition(data); // sequences [0, 1, 2] and [0, 1]: T[0,1] = 2, T[1,2] = 1
 *   t.score(u, Int32Array.of(0), out); // out[1] = 2 + 0.1 * cos(0, 1), ...
 */
import type { ModelArtifact } from '../artifact.js';
import { csrFromCoo, type Csr } from '../sparse/csr.js';
import { ItemKnnScorer, loadItemKnn, trainItemKnn, type ItemKnnOptions } from './item-knn.js';
import type { ItemScorer, TrainingData } from './types.js';

export interface TransitionOptions {
  /** Weight of the item-kNN score. Default 0.1. */
  readonly knnWeight?: number;
  /** Count pairs up to this many steps apart. Default 1 (direct successors only). */
  readonly window?: number;
  /** A pair d steps apart counts windowDecay^(d-1). Default 0.5. */
  readonly windowDecay?: number;
  /** How many of the last history items look up their transitions. Default 1. */
  readonly lastItems?: number;
  /** The s-th item from the end weighs lastDecay^s. Default 0.5. */
  readonly lastDecay?: number;
  readonly knn?: ItemKnnOptions;
}

export const TRANSITION_DEFAULTS = {
  knnWeight: 0.1,
  window: 1,
  windowDecay: 0.5,
  lastItems: 1,
  lastDecay: 0.5,
};

/** T[i, j]: summed (decayed) counts of j following i within `window` steps in each user's sequence. */
export function transitionCounts(data: TrainingData, window = 1, windowDecay = 0.5): Csr {
  const { offsets, itemIds, users, items } = data.sequences;
  let pairs = 0;
  for (let u = 0; u < users; u++) {
    const len = offsets[u + 1]! - offsets[u]!;
    for (let d = 1; d <= window; d++) pairs += Math.max(0, len - d);
  }
  const from = new Int32Array(pairs);
  const to = new Int32Array(pairs);
  const w = new Float32Array(pairs);
  let p = 0;
  for (let u = 0; u < users; u++) {
    const end = offsets[u + 1]!;
    for (let t = offsets[u]!; t < end; t++) {
      let weight = 1;
      for (let d = 1; d <= window && t + d < end; d++) {
        from[p] = itemIds[t]!;
        to[p] = itemIds[t + d]!;
        w[p++] = weight;
        weight *= windowDecay;
      }
    }
  }
  return csrFromCoo(items, items, from, to, w);
}

export function trainTransition(data: TrainingData, options: TransitionOptions = {}): TransitionScorer {
  const o = { ...TRANSITION_DEFAULTS, ...options };
  const counts = transitionCounts(data, o.window, o.windowDecay);
  const knn = o.knnWeight > 0 ? trainItemKnn(data, o.knn) : undefined;
  return new TransitionScorer(counts, knn, o);
}

export class TransitionScorer implements ItemScorer {
  readonly name = 'transition';
  readonly items: number;

  constructor(
    readonly counts: Csr,
    readonly knn: ItemKnnScorer | undefined,
    readonly options: typeof TRANSITION_DEFAULTS,
  ) {
    this.items = counts.rows;
  }

  score(_user: number, history: Int32Array, out: Float32Array): void {
    out.fill(0);
    const { indptr, indices, values } = this.counts;
    const { lastItems, lastDecay, knnWeight } = this.options;
    let w = 1;
    for (let s = 0; s < lastItems && s < history.length; s++) {
      const h = history[history.length - 1 - s]!;
      for (let p = indptr[h]!; p < indptr[h + 1]!; p++) out[indices[p]!]! += w * values[p]!;
      w *= lastDecay;
    }
    if (this.knn) this.knn.addScores(history, out, knnWeight);
  }

  toArtifact(): ModelArtifact {
    const knn = this.knn?.toArtifact();
    const arrays: ModelArtifact['arrays'] = {
      indptr: this.counts.indptr,
      indices: this.counts.indices,
      values: this.counts.values,
    };
    if (knn) for (const [name, a] of Object.entries(knn.arrays)) arrays[`knn.${name}`] = a;
    return {
      kind: 'transition',
      version: 1,
      meta: { ...this.options, items: this.items, knn: knn?.meta ?? null },
      arrays,
    };
  }
}

export function loadTransition(a: ModelArtifact): TransitionScorer {
  const items = Number(a.meta['items']);
  const counts: Csr = {
    rows: items,
    cols: items,
    indptr: a.arrays['indptr'] as Int32Array,
    indices: a.arrays['indices'] as Int32Array,
    values: a.arrays['values'] as Float32Array,
  };
  const knnMeta = a.meta['knn'] as Record<string, unknown> | null;
  const knn = knnMeta
    ? loadItemKnn({
        kind: 'item-knn',
        version: 1,
        meta: knnMeta,
        arrays: {
          indptr: a.arrays['knn.indptr']!,
          indices: a.arrays['knn.indices']!,
          values: a.arrays['knn.values']!,
        },
      })
    : undefined;
  const options = { ...TRANSITION_DEFAULTS };
  for (const key of Object.keys(options) as (keyof typeof options)[]) options[key] = Number(a.meta[key]);
  return new TransitionScorer(counts, knn, options);
}
