import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPricingStore } from '../../tasks/pricing/test-pricing-store.js';
import { startTestServer, type TestServer } from '../test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ seed: seedPricingStore });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('GET /v1/pricing/:product', () => {
  it('the same answer as the library, in snake_case, the category fitted off the main thread', async () => {
    const res = await s.fetch('/v1/pricing/t3?cost=3', { key: 'read' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      product_id: string;
      own: { status: string; elasticity: number; ci95: number[] };
      category: { category: string; estimated: number; elasticity: number };
      elasticity: { source: string; own_weight: number; elasticity: number };
      history: { days_with_sales: number; units_per_day: number };
      suggestion: { objective: string; price: number; at: { margin: number; units_lo95: number } };
      curve: { price: number; margin: number }[];
    };
    expect(body.product_id).toBe('t3');
    expect(body.own.status).toBe('estimated');
    expect(body.own.ci95).toHaveLength(2);
    expect(body.category).toMatchObject({ category: 'toys', estimated: 5 });
    expect(body.elasticity.source).toBe('shrunk');
    expect(body.history.days_with_sales).toBe(112);
    const e = body.elasticity.elasticity;
    expect(body.suggestion.objective).toBe('margin');
    expect(body.suggestion.price).toBeCloseTo((3 * e) / (1 + e), 10);
    expect(body.suggestion.at.margin).toBeGreaterThan(0);
    expect(body.curve).toHaveLength(11);
    const flat = (await (await s.fetch('/v1/pricing/flat', { key: 'read' })).json()) as {
      own: { status: string };
      suggestion: null;
      reason: string;
    };
    expect(flat.own.status).toBe('not_enough_price_variation');
    expect(flat.suggestion).toBeNull();
    expect(flat.reason).toMatch(/^not enough price variation/);
  }, 60_000);

  it('404 for an unknown product; 400 naming the field for bad bounds', async () => {
    const unknown = await s.fetch('/v1/pricing/zz', { key: 'read' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown_product');
    const outside = await s.fetch('/v1/pricing/t3?min_price=100', { key: 'read' });
    expect(outside.status).toBe(400);
    expect(((await outside.json()) as { error: { message: string } }).error.message).toMatch(
      /^querystring\/min_price: .*outside the observed price range/,
    );
    const inverted = await s.fetch('/v1/pricing/t3?min_price=9&max_price=8', { key: 'read' });
    expect(inverted.status).toBe(400);
    const zero = await s.fetch('/v1/pricing/t3?min_price=0', { key: 'read' });
    expect(zero.status).toBe(400);
    expect(((await zero.json()) as { error: { message: string } }).error.message).toBe(
      'querystring/min_price: min_price (--min-price) must be a positive number, got 0',
    );
    const negative = await s.fetch('/v1/pricing/t3?cost=-1', { key: 'read' });
    expect(negative.status).toBe(400);
    expect(((await negative.json()) as { error: { message: string } }).error.message).toMatch(/cost/);
  }, 60_000);
});
