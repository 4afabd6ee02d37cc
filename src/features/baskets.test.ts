import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadBaskets, type BasketData } from './baskets.js';

// o1 shipped:   p1, p2, postage         -> basket {p1, p2} (postage is not merchandise)
// o2 shipped:   p2, p3, p2 again        -> basket {p2, p3} (a product counts once per order)
// o3 cancelled: p1, p3                  -> no basket (not a sale)
// o4 returned:  p1                      -> no basket
// o5 placed, a guest: p3                -> basket {p3}
// o6 paid:      postage only            -> no basket (nothing to co-buy)
const STORE = [
  `INSERT INTO products (product_id, title, is_merchandise) VALUES
     ('p1', 'Mug', true), ('p2', 'Candle', true), ('p3', 'Poster', true), ('post', 'Postage', false)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES
     ('o1', 'c1', '2024-01-05 10:00', 'shipped'), ('o2', 'c2', '2024-01-20 09:00', 'shipped'),
     ('o3', 'c1', '2024-02-01 08:00', 'cancelled'), ('o4', 'c2', '2024-02-05 08:00', 'returned'),
     ('o5', NULL, '2024-03-01 16:00', 'placed'), ('o6', 'c3', '2024-03-10 12:00', 'paid')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o1', 1, 'p1', 1, 10), ('o1', 2, 'p2', 1, 30), ('o1', 3, 'post', 1, 5),
     ('o2', 1, 'p2', 1, 30), ('o2', 2, 'p3', 2, 2.5), ('o2', 3, 'p2', 1, 30),
     ('o3', 1, 'p1', 1, 10), ('o3', 2, 'p3', 1, 2.5),
     ('o4', 1, 'p1', 1, 10),
     ('o5', 1, 'p3', 1, 2.5),
     ('o6', 1, 'post', 1, 5)`,
];

/** Each basket as sorted product ids, keyed by order id. */
function named(d: BasketData): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let b = 0; b < d.baskets.count; b++) {
    const ids = Array.from(d.baskets.itemIds.subarray(d.baskets.offsets[b]!, d.baskets.offsets[b + 1]!));
    out[d.orderIds[b]!] = ids.map((i) => d.productIds[i]!).sort();
  }
  return out;
}

describe('loadBaskets', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    for (const sql of STORE) await wh.exec(sql);
  });
  afterAll(() => wh.close());

  it('one basket per sales order with merchandise, each product once', async () => {
    const d = await loadBaskets(wh);
    expect(named(d)).toEqual({ o1: ['p1', 'p2'], o2: ['p2', 'p3'], o5: ['p3'] });
    expect(d.productIds).toEqual(['p1', 'p2', 'p3']);
    expect(d.orderIds).toEqual(['o1', 'o2', 'o5']);
    expect(Array.from(d.baskets.offsets)).toEqual([0, 2, 4, 5]);
    expect(d.baskets.items).toBe(3);
  });

  it('a cutoff keeps only orders placed strictly before it', async () => {
    const d = await loadBaskets(wh, { cutoff: new Date('2024-01-20T09:00:00Z') });
    expect(named(d)).toEqual({ o1: ['p1', 'p2'] });
    expect(d.productIds).toEqual(['p1', 'p2']);
  });

  it('from keeps orders placed at or after it (the test period after a cutoff)', async () => {
    const d = await loadBaskets(wh, { from: new Date('2024-01-20T09:00:00Z') });
    expect(named(d)).toEqual({ o2: ['p2', 'p3'], o5: ['p3'] });
  });
});
