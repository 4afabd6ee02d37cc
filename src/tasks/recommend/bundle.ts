/**
 * @module tasks/recommend/bundle
 * What `shopsight train recommend` produces and serving loads: the chosen model, an item-kNN
 * neighbour table (similar items, and the "similar to X" reasons), popularity (the cold-start
 * fallback), the id maps and each user's history - one artifact, so a promoted bundle is always
 * self-consistent (indices of one part mean the same item in every other).
 *
 * @example
 *   const d = await loadInteractions(wh);
 *   const bundle = await trainBundle(d, 'transition', { seed: 1 });
 *   saveModel(wh, { task: 'recommend', artifact: bundleToArtifact(bundle), ... }); // (in the CLI)
 */
import type { InteractionData } from '../../features/interactions.js';
import { packArtifacts, unpackArtifacts, type ModelArtifact } from '../../ml/artifact.js';
import { loadItemKnn, trainItemKnn, type ItemKnnScorer } from '../../ml/recommend/item-knn.js';
import { loadPopularity, trainPopularity } from '../../ml/recommend/popularity.js';
import { trainingData } from '../../ml/recommend/training-data.js';
import type { ItemScorer, Sequences } from '../../ml/recommend/types.js';
import { getRecommender, type TrainOptions } from './models.js';

export const BUNDLE_KIND = 'recommend-bundle';

/** Neighbours kept for similar-item lists and reasons (lists shown are far shorter). */
export const SIMILAR_NEIGHBOURS = 100;

export interface RecommendBundle {
  /** Registry name of the main model (models.ts). */
  readonly model: string;
  readonly main: ItemScorer;
  readonly knn: ItemKnnScorer;
  /** All-time popularity: the answer for visitors with no history. */
  readonly popularity: ItemScorer;
  readonly userIds: readonly string[];
  readonly itemIds: readonly string[];
  readonly categories: readonly string[];
  /** Category index per item (-1 none). */
  readonly itemCategories: Int32Array;
  /** Each user's training interactions, time-ordered, with weights (purchase 1, cart 0.5, view 0.1). */
  readonly history: Sequences;
}

function requireArtifact(scorer: ItemScorer, what: string): ModelArtifact {
  if (!scorer.toArtifact) throw new Error(`${what} cannot be saved (its scorer has no toArtifact)`);
  return scorer.toArtifact();
}

export async function trainBundle(
  d: InteractionData,
  model: string,
  options: TrainOptions = {},
): Promise<RecommendBundle> {
  if (d.itemIds.length === 0) {
    throw new Error('no interactions to learn from: import orders or product events first');
  }
  const entry = getRecommender(model);
  if (!entry.load)
    throw new Error(`model '${model}' cannot be loaded back after training, so it cannot serve`);
  const data = { ...trainingData(d.data.sequences), itemCategories: d.data.itemCategories };
  const knn = trainItemKnn(data, { neighbours: SIMILAR_NEIGHBOURS });
  const main = await entry.train(data, options);
  return {
    model,
    main,
    knn,
    popularity: trainPopularity(data),
    userIds: d.userIds,
    itemIds: d.itemIds,
    categories: d.categories,
    itemCategories: data.itemCategories,
    history: data.sequences,
  };
}

export function bundleToArtifact(b: RecommendBundle): ModelArtifact {
  const h = b.history;
  const history: ModelArtifact = {
    kind: 'history',
    version: 1,
    meta: { users: h.users, items: h.items },
    arrays: {
      offsets: h.offsets,
      itemIds: h.itemIds,
      ...(h.weights ? { weights: h.weights } : {}),
      ...(h.times ? { times: h.times } : {}),
      itemCategories: b.itemCategories,
    },
  };
  return packArtifacts(
    BUNDLE_KIND,
    1,
    { model: b.model, userIds: b.userIds, itemIds: b.itemIds, categories: b.categories },
    {
      main: requireArtifact(b.main, b.model),
      knn: requireArtifact(b.knn, 'item-knn'),
      popularity: requireArtifact(b.popularity, 'popularity'),
      history,
    },
  );
}

export function bundleFromArtifact(a: ModelArtifact): RecommendBundle {
  if (a.kind !== BUNDLE_KIND) throw new Error(`expected a ${BUNDLE_KIND} artifact, got '${a.kind}'`);
  const parts = unpackArtifacts(a);
  const model = String(a.meta['model']);
  const load = getRecommender(model).load;
  if (!load) throw new Error(`model '${model}' has no loader`);
  const h = parts['history']!;
  const itemIds = a.meta['itemIds'] as string[];
  const history: Sequences = {
    users: Number(h.meta['users']),
    items: Number(h.meta['items']),
    offsets: h.arrays['offsets'] as Int32Array,
    itemIds: h.arrays['itemIds'] as Int32Array,
    ...(h.arrays['weights'] ? { weights: h.arrays['weights'] as Float32Array } : {}),
    ...(h.arrays['times'] ? { times: h.arrays['times'] as Float64Array } : {}),
  };
  return {
    model,
    main: load(parts['main']!),
    knn: loadItemKnn(parts['knn']!),
    popularity: loadPopularity(parts['popularity']!),
    userIds: a.meta['userIds'] as string[],
    itemIds,
    categories: a.meta['categories'] as string[],
    itemCategories: h.arrays['itemCategories'] as Int32Array,
    history,
  };
}
