import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreStoreReviews } from '../../registry/review-scoring.js';
import { trainAndRegisterSentiment } from '../../registry/sentiment-training.js';
import { reviewCorpus } from '../../tasks/reviews/test-review-corpus.js';
import { startTestServer, type TestServer } from '../test-server.js';

/**
 * A store with the test review corpus (no products: it trains the sentiment model) and a product
 * P1 with reviews: six praising its quality in January to March 2024, then in April three about
 * slow delivery, one praising quality, one emoji-only; one more review arrives after scoring.
 */
const P1_REVIEWS: [string, string][] = [
  ['2024-01-05', '这件衣服质量很好'],
  ['2024-01-20', '这个手机质量很好'],
  ['2024-02-03', '这款洗发水质量很好'],
  ['2024-02-17', '这家酒店质量很好'],
  ['2024-03-02', '这本书质量很好'],
  ['2024-03-15', '质量很好，这件衣服'],
  ['2024-04-02', '这件衣服物流太慢'],
  ['2024-04-09', '这个手机物流太慢'],
  ['2024-04-16', '这本书物流太慢'],
  ['2024-04-20', '这家酒店质量很好'],
  ['2024-04-25', '😀😀'],
];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    seed: async (wh) => {
      const { texts, labels } = reviewCorpus();
      await wh.exec(`INSERT INTO products (product_id, title, category, is_merchandise) VALUES
        ('P1', 'Shirt', 'Clothes', true), ('P2', 'Hat', 'Clothes', true), ('P3', 'Bag', 'Bags', true)`);
      // P3: a shopper wrote their phone number and e-mail into the review (personal data in free text).
      await wh.exec(`INSERT INTO reviews (review_id, product_id, body, created_at) VALUES
        ('b1', 'P3', '物流太慢，请打13812345678或写信到li.wei@example.com', '2024-04-02'),
        ('b2', 'P3', '物流太慢', '2024-04-03')`);
      const values = texts.map((_, i) => `('c${i}', NULL, ?, ?)`).join(', ');
      await wh.exec(
        `INSERT INTO reviews (review_id, product_id, body, label) VALUES ${values}`,
        texts.flatMap((t, i) => [t, labels[i]!]),
      );
      await wh.exec(
        `INSERT INTO reviews (review_id, customer_id, product_id, body, created_at) VALUES ${P1_REVIEWS.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
        P1_REVIEWS.flatMap(([at, body], i) => [`p${i}`, `u${i}`, 'P1', body, at]),
      );
      await trainAndRegisterSentiment(wh, { seed: 12 });
      await scoreStoreReviews(wh);
      await wh.exec(
        `INSERT INTO reviews (review_id, product_id, body, created_at) VALUES ('late', 'P1', '质量很好', '2024-04-28')`,
      );
    },
  });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('GET /v1/products/:id/reviews/insight', () => {
  it('answers from the stored scores: shares, months, aspects with examples, what turned negative', async () => {
    const res = await s.fetch('/v1/products/P1/reviews/insight', { key: 'read' });
    expect(res.status).toBe(200);
    const b = (await res.json()) as Json;
    expect(b).toMatchObject({
      scope: { product_id: 'P1' },
      reviews: 12,
      scored: 10,
      cannot_score: 1,
      unscored: 1,
      models: { 'sentiment@1': 11 },
      sentiment: { reviews: 10, positive: 7, negative: 3, negative_share: 0.3 },
      average_rating: null,
    });
    expect(b['note']).toBe(
      '1 of 12 reviews have no stored score yet: POST /v1/admin/train/sentiment scores every review after ' +
        'training (or, with the server stopped, `npx shopsight reviews --product P1`)',
    );
    expect(b['months']).toEqual([
      { month: '2024-01', reviews: 2, positive: 2, negative: 0, negative_share: 0 },
      { month: '2024-02', reviews: 2, positive: 2, negative: 0, negative_share: 0 },
      { month: '2024-03', reviews: 2, positive: 2, negative: 0, negative_share: 0 },
      { month: '2024-04', reviews: 4, positive: 1, negative: 3, negative_share: 0.75 },
    ]);
    expect(b['aspects']).toEqual([
      {
        aspect: '质量',
        reviews: 7,
        positive: 7,
        negative: 0,
        negative_share: 0,
        examples: { positive: ['这家酒店质量很好', '质量很好，这件衣服'], negative: [] },
      },
      {
        aspect: '物流',
        reviews: 3,
        positive: 0,
        negative: 3,
        negative_share: 1,
        examples: { positive: [], negative: ['这本书物流太慢', '这个手机物流太慢'] },
      },
    ]);
    expect(b['comparison']).toMatchObject({
      month: '2024-04',
      before: ['2024-01', '2024-02', '2024-03'],
      alpha: 0.05,
      turned_negative: [
        {
          aspect: '物流',
          month: { mentions: 3, negative: 3, negative_share: 1 },
          before: { mentions: 0, negative: 0, negative_share: null },
        },
      ],
      rising: [],
    });
    // 0 of 6 negative before, 3 of 4 in April: fewer than 5 of each, so the test does not decide.
    expect(b['comparison'].products).toEqual([
      expect.objectContaining({ product_id: 'P1', title: 'Shirt', verdict: 'too_small' }),
    ]);
  });

  it('takes month, alpha and top; a product without reviews has empty insight; 404 and 400 name the field', async () => {
    const march = (await (
      await s.fetch('/v1/products/P1/reviews/insight?month=2024-03&top=1&alpha=0.01', { key: 'read' })
    ).json()) as Json;
    expect(march['comparison']).toMatchObject({ month: '2024-03', alpha: 0.01, turned_negative: [] });
    expect(march['aspects'].map((a: { aspect: string }) => a.aspect)).toEqual(['质量']);

    const empty = await s.fetch('/v1/products/P2/reviews/insight', { key: 'read' });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({
      reviews: 0,
      scored: 0,
      months: [],
      aspects: [],
      comparison: { month: null, products: [] },
      note: null,
    });

    const unknown = await s.fetch('/v1/products/NOPE/reviews/insight', { key: 'read' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { code: 'unknown_product', message: "id: no product 'NOPE' in this store's catalogue" },
    });
    const bad = await s.fetch('/v1/products/P1/reviews/insight?month=2024-13', { key: 'read' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('month');
  });

  it('masks personal data in the example sentences unless an admin asks for them as written', async () => {
    const examples = (b: Json): string =>
      JSON.stringify(b['aspects'].map((a: { examples: unknown }) => a.examples));
    const masked = (await (await s.fetch('/v1/products/P3/reviews/insight', { key: 'read' })).json()) as Json;
    expect(examples(masked)).toContain('物流太慢');
    expect(examples(masked)).not.toContain('13812345678');
    expect(examples(masked)).not.toContain('li.wei@example.com');
    const asWritten = (await (
      await s.fetch('/v1/products/P3/reviews/insight?unmask=true', { key: 'admin' })
    ).json()) as Json;
    expect(examples(asWritten)).toContain('13812345678');
    expect(examples(asWritten)).toContain('li.wei@example.com');
    const refused = await s.fetch('/v1/products/P3/reviews/insight?unmask=true', { key: 'read' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'unmask_needs_admin' } });
  });
});
