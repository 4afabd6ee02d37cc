import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillFeedbackStore } from '../../tasks/recommend/test-feedback-store.js';
import { startTestServer, type TestServer } from '../test-server.js';

/** The hand-made feedback loop of tasks/recommend/test-feedback-store.ts, served over HTTP. */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ seed: fillFeedbackStore });
});
afterAll(async () => {
  await s?.close();
});

type Json = Record<string, unknown>;
const get = async (path: string): Promise<{ status: number; body: Json }> => {
  const res = await s.fetch(path, { key: 'read' });
  return { status: res.status, body: (await res.json()) as Json };
};

describe('GET /v1/analytics/recommendations', () => {
  it('reports each model version and variant with request-id attribution in a 7-day window', async () => {
    const { status, body } = await get('/v1/analytics/recommendations?task=recommend');
    expect(status).toBe(200);
    expect(body).toMatchObject({ window_days: 7, attribution: 'request', notes: [] });
    // A (v3): r1 r2 r6, clicked r1 r2, r1 carted and bought for 30; B (v4): r3 r4 r5 all clicked,
    // r4 bought without a value, r3's purchase 8 days after serving is outside the window.
    expect(body['rows']).toEqual([
      {
        task: 'recommend',
        model_version: 3,
        variant: 'A',
        impressions: 3,
        items: 6,
        clicked_impressions: 2,
        clicks: 3,
        ctr: 2 / 3,
        carted_impressions: 1,
        add_to_cart_rate: 1 / 3,
        converted_impressions: 1,
        orders: 1,
        conversion_rate: 1 / 3,
        revenue: 30,
        purchases_without_value: 0,
        revenue_per_impression: 10,
      },
      {
        task: 'recommend',
        model_version: 4,
        variant: 'B',
        impressions: 3,
        items: 5,
        clicked_impressions: 3,
        clicks: 3,
        ctr: 1,
        carted_impressions: 1,
        add_to_cart_rate: 1 / 3,
        converted_impressions: 1,
        orders: 1,
        conversion_rate: 1 / 3,
        revenue: 0,
        purchases_without_value: 1,
        revenue_per_impression: 0,
      },
    ]);
    const [c] = body['comparisons'] as Json[];
    expect(c).toMatchObject({
      task: 'recommend',
      compare_by: 'variant',
      a: { arm: 'A', impressions: 3, clicked_impressions: 2 },
      b: { arm: 'B', impressions: 3, clicked_impressions: 3 },
      ctr: { verdict: 'too_small' },
    });
    expect((c!['ctr'] as Json)['reason']).toMatch(/^too small to tell: arm A has 2 successes/);
    expect((c!['ctr'] as Json)['z']).toBeCloseTo(1.0954451150103326, 12);
    expect((c!['ctr'] as Json)['difference']).toBeCloseTo(1 / 3, 12); // 3/3 - 2/3
  });

  it('switches to last touch and a wider window', async () => {
    const { body } = await get(
      '/v1/analytics/recommendations?task=recommend&attribution=last_touch&window_days=10',
    );
    // o100 -> r1 (A, 30); o101 -> r5 (B, 40); o102 -> r3 (B, 50: its click is 10 days before it).
    const rows = body['rows'] as Json[];
    expect(rows.map((r) => [r['variant'], r['orders'], r['revenue']])).toEqual([
      ['A', 1, 30],
      ['B', 2, 90],
    ]);
  });

  it('refuses a bad window, attribution or arm pair with a 400 naming it', async () => {
    const zero = await get('/v1/analytics/recommendations?window_days=0');
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.body)).toContain('window_days');
    expect((await get('/v1/analytics/recommendations?attribution=first_touch')).status).toBe(400);
    const half = await get('/v1/analytics/recommendations?a=A');
    expect(half.status).toBe(400);
    expect((half.body['error'] as Json)['message']).toBe('name both arms (a and b) or neither');
    const missing = await get('/v1/analytics/recommendations?a=A&b=C');
    expect(missing.body['notes']).toEqual(["recommend: no impressions for variant 'C' (has A, B)"]);
  });
});
