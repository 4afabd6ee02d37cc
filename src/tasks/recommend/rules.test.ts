import { describe, expect, it } from 'vitest';
import { rankWithRules, type CatalogueInfo } from './rules.js';

// Six items: two categories (0 = mugs, 1 = cards), item 5 uncategorised.
const catalogue: CatalogueInfo = {
  items: 6,
  category: Int32Array.from([0, 0, 0, 1, 1, -1]),
  categoryNames: ['mugs', 'cards'],
  price: Float64Array.from([10, 20, 30, 2, NaN, 5]),
  inStock: Uint8Array.from([1, 1, 0, 1, 2, 1]),
};
const scores = Float32Array.from([0.9, 0.8, 0.95, 0.5, 0.4, 0.1]);
const none = new Int32Array(0);
const list = (r: { items: Int32Array }): number[] => Array.from(r.items);

describe('business rules over model scores', () => {
  it('drops out-of-stock items by default and keeps unknown stock', () => {
    // 2 has the best score but is out of stock; 4 (unknown stock) stays.
    expect(list(rankWithRules(scores, 6, catalogue, {}, none))).toEqual([0, 1, 3, 4, 5]);
    expect(list(rankWithRules(scores, 2, catalogue, { inStockOnly: false }, none))).toEqual([2, 0]);
  });

  it('excludes the history unless told not to, and reports how many stayed eligible', () => {
    const r = rankWithRules(scores, 3, catalogue, {}, Int32Array.from([0, 3]));
    expect(list(r)).toEqual([1, 4, 5]);
    expect(r.eligible).toBe(3);
    expect(
      list(rankWithRules(scores, 1, catalogue, { excludeHistory: false }, Int32Array.from([0]))),
    ).toEqual([0]);
  });

  it('filters by category and price range (an unknown price is never inside a range)', () => {
    expect(list(rankWithRules(scores, 5, catalogue, { categories: ['cards'] }, none))).toEqual([3, 4]);
    expect(list(rankWithRules(scores, 5, catalogue, { minPrice: 4, maxPrice: 20 }, none))).toEqual([0, 1, 5]);
  });

  it('boosts by half the score range and buries below everything else', () => {
    // Range of eligible scores 0.9 - 0.1 = 0.8; item 5 boosted to 0.1 + 0.4 = 0.5: ties 3 (0.5), lower index wins.
    expect(list(rankWithRules(scores, 5, catalogue, { boost: [5] }, none))).toEqual([0, 1, 3, 5, 4]);
    expect(list(rankWithRules(scores, 5, catalogue, { boost: [5], boostWeight: 1.5 }, none))).toEqual([
      5, 0, 1, 3, 4,
    ]);
    expect(list(rankWithRules(scores, 5, catalogue, { bury: [0] }, none))).toEqual([1, 3, 4, 5, 0]);
  });

  it('caps items per category, filling from further down the list', () => {
    expect(list(rankWithRules(scores, 4, catalogue, { maxPerCategory: 1 }, none))).toEqual([0, 3, 5]);
    const r = rankWithRules(scores, 4, catalogue, { maxPerCategory: 1, inStockOnly: false }, none);
    expect(list(r)).toEqual([2, 3, 5]);
  });

  it('returns the model scores, shows -Infinity last and never NaN, and refuses k <= 0', () => {
    const s = Float32Array.from([-Infinity, 0.2, NaN, 0.3, 0.1, 0]);
    const r = rankWithRules(s, 6, catalogue, { inStockOnly: false }, none);
    expect(list(r)).toEqual([3, 1, 4, 5, 0]);
    expect(Array.from(r.scores)).toEqual([
      Math.fround(0.3),
      Math.fround(0.2),
      Math.fround(0.1),
      0,
      -Infinity,
    ]);
    expect(() => rankWithRules(s, 0, catalogue, {}, none)).toThrow(/k must be a positive integer, got 0/);
    expect(() => rankWithRules(s, 2.5, catalogue, {}, none)).toThrow(/positive integer/);
  });

  it('gives an empty list when everything is bought, and at most the eligible count for a huge k', () => {
    const all = Int32Array.from([0, 1, 2, 3, 4, 5]);
    const r = rankWithRules(scores, 10, catalogue, {}, all);
    expect(list(r)).toEqual([]);
    expect(r.eligible).toBe(0);
    expect(rankWithRules(scores, 1_000_000, catalogue, {}, none).items.length).toBe(5);
  });
});
