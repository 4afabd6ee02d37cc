/**
 * @module ml/recommend/popularity
 * Popularity baselines: every user gets the same ranking (or, per category, a ranking tilted to the
 * categories they buy). The floor any personalised model must beat.
 *
 * @example
 *   const s = trainPopularity(data);                      // all-time: summed interaction weights
 *   const r = trainPopularity(data, { halfLifeDays: 30 }); // recent: each interaction decays
 *   const c = trainCategoryPopularity(data);              // needs data.itemCategories
 *   s.score(-1, Int32Array.of(), out);                    // out[j] = popularity of item j
 *
 * Time decay: an interaction at time t counts weight * 0.5^((now - t) / halfLife), `now` being the
 * latest training time (so a model trained as of a cutoff never looks past it).
 */
import type { ModelArtifact } from '../artifact.js';
import type { ItemScorer, TrainingData } from './types.js';

const DAY_MS = 86_400_000;

export interface PopularityOptions {
  /** Exponential time decay with this half-life (needs sequences.times); omitted: all-time counts. */
  readonly halfLifeDays?: number;
}

export function trainPopularity(data: TrainingData, options: PopularityOptions = {}): ItemScorer {
  const { sequences } = data;
  const scores = new Float32Array(sequences.items);
  const { itemIds, weights, times } = sequences;
  const halfLife = options.halfLifeDays;
  if (halfLife === undefined) {
    for (let i = 0; i < itemIds.length; i++) scores[itemIds[i]!]! += weights ? weights[i]! : 1;
  } else {
    if (!times) throw new Error('recent popularity needs interaction times (sequences.times)');
    if (!(halfLife > 0)) throw new Error(`halfLifeDays must be > 0, got ${halfLife}`);
    let now = -Infinity;
    for (let i = 0; i < times.length; i++) if (times[i]! > now) now = times[i]!;
    const rate = Math.LN2 / (halfLife * DAY_MS);
    // Accumulate in float64: a year of tiny decayed terms would lose digits in float32.
    const acc = new Float64Array(sequences.items);
    for (let i = 0; i < itemIds.length; i++) {
      acc[itemIds[i]!]! += (weights ? weights[i]! : 1) * Math.exp(-rate * (now - times[i]!));
    }
    scores.set(acc);
  }
  return popularityScorer(scores, halfLife);
}

function popularityScorer(scores: Float32Array, halfLifeDays: number | undefined): ItemScorer {
  return {
    name: halfLifeDays === undefined ? 'popularity' : 'recent-popularity',
    items: scores.length,
    score(_user, _history, out) {
      out.set(scores);
    },
    toArtifact: (): ModelArtifact => ({
      kind: 'popularity',
      version: 1,
      meta: { halfLifeDays: halfLifeDays ?? null },
      arrays: { scores },
    }),
  };
}

export function loadPopularity(a: ModelArtifact): ItemScorer {
  const half = a.meta['halfLifeDays'];
  return popularityScorer(a.arrays['scores'] as Float32Array, typeof half === 'number' ? half : undefined);
}

export interface CategoryPopularityOptions {
  /**
   * Added to every category's share of the user's history, so items outside the user's categories
   * still rank (by popularity) after those inside. Default 0.1.
   */
  readonly smoothing?: number;
}

/**
 * score(j) = (share of the user's history in j's category + smoothing) * popularity(j). Items with
 * no category (-1) get share 0; a user with no history gets plain popularity order.
 */
export function trainCategoryPopularity(
  data: TrainingData,
  options: CategoryPopularityOptions = {},
): ItemScorer {
  const categories = data.itemCategories;
  if (!categories) throw new Error('category popularity needs data.itemCategories');
  const pop = new Float32Array(data.sequences.items);
  const { itemIds, weights } = data.sequences;
  for (let i = 0; i < itemIds.length; i++) pop[itemIds[i]!]! += weights ? weights[i]! : 1;
  return categoryScorer(pop, categories, options.smoothing ?? 0.1);
}

function categoryScorer(pop: Float32Array, categories: Int32Array, smoothing: number): ItemScorer {
  let count = 0;
  for (let j = 0; j < categories.length; j++) if (categories[j]! + 1 > count) count = categories[j]! + 1;
  const share = new Float32Array(count + 1); // slot 0 stands for "no category"
  return {
    name: 'category-popularity',
    items: pop.length,
    score(_user, history, out) {
      share.fill(0);
      const n = history.length;
      for (let i = 0; i < n; i++) {
        const c = categories[history[i]!]!;
        if (c >= 0) share[c + 1]! += 1 / n;
      }
      for (let j = 0; j < pop.length; j++) out[j] = (share[categories[j]! + 1]! + smoothing) * pop[j]!;
    },
    toArtifact: (): ModelArtifact => ({
      kind: 'category-popularity',
      version: 1,
      meta: { smoothing },
      arrays: { pop, categories },
    }),
  };
}

export function loadCategoryPopularity(a: ModelArtifact): ItemScorer {
  return categoryScorer(
    a.arrays['pop'] as Float32Array,
    a.arrays['categories'] as Int32Array,
    Number(a.meta['smoothing']),
  );
}
