import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse.js';
import { importRows, unknownColumns } from './import-rows.js';
import { snapshot } from './test-helpers.js';

let wh: Warehouse;
beforeEach(async () => {
  wh = await DuckDBWarehouse.open(':memory:');
});
afterEach(() => wh.close());

const line = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  order_id: 'O1',
  customer_id: 'C1',
  ordered_at: '2024-05-01T10:00:00Z',
  status: 'paid',
  currency: 'GBP',
  product_id: 'P1',
  quantity: 2,
  unit_price: 3.5,
  ...over,
});

describe('importRows', () => {
  it('upserts a product with the columns sent only', async () => {
    const first = await importRows(wh, {
      frame: 'products',
      rows: [{ product_id: 'P1', title: 'Mug', price: 3.5, currency: 'GBP', attributes: { colour: 'red' } }],
      source: 'PUT /v1/products/P1',
    });
    expect(first.ok).toBe(true);
    await importRows(wh, {
      frame: 'products',
      rows: [{ product_id: 'P1', price: 4 }],
      source: 'PUT /v1/products/P1',
    });
    const rows = await wh.rows(
      'SELECT product_id, title, price, currency, is_merchandise, attributes::VARCHAR AS attributes FROM products',
    );
    expect(rows).toEqual([
      {
        product_id: 'P1',
        title: 'Mug',
        price: 4,
        currency: 'GBP',
        is_merchandise: true,
        attributes: '{"colour":"red"}',
      },
    ]);
  });

  it('refuses a bad row: nothing written, the row quarantined with its reason', async () => {
    const before = await snapshot(wh);
    const r = await importRows(wh, {
      frame: 'products',
      rows: [{ product_id: 'P1', price: -2 }],
      source: 'PUT /v1/products/P1 (request r1)',
    });
    expect(r).toMatchObject({
      ok: false,
      rejected: [{ line: 1, column: 'price', reason: 'negative_price', detail: "'-2' is a negative price" }],
    });
    const after = await snapshot(wh);
    expect(after).toEqual({ ...before, quarantine: 1 });
    const [q] = await wh.rows('SELECT source, line, "column", reason, raw FROM quarantine');
    expect(q).toEqual({
      source: 'PUT /v1/products/P1 (request r1)',
      line: 1,
      column: 'price',
      reason: 'negative_price',
      raw: '{"product_id":"P1","price":"-2"}',
    });
    // A second import on the same connection still works (the staging tables were cleaned up).
    expect((await importRows(wh, { frame: 'products', rows: [{ product_id: 'P2' }], source: 's' })).ok).toBe(
      true,
    );
  });

  it('imports an order with its lines, and refuses the whole order when a line names an unknown product', async () => {
    await importRows(wh, {
      frame: 'products',
      rows: [{ product_id: 'P1' }, { product_id: 'P2' }],
      source: 'seed',
    });
    const ok = await importRows(wh, {
      frame: 'order_lines',
      rows: [line({ line_no: 1 }), line({ line_no: 2, product_id: 'P2', quantity: 1, unit_price: 10 })],
      source: 'POST /v1/orders',
      unknownProducts: 'quarantine',
    });
    expect(ok.ok).toBe(true);
    expect(await wh.rows('SELECT order_id, customer_id, status, total FROM orders')).toEqual([
      { order_id: 'O1', customer_id: 'C1', status: 'paid', total: 17 },
    ]);
    expect(await wh.rows('SELECT order_id, status FROM order_status_history')).toEqual([
      { order_id: 'O1', status: 'paid' },
    ]);
    const before = await snapshot(wh);
    const bad = await importRows(wh, {
      frame: 'order_lines',
      rows: [line({ order_id: 'O2', line_no: 1 }), line({ order_id: 'O2', line_no: 2, product_id: 'NOPE' })],
      source: 'POST /v1/orders (request r2)',
      unknownProducts: 'quarantine',
    });
    expect(bad).toMatchObject({
      ok: false,
      rejected: [
        {
          line: 2,
          column: 'product_id',
          reason: 'unknown_product',
          detail: "product 'NOPE' is not in the products table",
        },
      ],
    });
    expect(await snapshot(wh)).toEqual({ ...before, quarantine: before['quarantine']! + 1 });
  });

  it('names the keys that are not columns of the frame', () => {
    expect(unknownColumns('customers', [{ customer_id: 'C1', colour: 'x', email: 'a' }])).toEqual(['colour']);
  });
});
