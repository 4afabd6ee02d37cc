import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreStoreReviews, storeReviewInsight } from '../../registry/review-scoring.js';
import { snakeKeys } from '../snake-case.js';
import { startTestServer, type TestServer } from '../test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<Json> => (await r.json()) as Json;

/**
 * Product P1 (category Home): three reviews, one of them negative; product P2 (Garden): two, and a
 * third whose own category is Home (a review's category wins over its product's). Scored by the
 * lexicon (no sentiment model).
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    seed: async (wh) => {
      await wh.exec(`INSERT INTO products (product_id, title, category, is_merchandise) VALUES
        ('P1', 'Lamp', 'Home', true), ('P2', 'Spade', 'Garden', true), ('P3', 'Rake', 'Tools', true)`);
      await wh.exec(`INSERT INTO reviews (review_id, product_id, rating, body, created_at, category) VALUES
        ('r1', 'P1', 5, 'Great quality, lovely lamp', '2024-01-05', NULL),
        ('r2', 'P1', 5, 'Lovely colour, great price', '2024-02-05', NULL),
        ('r3', 'P1', 1, 'Poor quality, the glass broke', '2024-02-20', NULL),
        ('r4', 'P2', 5, 'Great handle, lovely spade', '2024-01-10', NULL),
        ('r5', 'P2', 2, 'Poor handle, it broke', '2024-02-11', NULL),
        ('r6', 'P2', 5, 'Great price', '2024-02-12', 'Home')`);
      await scoreStoreReviews(wh);
    },
  });
}, 60_000);
afterAll(async () => {
  await s?.close();
});

describe('GET /v1/reviews/insight', () => {
  it("answers a category's insight: its own reviews and those whose product is in it", async () => {
    const home = await json(await s.fetch('/v1/reviews/insight?category=Home', { key: 'read' }));
    // r1, r2, r3 (product P1 in Home) and r6 (its own category Home).
    expect(home['scope']).toEqual({ category: 'Home' });
    expect(home['reviews']).toBe(4);
    expect(home['sentiment']).toMatchObject({ reviews: 4, positive: 3, negative: 1, negative_share: 0.25 });
    expect(home['months'].map((m: Json) => [m['month'], m['reviews']])).toEqual([
      ['2024-01', 1],
      ['2024-02', 3],
    ]);
    expect(home['note']).toBeNull();
    // The same object as the library's, in snake_case.
    const direct = await s.ctx.db.read((wh) => storeReviewInsight(wh, { scope: { category: 'Home' } }));
    expect(home).toEqual({ ...(snakeKeys(direct) as Json), note: null });
  });

  it('answers the whole store without a category', async () => {
    const all = await json(await s.fetch('/v1/reviews/insight', { key: 'read' }));
    expect(all['reviews']).toBe(6);
    expect(all['sentiment']).toMatchObject({ positive: 4, negative: 2 });
  });

  it('is empty, not an error, for a category with no reviews; 404 for one nothing carries', async () => {
    const tools = await json(await s.fetch('/v1/reviews/insight?category=Tools', { key: 'read' }));
    expect(tools['reviews']).toBe(0);
    const r = await s.fetch('/v1/reviews/insight?category=Toys', { key: 'read' });
    expect(r.status).toBe(404);
    expect((await json(r))['error']).toMatchObject({ code: 'unknown_category' });
  });
});

describe('GET /v1/reviews/categories', () => {
  it('lists the categories with reviews, most reviewed first', async () => {
    const body = await json(await s.fetch('/v1/reviews/categories', { key: 'read' }));
    expect(body['categories']).toEqual([
      { category: 'Home', reviews: 4 },
      { category: 'Garden', reviews: 2 },
    ]);
  });
});
