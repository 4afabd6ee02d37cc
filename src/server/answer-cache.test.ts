/**
 * The analytics answer cache: reused until a write completes, shared by concurrent equal requests,
 * failures not kept, the oldest dropped at the size limit; and over HTTP, an order posted through
 * the API shows in the next KPI answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnswerCache } from './answer-cache.js';
import type { WriteCounter, WriteScope } from './db-pool.js';
import { startTestServer, type TestServer } from './test-server.js';

function counter(): WriteCounter & { counts: Record<WriteScope, number> } {
  const counts = { store: 0, events: 0, serving: 0 };
  return { counts, writesDone: (scope) => counts[scope] };
}

describe('AnswerCache', () => {
  it('computes once until a write completes, then again', async () => {
    const db = counter();
    const cache = new AnswerCache(db);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.get('/a', compute)).toBe(1);
    expect(await cache.get('/a', compute)).toBe(1);
    db.counts.store = 1;
    expect(await cache.get('/a', compute)).toBe(2);
    expect(await cache.get('/a', compute)).toBe(2);
    expect(await cache.get('/b', compute)).toBe(3);
  });

  it('shares one computation between requests that arrive while it runs', async () => {
    const cache = new AnswerCache(counter());
    let calls = 0;
    let release!: (v: number) => void;
    const compute = () => {
      calls++;
      return new Promise<number>((r) => (release = r));
    };
    const a = cache.get('/k', compute);
    const b = cache.get('/k', compute);
    release(7);
    expect([await a, await b, calls]).toEqual([7, 7, 1]);
  });

  it('does not keep a failure', async () => {
    const cache = new AnswerCache(counter());
    await expect(cache.get('/k', () => Promise.reject(new RangeError('bad day')))).rejects.toThrow('bad day');
    expect(await cache.get('/k', async () => 'ok')).toBe('ok');
  });

  it('keeps an answer through writes of scopes it does not read, renews it after one it does', async () => {
    const db = counter();
    const cache = new AnswerCache(db);
    let calls = 0;
    const compute = async () => ++calls;
    expect(await cache.get('/kpis', compute)).toBe(1);
    expect(await cache.get('/funnel', compute, ['events'])).toBe(2);
    db.counts.events = 1; // an events flush
    db.counts.serving = 3; // impressions, a key, a decision
    expect(await cache.get('/kpis', compute)).toBe(1);
    expect(await cache.get('/funnel', compute, ['events'])).toBe(3);
    expect(await cache.get('/funnel', compute, ['events'])).toBe(3);
    db.counts.store = 1; // an order: every answer is renewed
    expect(await cache.get('/kpis', compute)).toBe(4);
    expect(await cache.get('/funnel', compute, ['events'])).toBe(5);
  });

  it('drops the oldest answer at the size limit', async () => {
    const cache = new AnswerCache(counter(), 2);
    let calls = 0;
    const compute = async () => ++calls;
    await cache.get('/1', compute);
    await cache.get('/2', compute);
    await cache.get('/3', compute); // drops /1
    expect(await cache.get('/2', compute)).toBe(2);
    expect(await cache.get('/1', compute)).toBe(4);
  });
});

describe('GET /v1/analytics/kpis after a write', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const kpis = async (): Promise<{ orders: number; net_revenue: number }> => {
    const res = await s.fetch('/v1/analytics/kpis?from=2026-01-01&to=2027-01-01', { key: 'read' });
    expect(res.status).toBe(200);
    return (await res.json()) as { orders: number; net_revenue: number };
  };

  it('answers the same until an order is posted, then counts it', async () => {
    const put = await s.fetch('/v1/products/SKU-1', { method: 'PUT', key: 'ingest', json: { price: 5 } });
    expect(put.status).toBe(201);
    const first = await kpis();
    expect(await kpis()).toEqual(first);
    const post = await s.fetch('/v1/orders', {
      method: 'POST',
      key: 'ingest',
      json: {
        order_id: 'CACHE-1',
        customer_id: 'C-1',
        ordered_at: '2026-11-01T09:00:00Z',
        status: 'paid',
        currency: 'GBP',
        lines: [{ product_id: 'SKU-1', quantity: 2, unit_price: 4.25 }],
      },
    });
    expect(post.status).toBe(201);
    const after = await kpis();
    expect(after.orders).toBe(first.orders + 1);
    expect(after.net_revenue).toBeCloseTo(first.net_revenue + 8.5, 9);
  });
});

describe('cached analytics on a live store', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  const funnel = async (): Promise<{ available: boolean; sessions?: number }> => {
    const res = await s.fetch('/v1/analytics/funnel?from=2026-01-01&to=2028-01-01', { key: 'read' });
    expect(res.status).toBe(200);
    return (await res.json()) as { available: boolean; sessions?: number };
  };

  it('an events flush renews the funnel and counts as an events write, not a store write', async () => {
    const put = await s.fetch('/v1/products/SKU-1', { method: 'PUT', key: 'ingest', json: { price: 5 } });
    expect(put.status).toBe(201);
    expect(await funnel()).toMatchObject({ available: false }); // no events yet, and now cached
    const storeWrites = s.ctx.db.writesDone('store');
    const eventWrites = s.ctx.db.writesDone('events');
    const post = await s.fetch('/v1/events', {
      method: 'POST',
      key: 'ingest',
      json: {
        event: 'Product Viewed',
        event_id: 'cache-view-1',
        timestamp: new Date().toISOString(),
        anonymous_id: 'visitor-1',
        session_id: 'cache-session-1',
        product_id: 'SKU-1',
      },
    });
    expect(post.status).toBe(200);
    // The ingest flushes about every second; bounded wait for the stored event.
    for (let i = 0; i < 200 && s.ctx.db.writesDone('events') === eventWrites; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(s.ctx.db.writesDone('events')).toBeGreaterThan(eventWrites);
    expect(s.ctx.db.writesDone('store')).toBe(storeWrites);
    expect(await funnel()).toMatchObject({ available: true, sessions: 1 });
  });
});
