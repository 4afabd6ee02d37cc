import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadSalesSeries, periodDate, seriesValues } from './sales-series.js';

// Days Mon 2024-01-01 .. Wed 2024-01-10 (the first and last order days).
// o1 Jan 1 UK: p1 x2 at 10, p2 x1 at 4 (kitchen, home); o2 Jan 3 FR: p1 x5 at 10 and postage x1;
// o3 Jan 3 UK cancelled: p1 x4 (left out, or subtracted with undone 'net');
// o4 Jan 10 UK: p2 x3 at 4. Jan 2 and Jan 4..9 have no sale: zeros.
const STORE = [
  `INSERT INTO products (product_id, title, category, is_merchandise) VALUES
     ('p1', 'Mug', 'kitchen', true), ('p2', 'Candle', 'home', true), ('post', 'Postage', NULL, false)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status, country) VALUES
     ('o1', 'c1', '2024-01-01 10:00', 'shipped', 'UK'), ('o2', 'c2', '2024-01-03 23:59', 'paid', 'FR'),
     ('o3', 'c1', '2024-01-03 08:00', 'cancelled', 'UK'), ('o4', 'c3', '2024-01-10 08:00', 'placed', 'UK')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o1', 1, 'p1', 2, 10), ('o1', 2, 'p2', 1, 4), ('o2', 1, 'p1', 5, 10), ('o2', 2, 'post', 1, 5),
     ('o3', 1, 'p1', 4, 10), ('o4', 1, 'p2', 3, 4)`,
];

describe('loadSalesSeries', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    for (const sql of STORE) await wh.exec(sql);
  });
  afterAll(() => wh.close());

  it('daily total units, zero-filled, cancellations and postage left out', async () => {
    const s = await loadSalesSeries(wh, { level: 'total' });
    expect(s.start.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(s.length).toBe(10);
    expect(s.ids).toEqual(['total']);
    expect(Array.from(seriesValues(s, 0))).toEqual([3, 0, 5, 0, 0, 0, 0, 0, 0, 3]);
    expect(periodDate(s, 9).toISOString().slice(0, 10)).toBe('2024-01-10');
  });

  it('per product, largest first, with the first sale; revenue; net of the cancellation', async () => {
    const p = await loadSalesSeries(wh, { level: 'product' });
    expect(p.ids).toEqual(['p1', 'p2']);
    expect(Array.from(seriesValues(p, 1))).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0, 3]);
    expect(Array.from(p.firstSale)).toEqual([0, 0]);
    const r = await loadSalesSeries(wh, { level: 'product', measure: 'revenue', ids: ['p2'] });
    expect(Array.from(seriesValues(r, 0))).toEqual([4, 0, 0, 0, 0, 0, 0, 0, 0, 12]);
    const net = await loadSalesSeries(wh, { level: 'product', undone: 'net', ids: ['p1'] });
    expect(Array.from(seriesValues(net, 0)).slice(0, 3)).toEqual([2, 0, 1]);
    const withPostage = await loadSalesSeries(wh, { level: 'total', merchandiseOnly: false });
    expect(seriesValues(withPostage, 0)[2]).toBe(6);
  });

  it('per country and category, weekly, top n', async () => {
    const c = await loadSalesSeries(wh, { level: 'country', granularity: 'week' });
    expect(c.ids).toEqual(['UK', 'FR']);
    expect(c.length).toBe(2);
    expect(Array.from(c.values)).toEqual([3, 3, 5, 0]);
    const cat = await loadSalesSeries(wh, { level: 'category', top: 1 });
    expect(cat.ids).toEqual(['kitchen']);
  });

  it('a cutoff reads only what came before it', async () => {
    const s = await loadSalesSeries(wh, { level: 'total', cutoff: new Date('2024-01-03T12:00:00Z') });
    expect(s.length).toBe(3);
    expect(Array.from(seriesValues(s, 0))).toEqual([3, 0, 0]);
  });

  it('an id with no sales, and an empty store, are errors naming them', async () => {
    await expect(loadSalesSeries(wh, { level: 'product', ids: ['nope'] })).rejects.toThrow(
      'no product "nope" with sales in the store',
    );
    const empty = await DuckDBWarehouse.open(':memory:');
    await expect(loadSalesSeries(empty, { level: 'total' })).rejects.toThrow('the store has no orders');
    await empty.close();
  });
});
