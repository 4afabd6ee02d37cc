import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { BoughtTogether } from './bought-together.js';

// Nine shipped orders over A Mug, B Saucer, C Spoon, D Candle, E Poster (N = 9):
//   o1 AB  o2 AB  o3 ABC  o4 AC  o5 DE  o6 D  o7 AD  o8 B  o9 ABC
// Counts: A 6, B 5, C 3, D 3, E 1; AB 4, AC 3, BC 2, AD 1, DE 1; ABC 2.
// At min count 2 the frequent itemsets are A B C D AB AC BC ABC, and the rules (lift = conf / (n(Y)/9)):
//   A=>B 4/6, lift 1.2   A=>C 3/6, lift 1.5   B=>A 4/5, lift 1.2   B=>C 2/5, lift 1.2
//   C=>A 3/3, lift 1.5   C=>B 2/3, lift 1.2   AB=>C 2/4, lift 1.5  AC=>B 2/3, lift 1.2  BC=>A 2/2, lift 1.5
const STORE = [
  `INSERT INTO products (product_id, title, is_merchandise) VALUES
     ('A', 'Mug', true), ('B', 'Saucer', true), ('C', 'Spoon', true), ('D', 'Candle', true), ('E', 'Poster', true)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status)
     SELECT 'o' || i, 'c' || i, TIMESTAMP '2024-01-01' + INTERVAL (i) DAY, 'shipped' FROM range(1, 10) t(i)`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o1', 1, 'A', 1, 1), ('o1', 2, 'B', 1, 1), ('o2', 1, 'A', 1, 1), ('o2', 2, 'B', 1, 1),
     ('o3', 1, 'A', 1, 1), ('o3', 2, 'B', 1, 1), ('o3', 3, 'C', 1, 1), ('o4', 1, 'A', 1, 1), ('o4', 2, 'C', 1, 1),
     ('o5', 1, 'D', 1, 1), ('o5', 2, 'E', 1, 1), ('o6', 1, 'D', 1, 1), ('o7', 1, 'A', 1, 1), ('o7', 2, 'D', 1, 1),
     ('o8', 1, 'B', 1, 1), ('o9', 1, 'A', 1, 1), ('o9', 2, 'B', 1, 1), ('o9', 3, 'C', 1, 1)`,
];

describe('BoughtTogether', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    for (const sql of STORE) await wh.exec(sql);
  });
  afterAll(() => wh.close());

  it('rules with the product alone on the left by lift, then shared orders as a fallback', async () => {
    const bt = await BoughtTogether.fit(wh, { minCount: 2, minConfidence: 0.3, minPairCount: 1 });
    expect(bt.rules.count).toBe(9);
    const a = bt.forProduct('A');
    expect(a.map((p) => [p.productId, p.source, p.orders])).toEqual([
      ['C', 'rule', 3],
      ['B', 'rule', 4],
      ['D', 'co-occurrence', 1],
    ]);
    expect(a.map((p) => p.reason)).toEqual([
      'bought together with Mug in 3 orders (lift 1.5)',
      'bought together with Mug in 4 orders (lift 1.2)',
      'bought together with Mug in 1 order',
    ]);
    expect(a[0]!.title).toBe('Spoon');
    expect(a[0]!.confidence).toBeCloseTo(0.5, 12);
    expect(a[0]!.lift).toBeCloseTo(1.5, 12);
    expect(bt.forProduct('A', 1).map((p) => p.productId)).toEqual(['C']);
    // E is in one order: no rule, one co-purchase. D ties A and E on one order each: lower index first.
    expect(bt.forProduct('E').map((p) => p.reason)).toEqual(['bought together with Poster in 1 order']);
    expect(bt.forProduct('D').map((p) => p.productId)).toEqual(['A', 'E']);
    expect(bt.forProduct('unknown')).toEqual([]);
  });

  it("rankBy 'confidence' puts the likelier companion first: A=>B (4/6) before A=>C (3/6)", async () => {
    const bt = await BoughtTogether.fit(wh, {
      minCount: 2,
      minConfidence: 0.3,
      minPairCount: 1,
      rankBy: 'confidence',
    });
    expect(bt.forProduct('A').map((p) => p.productId)).toEqual(['B', 'C', 'D']);
  });

  it('two-product left sides when no single-product rule qualifies; the fallback threshold applies', async () => {
    // At lift >= 1.3 B has no rule of its own, but BC=>A (confidence 1) and AB=>C (0.5) remain.
    const bt = await BoughtTogether.fit(wh, { minCount: 2, minConfidence: 0.3, minLift: 1.3 });
    expect(bt.forProduct('B').map((p) => p.reason)).toEqual([
      'bought together with Saucer and Spoon in 2 orders (lift 1.5)',
      'bought together with Saucer and Mug in 2 orders (lift 1.5)',
    ]);
    // Default minPairCount 2: D shares only one order with each of A and E.
    expect(bt.forProduct('D')).toEqual([]);
  });

  it('mines the same lists on a worker thread', async () => {
    const options = { minCount: 2, minConfidence: 0.3, minPairCount: 1 };
    const here = await BoughtTogether.fit(wh, options);
    const there = await BoughtTogether.fromBasketsOffThread(here.data, new Map(), options);
    expect(there.rules.count).toBe(9);
    expect(there.forProduct('A').map((p) => [p.productId, p.orders])).toEqual([
      ['C', 3],
      ['B', 4],
      ['D', 1],
    ]);
  });
});
