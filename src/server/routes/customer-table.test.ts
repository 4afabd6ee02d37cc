import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeTestPredictions } from '../../warehouse/analytics/test-predictions.js';
import { fillTestStore } from '../../warehouse/analytics/test-store.js';
import { startTestServer, type TestServer } from '../test-server.js';

/**
 * GET /v1/customers and GET /v1/analytics/predictions over the analytics test store with the
 * hand-made predictions of test-predictions.ts (the numbers are worked out in
 * warehouse/analytics/customer-table.test.ts); here: the HTTP names, the query fields, the 400s.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    seed: async (wh) => {
      await fillTestStore(wh);
      await storeTestPredictions(wh);
    },
  });
}, 60_000);
afterAll(async () => {
  await s?.close();
});

const get = async (path: string) => {
  const res = await s.fetch(path, { key: 'read' });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('GET /v1/customers', () => {
  it('answers one page in snake_case with the total of every match', async () => {
    const { status, body } = await get('/v1/customers?sort=churn_probability&page_size=2&page=1');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      as_of: '2024-03-29',
      total: 6,
      page: 1,
      page_size: 2,
      sort: 'churn_probability',
      order: 'desc',
      predictions: { available: true, as_of: '2024-03-29', reason: null },
    });
    expect(body['customers']).toEqual([
      {
        customer_id: 'c4',
        country: 'UK',
        email: null,
        segment: 'dormant',
        segment_label: 'Dormant',
        recency_days: 57,
        last_order_at: '2024-02-01',
        orders: 1,
        spend: 15,
        r: 1,
        f: 1,
        m: 1,
        churn_probability: 0.95,
        churn_risk: 'high',
        purchase_probability: 0.02,
        clv_365d: 0,
        spend_tier: 'low',
      },
      expect.objectContaining({ customer_id: 'c3', segment: 'at_risk', churn_probability: 0.72 }),
    ]);
  });

  it('takes the search and the filters from the query', async () => {
    const { body } = await get('/v1/customers?q=C2');
    expect((body['customers'] as { customer_id: string }[]).map((c) => c.customer_id)).toEqual(['c2']);
    const high = await get('/v1/customers?churn_risk=high&country=FR');
    expect((high.body['customers'] as { customer_id: string }[]).map((c) => c.customer_id)).toEqual(['c3']);
    expect((await get('/v1/customers?segment=prospects')).body['total']).toBe(1);
  });

  it('refuses a bad query field with a 400 naming it', async () => {
    for (const [query, field] of [
      ['page=0', 'page'],
      ['page_size=500', 'page_size'],
      ['sort=bogus', 'sort'],
      ['segment=vip', 'segment'],
      ['as_of=yesterday', 'as_of'],
      ['colour=red', 'colour'],
    ] as const) {
      const { status, body } = await get(`/v1/customers?${query}`);
      expect(status, query).toBe(400);
      expect(JSON.stringify(body['error']), query).toContain(field);
    }
  });
});

describe('GET /v1/analytics/predictions', () => {
  it('gives the histograms of the stored predictions', async () => {
    const { status, body } = await get('/v1/analytics/predictions?bins=4');
    expect(status).toBe(200);
    expect(body).toMatchObject({ available: true, customers: 4, as_of: '2024-03-29' });
    expect(body['clv']).toMatchObject({ cap: 188, median: 100, total: 400 });
    expect((body['churn'] as { by_risk: unknown }).by_risk).toEqual([
      { risk: 'low', customers: 1 },
      { risk: 'medium', customers: 1 },
      { risk: 'high', customers: 2 },
    ]);
    expect((await get('/v1/analytics/predictions?bins=1')).status).toBe(400);
  });
});
