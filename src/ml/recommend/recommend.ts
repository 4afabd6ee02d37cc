/**
 * @module ml/recommend/recommend
 * The serving call: score the catalogue for one user and keep the best k items they have not
 * interacted with. Scratch (the score vector and the heap) is passed in so a server reuses it.
 *
 * @example
 *   const scratch = recommendScratch(scorer.items, 10);
 *   recommendTopK(scorer, u, history, scratch); // { indices: [best item, ...], scores: [...] }
 */
import { TopK, topItems } from './top-k.js';
import type { ItemScorer } from './types.js';

export interface RecommendScratch {
  readonly scores: Float32Array;
  readonly heap: TopK;
}

export function recommendScratch(items: number, k: number): RecommendScratch {
  return { scores: new Float32Array(items), heap: new TopK(k) };
}

/** The k best items for a user, the history excluded, best first (ties to the lower index). */
export function recommendTopK(
  scorer: ItemScorer,
  user: number,
  history: Int32Array,
  scratch: RecommendScratch,
): { indices: Int32Array; scores: Float32Array } {
  scorer.score(user, history, scratch.scores);
  return topItems(scratch.scores, scratch.heap.capacity, history, scratch.heap);
}
