/**
 * @module registry/recommend-serving
 * The stored recommend model, ready to answer: the registry finds the version (the promoted one by
 * default), tasks/recommend/serving.ts builds the answers around it. The CLI's `recommend` and the
 * HTTP API's recommendation routes both load through here, so they give the same lists.
 *
 * @example
 *   const s = await loadRecommendServing(wh);          // promoted
 *   const v3 = await loadRecommendServing(wh, 3);      // an A/B variant
 *   s.recommender.forUser('12347', 10);
 */
import type { ModelRecord } from '../schema/models.js';
import type { Recommender } from '../tasks/recommend/recommender.js';
import {
  loadCatalogueLists,
  recommenderFrom,
  servingFrom,
  type CatalogueLists,
  type RecommendServing,
} from '../tasks/recommend/serving.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadModel } from './registry.js';

/**
 * Everything the four recommendation answers need, for the promoted version or `version`. Pass
 * `lists` (loadCatalogueLists) to share the version-independent part between versions.
 */
export async function loadRecommendServing(
  wh: Warehouse,
  version?: number,
  lists?: CatalogueLists,
): Promise<RecommendServing> {
  const { record, artifact } = await loadModel(wh, 'recommend', version ?? 'promoted');
  return servingFrom(wh, record, artifact, lists ?? (await loadCatalogueLists(wh)));
}

/**
 * Just the recommender (no bought-together mining): the promoted version or `version`, with the
 * text neighbours unless `content: false` (they matter only for item pages, and cost a scan).
 */
export async function loadRecommender(
  wh: Warehouse,
  options: { version?: number; content?: boolean } = {},
): Promise<{ record: ModelRecord; recommender: Recommender }> {
  const { record, artifact } = await loadModel(wh, 'recommend', options.version ?? 'promoted');
  return recommenderFrom(wh, record, artifact, options);
}
