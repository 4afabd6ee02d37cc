/**
 * PUT /v1/products/:id, PUT /v1/customers/:id, POST /v1/orders over HTTP: the importer's checks,
 * refused rows kept in the quarantine, all or nothing per request, status changes point in time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const q = <T extends Record<string, unknown>>(sql: string, params: string[] = []): Promise<T[]> =>
  s.ctx.db.read((wh) => wh.rows<T>(sql, params));
/** A success body, or the error body (read `error` only on a 4xx). */
type Body = Record<string, unknown> & { error: { code: string; message: string } };
const send = async (method: string, path: string, json: unknown): Promise<{ status: number; body: Body }> => {
  const res = await s.fetch(path, { method, key: 'ingest', json });
  return { status: res.status, body: (await res.json()) as Body };
};

describe('PUT /v1/products/:id', () => {
  it('creates, then updates only the fields sent', async () => {
    expect(
      await send('PUT', '/v1/products/SKU-1', { title: 'Mug', price: 3.5, currency: 'GBP' }),
    ).toMatchObject({
      status: 201,
      body: { product_id: 'SKU-1', created: true },
    });
    expect((await send('PUT', '/v1/products/SKU-1', { price: '4.25' })).status).toBe(200);
    expect(
      await q("SELECT title, price, currency, is_merchandise FROM products WHERE product_id = 'SKU-1'"),
    ).toEqual([{ title: 'Mug', price: 4.25, currency: 'GBP', is_merchandise: true }]);
  });

  it('refuses a bad value with a 400 naming the field, writes nothing, and keeps the row in the quarantine', async () => {
    const before = await q<{ n: number }>('SELECT count(*) AS n FROM quarantine');
    const r = await send('PUT', '/v1/products/SKU-1', { price: -1, title: 'Changed' });
    expect(r.status).toBe(400);
    expect(r.body['error']).toMatchObject({ code: 'rejected_row' });
    expect(r.body['error'].message).toMatch(
      /^price: '-1' is a negative price \(negative_price\); nothing was written/,
    );
    expect(await q("SELECT title, price FROM products WHERE product_id = 'SKU-1'")).toEqual([
      { title: 'Mug', price: 4.25 },
    ]);
    const rows = await q('SELECT source, "column", reason FROM quarantine WHERE reason = \'negative_price\'');
    expect(rows).toEqual([
      {
        source: expect.stringMatching(/^PUT \/v1\/products\/SKU-1 \(request req_/) as unknown,
        column: 'price',
        reason: 'negative_price',
      },
    ]);
    expect((await q<{ n: number }>('SELECT count(*) AS n FROM quarantine'))[0]!.n).toBe(before[0]!.n + 1);
  });

  it('refuses unknown fields and a body id that contradicts the path', async () => {
    const unknown = await send('PUT', '/v1/products/SKU-1', { colour: 'red' });
    expect([unknown.status, unknown.body['error'].message]).toEqual([
      400,
      expect.stringMatching(/^colour: unknown field/),
    ]);
    const other = await send('PUT', '/v1/products/SKU-1', { product_id: 'SKU-2' });
    expect(other.status).toBe(400);
  });
});

describe('PUT /v1/customers/:id', () => {
  it('creates a customer and refuses a first_seen_at that is not a date', async () => {
    expect((await send('PUT', '/v1/customers/C-77', { country: 'Iceland', email: 'a@b.c' })).status).toBe(
      201,
    );
    const bad = await send('PUT', '/v1/customers/C-77', { first_seen_at: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.body['error'].message).toMatch(/^first_seen_at: 'yesterday' is not a date\/time/);
    expect(await q("SELECT country, first_seen_at FROM customers WHERE customer_id = 'C-77'")).toEqual([
      { country: 'Iceland', first_seen_at: null },
    ]);
  });
});

describe('POST /v1/orders', () => {
  const order = {
    order_id: 'API-1',
    customer_id: 'C-77',
    ordered_at: '2026-11-01T09:00:00Z',
    status: 'paid',
    currency: 'GBP',
    lines: [
      { product_id: 'SKU-1', quantity: 2, unit_price: 4.25 },
      { product_id: 'SKU-1', quantity: 1, unit_price: 4 },
    ],
  };

  it('refuses the whole order when a line names an unknown product, naming the line', async () => {
    const r = await send('POST', '/v1/orders', {
      ...order,
      order_id: 'API-BAD',
      lines: [order.lines[0], { product_id: 'NOPE', quantity: 1, unit_price: 1 }],
    });
    expect(r.status).toBe(400);
    expect(r.body['error'].message).toMatch(
      /^lines\[1\]\.product_id: product 'NOPE' is not in the products table \(unknown_product\)/,
    );
    expect(await q("SELECT * FROM orders WHERE order_id = 'API-BAD'")).toEqual([]);
    expect(await q("SELECT * FROM order_items WHERE order_id = 'API-BAD'")).toEqual([]);
    expect(await q("SELECT reason FROM quarantine WHERE source LIKE 'POST /v1/orders%'")).toEqual([
      { reason: 'unknown_product' },
    ]);
  });

  it('creates an order with its lines, then records a status change with its time', async () => {
    expect(await send('POST', '/v1/orders', order)).toMatchObject({
      status: 201,
      body: { order_id: 'API-1', created: true, status: 'paid' },
    });
    expect(await q("SELECT status, total FROM orders WHERE order_id = 'API-1'")).toEqual([
      { status: 'paid', total: 12.5 },
    ]);
    expect(await q("SELECT count(*) AS n FROM order_items WHERE order_id = 'API-1'")).toEqual([{ n: 2 }]);
    const change = await send('POST', '/v1/orders', {
      order_id: 'API-1',
      status: 'returned',
      status_changed_at: '2026-11-10T12:00:00Z',
    });
    expect(change).toMatchObject({ status: 200, body: { status: 'returned', created: false } });
    expect(
      await q(
        "SELECT status, changed_at FROM order_status_history WHERE order_id = 'API-1' ORDER BY changed_at",
      ),
    ).toEqual([
      { status: 'paid', changed_at: new Date('2026-11-01T09:00:00Z') },
      { status: 'returned', changed_at: new Date('2026-11-10T12:00:00Z') },
    ]);
  });

  it('replaces a stored order with its lines and records a new status as a change, not a rewrite', async () => {
    const early = await send('POST', '/v1/orders', {
      ...order,
      status: 'cancelled',
      status_changed_at: '2026-10-01T00:00:00Z',
      lines: [order.lines[0]],
    });
    expect([early.status, early.body.error.message]).toEqual([
      400,
      expect.stringMatching(/^status_changed_at: .*before ordered_at/) as unknown,
    ]);
    expect(await q("SELECT count(*) AS n FROM order_items WHERE order_id = 'API-1'")).toEqual([{ n: 2 }]);
    const r = await send('POST', '/v1/orders', {
      ...order,
      status: 'cancelled',
      status_changed_at: '2026-11-20T00:00:00Z',
      lines: [order.lines[0]],
    });
    expect(r).toMatchObject({ status: 200, body: { created: false, status: 'cancelled' } });
    expect(await q("SELECT count(*) AS n FROM order_items WHERE order_id = 'API-1'")).toEqual([{ n: 1 }]);
    expect(
      await q("SELECT status FROM order_status_history WHERE order_id = 'API-1' ORDER BY changed_at"),
    ).toEqual([{ status: 'paid' }, { status: 'returned' }, { status: 'cancelled' }]);
  });

  it('answers a status change of an unknown order with 404 and a bad status with 400', async () => {
    expect((await send('POST', '/v1/orders', { order_id: 'NOPE', status: 'paid' })).status).toBe(404);
    const bad = await send('POST', '/v1/orders', { order_id: 'API-1', status: 'lost' });
    expect([bad.status, bad.body['error'].message]).toEqual([
      400,
      expect.stringMatching(/^status: 'lost' is not one of placed/),
    ]);
  });
});
