import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../features/catalogue.js';
import { loadInteractions } from '../../features/interactions.js';
import { decodeArtifact, encodeArtifact } from '../../ml/artifact.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { bundleFromArtifact, bundleToArtifact, trainBundle } from './bundle.js';
import { ContentSimilar } from './content.js';
import { Recommender } from './recommender.js';
import { fillServingStore } from './test-serving-store.js';

// The store and its hand-computed figures: test-serving-store.ts.

describe('serving recommendations from a trained bundle', () => {
  let wh: DuckDBWarehouse;
  let rec: Recommender;
  let withText: Recommender;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    await fillServingStore(wh);
    const d = await loadInteractions(wh);
    // Through the artifact bytes, as the registry stores and loads it.
    const bundle = bundleFromArtifact(
      decodeArtifact(encodeArtifact(bundleToArtifact(await trainBundle(d, 'item-knn', { seed: 1 })))),
    );
    const catalogue = await loadCatalogue(wh, bundle.itemIds);
    rec = new Recommender(bundle, catalogue);
    withText = new Recommender(bundle, catalogue, await ContentSimilar.fit(wh));
  });
  afterAll(() => wh.close());

  it('recommends for a known customer, excluding what they bought, with a reason', () => {
    // c1 has A, B. C scores sim(B,C) + sim(A,C) = 1.3165; D scores 0.
    const a = rec.forUser('c1', 2);
    expect(a.coldStart).toBe(false);
    expect(a.source).toBe('item-knn');
    expect(a.items.map((i) => i.productId)).toEqual(['C', 'D']);
    expect(a.items[0]!.score).toBeCloseTo(2 / Math.sqrt(6) + 0.5, 4);
    // B is C's most similar item in c1's history (0.8165 > A's 0.5).
    expect(a.items[0]!.reason).toBe('similar to "Plate" you bought');
    expect(a.items[1]!.reason).toBe('picked by item-knn from your last 2 items');
  });

  it('answers an unknown customer with popular items, flagged as cold start', () => {
    const a = rec.forUser('nobody', 2);
    expect(a.coldStart).toBe(true);
    expect(a.note).toMatch(/unknown user 'nobody'/);
    expect(a.items.map((i) => i.productId)).toEqual(['B', 'A']);
    expect(a.items[0]!.reason).toBe('popular with all customers');
  });

  it('gives an empty list and says why when the customer has bought everything eligible', () => {
    const a = rec.forUser('c2', 5, { categories: ['kitchen', 'home'] });
    expect(a.items).toEqual([]);
    expect(a.note).toMatch(/no item is left/);
  });

  it('finds similar items by co-purchase and tops up from the category, then popularity', () => {
    const a = rec.similarItems('A', 2);
    expect(a.items.map((i) => [i.productId, i.score.toFixed(4)])).toEqual([
      ['B', '0.8165'],
      ['C', '0.5000'],
    ]);
    expect(a.items[0]!.reason).toBe('often bought by the same customers as "Mug"');
    // D has no neighbour: no category either, so popular items answer, D itself left out.
    const d = rec.similarItems('D', 2);
    expect(d.coldStart).toBe(true);
    expect(d.source).toBe('popularity');
    expect(d.items.map((i) => i.productId)).toEqual(['B', 'A']);
  });

  it('recommends for an anonymous session from the items just viewed, ignoring unknown ids', () => {
    const a = rec.forSession(['C', 'ZZZ'], 2);
    expect(a.note).toBe('unknown products ignored: ZZZ');
    expect(a.items.map((i) => i.productId)).toEqual(['B', 'A']);
    expect(a.items[0]!.reason).toBe('similar to "Candle" you viewed');
  });

  it('applies business rules: price range and per-category cap', () => {
    expect(rec.forUser('c4', 3, { maxPrice: 11 }).items.map((i) => i.productId)).toEqual(['A']);
    expect(rec.forUser('c4', 3, { maxPerCategory: 1 }).items.map((i) => i.productId)).toEqual(['A', 'C']);
  });

  it('answers a product nobody bought from its description, before falling back to popularity', () => {
    // G ("Scented Candle") has no orders; of the sold products only C ("Candle") shares a word.
    const a = withText.similarItems('G', 3);
    expect(a.source).toBe('content');
    expect(a.coldStart).toBe(true);
    expect(a.items.map((i) => i.productId)).toEqual(['C']);
    expect(a.items[0]!.reason).toBe('similar description to Scented Candle');
    expect(rec.similarItems('G', 2).source).toBe('popularity');
  });

  it('words each reason after the model that produced the item, never "similar to" for popularity', async () => {
    const d = await loadInteractions(wh);
    const serve = async (model: string): Promise<Recommender> => {
      const bundle = await trainBundle(d, model, { seed: 1 });
      return new Recommender(bundle, await loadCatalogue(wh, bundle.itemIds));
    };
    // c1 bought A (Mug) then B (Plate); the kNN table would call C "similar to Plate".
    const popular = (await serve('popularity')).forUser('c1', 2);
    expect(popular.source).toBe('popularity');
    expect(popular.items.map((i) => i.reason)).toEqual([
      'popular with all customers',
      'popular with all customers',
    ]);
    const next = (await serve('transition')).forUser('c1', 1);
    expect(next.items[0]!.reason).toBe('often next after "Plate", the last item you bought (transition)');
    // C is in 'home', which c1 never bought; A and B are 'kitchen'.
    const byCategory = await serve('category-popularity');
    expect(byCategory.forUser('c1', 1).items[0]!.reason).toBe('popular with all customers');
    expect(byCategory.forUser('c3', 3).items.find((i) => i.productId === 'A')!.reason).toBe(
      'popular in kitchen, a category you buy',
    );
    const factors = (await serve('bpr')).forUser('c1', 1);
    expect(factors.items[0]!.reason).toBe('picked by bpr from your last 2 items');
  });
});
