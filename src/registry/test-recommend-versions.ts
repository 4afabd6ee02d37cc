/**
 * @module registry/test-recommend-versions
 * Tests only: train a recommender on a test store and keep it as the next recommend version.
 */
import { loadInteractions } from '../features/interactions.js';
import type { ModelRecord } from '../schema/models.js';
import { bundleToArtifact, trainBundle } from '../tasks/recommend/bundle.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { saveModel } from './registry.js';

/** Trains `model` on the store's interactions and stores it as the next recommend version. */
export async function trainRecommendVersion(
  wh: Warehouse,
  model: string,
  options: { promote?: boolean } = {},
): Promise<ModelRecord> {
  const bundle = await trainBundle(await loadInteractions(wh), model, { seed: 1 });
  return saveModel(
    wh,
    { task: 'recommend', artifact: bundleToArtifact(bundle), trainedOn: { test: true } },
    { promote: options.promote ?? false },
  );
}
