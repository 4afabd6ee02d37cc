import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  businessRules,
  loadCatalogueLists,
  TogetherLists,
  type RecommendServing,
} from '../tasks/recommend/serving.js';
import { fillServingStore } from '../tasks/recommend/test-serving-store.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { loadRecommendServing } from './recommend-serving.js';
import { trainRecommendVersion } from './test-recommend-versions.js';

// The store and its hand-computed figures: tasks/recommend/test-serving-store.ts. Its baskets give these rules
// (5 orders; counts A 2, B 3, C 2, D 1; AB 2, AC 1, BC 1, ABC 1), lift = confidence / share of Y:
//   A=>B 2/2 / (3/5) = 1.67   A=>C 1/2 / (2/5) = 1.25   C=>A 1.25   AC=>B 1.67   (B=>C, C=>B: lift 0.83)
describe('recommendation serving glue', () => {
  let wh: DuckDBWarehouse;
  let served: RecommendServing;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    await fillServingStore(wh);
    await trainRecommendVersion(wh, 'item-knn', { promote: true });
    await trainRecommendVersion(wh, 'popularity');
    served = await loadRecommendServing(wh);
  });
  afterAll(() => wh.close());

  it('loads the promoted version by default and a given version on request', async () => {
    expect(served.record.modelId).toBe('recommend@1');
    expect(served.recommender.model).toBe('item-knn');
    const v2 = await loadRecommendServing(wh, 2);
    expect(v2.record.version).toBe(2);
    expect(v2.recommender.forUser('c1', 2).source).toBe('popularity');
    // Versions can share the version-independent lists (mined once by a server).
    const lists = await loadCatalogueLists(wh);
    const [one, two] = [await loadRecommendServing(wh, 1, lists), await loadRecommendServing(wh, 2, lists)];
    expect(one.together).toBe(two.together);
    expect([one.recommender.model, two.recommender.model]).toEqual(['item-knn', 'popularity']);
    await expect(loadRecommendServing(wh, 7)).rejects.toThrow(/no recommend model version 7 \(known: 1, 2\)/);
  });

  it('knows every catalogue product, sold or not', () => {
    expect([...served.products].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    expect(served.recommender.knowsItem('G')).toBe(false); // in the catalogue, never bought
    expect(served.recommender.knowsUser('c1')).toBe(true);
    expect(served.recommender.knowsUser('nobody')).toBe(false);
  });

  it('turns plain rule options into the rules of the recommender (ids to indices, unknown ids dropped)', () => {
    const rules = businessRules(served.recommender, {
      includeBought: true,
      categories: ['home'],
      maxPerCategory: 2,
      boost: ['C', 'no-such-product'],
      bury: ['B'],
    });
    // Item indices follow product_id order among the items with interactions: A 0, B 1, C 2, D 3.
    expect(rules).toEqual({
      excludeHistory: false,
      inStockOnly: true,
      categories: ['home'],
      maxPerCategory: 2,
      boost: [2],
      bury: [1],
    });
    // Popularity B 3, A 2, C 2, D 1: burying B puts it last.
    const cold = served.recommender.forUser('nobody', 4, businessRules(served.recommender, { bury: ['B'] }));
    expect(cold.items.map((i) => i.productId)).toEqual(['A', 'C', 'D', 'B']);
    expect(businessRules(served.recommender, {})).toEqual({
      excludeHistory: true,
      inStockOnly: true,
      boost: [],
      bury: [],
    });
  });

  it('lists bought-together products by lift, with the stock, price and category filters', async () => {
    const a = served.together.answer('A', 5);
    expect(a.source).toBe('bought-together');
    expect(a.items.map((i) => i.productId)).toEqual(['B', 'C']);
    expect(a.items[0]!.reason).toBe('bought together with Mug in 2 orders (lift 1.7)');
    expect(a.items[0]!.score).toBeCloseTo(5 / 3, 6);
    // C: its own rule C=>A, then AC=>B.
    expect(served.together.answer('C', 5).items.map((i) => i.productId)).toEqual(['A', 'B']);
    expect(served.together.answer('A', 5, { maxPrice: 20 }).items.map((i) => i.productId)).toEqual(['B']);
    expect(served.together.answer('A', 5, { categories: ['home'] }).items.map((i) => i.productId)).toEqual([
      'C',
    ]);
    const none = served.together.answer('A', 5, { maxPrice: 5 });
    expect(none.items).toEqual([]);
    expect(none.note).toBe('no product bought with A is left under these rules');
    expect(served.together.answer('D', 5).note).toBe('no orders hold D with another product often enough');
    // The CLI's way (mined without a model) gives the same list.
    expect((await TogetherLists.fit(wh)).answer('A', 5)).toEqual(a);
  });
});
