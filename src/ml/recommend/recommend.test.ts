import { describe, expect, it } from 'vitest';
import { recommendScratch, recommendTopK } from './recommend.js';
import type { ItemScorer } from './types.js';

describe('recommendTopK', () => {
  it('returns the best unseen items, best first', () => {
    const scorer: ItemScorer = {
      name: 'fixed',
      items: 5,
      score: (_u, _h, out) => out.set([0.9, 0.1, 0.5, 0.7, 0.5]),
    };
    const scratch = recommendScratch(5, 3);
    const r = recommendTopK(scorer, 0, Int32Array.of(0), scratch);
    expect([...r.indices]).toEqual([3, 2, 4]);
    expect([...r.scores]).toEqual([Math.fround(0.7), 0.5, 0.5]);
  });
});
