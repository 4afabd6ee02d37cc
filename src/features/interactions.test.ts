import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadInteractions, type InteractionData } from './interactions.js';

// c1: o1 (Jan 5) lines p2 (line 2) and p1 (line 1): same instant, so line_no orders them p1, p2;
//     a view of p3 on Jan 6; o3 is cancelled (left out).
// c2: o2 (p3 and postage) and an add_to_cart of p1 at the same instant: the order line first;
//     postage is not merchandise; a search and a product-less purchase event carry no item.
// The guest order o4 is left out; the anonymous visitor v9 views p2 twice.
const STORE = [
  `INSERT INTO products (product_id, title, category, is_merchandise) VALUES
     ('p1', 'Mug', 'kitchen', true), ('p2', 'Candle', 'home', true), ('p3', 'Poster', NULL, true),
     ('post', 'Postage', NULL, false)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES
     ('o1', 'c1', '2024-01-05 10:00', 'shipped'), ('o2', 'c2', '2024-01-20 09:00', 'paid'),
     ('o3', 'c1', '2024-02-01 08:00', 'cancelled'), ('o4', NULL, '2024-02-02 08:00', 'placed')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o1', 2, 'p2', 1, 30), ('o1', 1, 'p1', 1, 10),
     ('o2', 1, 'p3', 2, 2.5), ('o2', 2, 'post', 1, 5),
     ('o3', 1, 'p1', 1, 10), ('o4', 1, 'p1', 1, 10)`,
  `INSERT INTO events (event_id, customer_id, anonymous_id, type, product_id, occurred_at) VALUES
     ('e1', 'c1', NULL, 'view', 'p3', '2024-01-06 10:00'),
     ('e2', 'c2', NULL, 'add_to_cart', 'p1', '2024-01-20 09:00'),
     ('e3', NULL, 'v9', 'view', 'p2', '2024-01-07 10:00'),
     ('e4', NULL, 'v9', 'view', 'p2', '2024-01-08 10:00'),
     ('e5', 'c2', NULL, 'search', NULL, '2024-01-21 10:00'),
     ('e6', 'c2', NULL, 'purchase', NULL, '2024-01-20 09:00')`,
];

function sequencesOf(d: InteractionData): Record<string, [string, number][]> {
  const s = d.data.sequences;
  const out: Record<string, [string, number][]> = {};
  for (let u = 0; u < s.users; u++) {
    out[d.userIds[u]!] = [];
    for (let k = s.offsets[u]!; k < s.offsets[u + 1]!; k++) {
      out[d.userIds[u]!]!.push([d.itemIds[s.itemIds[k]!]!, Math.round(s.weights![k]! * 100) / 100]);
    }
  }
  return out;
}

describe('loadInteractions', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    for (const sql of STORE) await wh.exec(sql);
  });
  afterAll(() => wh.close());

  it('weights order lines and events, merchandise only, in time order', async () => {
    const d = await loadInteractions(wh);
    expect(d.userIds).toEqual(['anon:v9', 'c1', 'c2']);
    expect(d.itemIds).toEqual(['p1', 'p2', 'p3']);
    expect(sequencesOf(d)).toEqual({
      'anon:v9': [
        ['p2', 0.1],
        ['p2', 0.1],
      ],
      c1: [
        ['p1', 1],
        ['p2', 1],
        ['p3', 0.1],
      ],
      c2: [
        ['p3', 1],
        ['p1', 0.5],
      ],
    });
    expect(d.userIndex.get('c2')).toBe(2);
    expect(d.itemIndex.get('p3')).toBe(2);
    expect(d.categories).toEqual(['kitchen', 'home']);
    expect([...d.data.itemCategories]).toEqual([0, 1, -1]);
    expect(d.data.sequences.times![0]).toBe(Date.UTC(2024, 0, 7, 10));
  });

  it('a window keeps [from, cutoff) and weights can drop a kind', async () => {
    const d = await loadInteractions(wh, {
      from: new Date('2024-01-06T00:00:00Z'),
      cutoff: new Date('2024-01-20T09:00:00Z'),
      weights: { view: 0 },
    });
    expect(d.userIds).toEqual([]);
    const e = await loadInteractions(wh, { cutoff: new Date('2024-01-07T00:00:00Z') });
    expect(sequencesOf(e)).toEqual({
      c1: [
        ['p1', 1],
        ['p2', 1],
        ['p3', 0.1],
      ],
    });
  });
});
