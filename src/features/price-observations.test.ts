import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadPricePanel, productForPricing, UnknownPricingProductError } from './price-observations.js';

// 2024-01-01 (day 19723): p1 retail x2 at 10, retail x1 at 10, wholesale x1000 at 6 -> units 1003,
// price 10 (the median line, not the unit-weighted 6.01); p2 (no category) x1 at 4.
// 2024-01-02: p1 x3 with a line total of 27 (9 a unit after a discount); a cancelled order of p1 x50
// at 1 (left out). 2024-01-03: postage (not merchandise) only.
const STORE = [
  `INSERT INTO products (product_id, title, category, is_merchandise) VALUES
     ('p1', 'Mug', 'kitchen', true), ('p2', 'Candle', NULL, true), ('post', 'Postage', 'kitchen', false),
     ('p3', 'Bowl', 'kitchen', true)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status, country) VALUES
     ('o1', 'c1', '2024-01-01 10:00', 'paid', 'UK'), ('o2', 'c2', '2024-01-01 11:00', 'paid', 'UK'),
     ('o3', 'c3', '2024-01-01 12:00', 'shipped', 'UK'), ('o4', 'c1', '2024-01-02 09:00', 'paid', 'UK'),
     ('o5', 'c2', '2024-01-02 10:00', 'cancelled', 'UK'), ('o6', 'c1', '2024-01-03 10:00', 'paid', 'UK')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price, line_total) VALUES
     ('o1', 1, 'p1', 2, 10, NULL), ('o2', 1, 'p1', 1, 10, NULL), ('o3', 1, 'p1', 1000, 6, NULL),
     ('o3', 2, 'p2', 1, 4, NULL), ('o4', 1, 'p1', 3, 10, 27), ('o5', 1, 'p1', 50, 1, NULL),
     ('o6', 1, 'post', 1, 5, NULL)`,
];

describe('price observations', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    for (const sql of STORE) await wh.exec(sql);
  });
  afterAll(() => wh.close());

  it('per product and day: units, and the median price a unit was charged', async () => {
    const { ids, panel } = await loadPricePanel(wh, { category: 'kitchen' });
    expect(ids).toEqual(['p1']);
    expect(Array.from(panel.offsets)).toEqual([0, 2]);
    expect(Array.from(panel.day)).toEqual([19723, 19724]);
    expect(Array.from(panel.units)).toEqual([1003, 3]);
    expect(Array.from(panel.price)).toEqual([10, 9]);
    const none = await loadPricePanel(wh, { category: '(none)' });
    expect(none.ids).toEqual(['p2']);
  });

  it("a product's category and the store's last day; an unknown product is an error naming it", async () => {
    expect(await productForPricing(wh, 'p2')).toEqual({
      productId: 'p2',
      title: 'Candle',
      category: '(none)',
      lastStoreDay: 19725,
    });
    expect((await productForPricing(wh, 'p3')).category).toBe('kitchen');
    await expect(productForPricing(wh, 'zz')).rejects.toThrow(UnknownPricingProductError);
    await expect(productForPricing(wh, 'zz')).rejects.toThrow(
      'no product "zz" in the catalogue or the order lines',
    );
  });
});
