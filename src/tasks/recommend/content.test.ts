import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { ContentSimilar } from './content.js';

// Eight Online Retail titles (P0..P7) and a postage code. Their cosine neighbours were computed with
// scikit-learn's TfidfVectorizer on the same tokens (see src/ml/text/cosine-neighbours.test.ts):
//   P0 -> P6 0.447953, P4 0.286397, P1 0.15819;   P3 -> P7 0.152862;   P2, P5 -> none.
const TITLES = [
  'WHITE HANGING HEART T-LIGHT HOLDER',
  'WHITE METAL LANTERN',
  'CREAM CUPID HEARTS COAT HANGER',
  'KNITTED UNION FLAG HOT WATER BOTTLE',
  'RED WOOLLY HOTTIE WHITE HEART.',
  'SET 7 BABUSHKA NESTING BOXES',
  'GLASS STAR FROSTED T-LIGHT HOLDER',
  'HAND WARMER UNION JACK',
];
const STORE = [
  `INSERT INTO products (product_id, title, is_merchandise) VALUES
     ${TITLES.map((t, i) => `('P${i}', '${t}', true)`).join(', ')}, ('POST', 'POSTAGE WHITE HEART', false)`,
  // Only P1 and P4 have been sold (o1); o2 was cancelled, so P6 has no sales.
  `INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES
     ('o1', 'c1', '2024-01-01', 'shipped'), ('o2', 'c2', '2024-01-02', 'cancelled')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o1', 1, 'P1', 1, 1), ('o1', 2, 'P4', 1, 1), ('o2', 1, 'P6', 1, 1)`,
];

describe('ContentSimilar', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    for (const sql of STORE) await wh.exec(sql);
  });
  afterAll(() => wh.close());

  it('neighbours by TF-IDF cosine with a reason; non-merchandise codes are not candidates', async () => {
    const cs = await ContentSimilar.fit(wh);
    const p0 = cs.forProduct('P0', 3);
    expect(p0.map((p) => p.productId)).toEqual(['P6', 'P4', 'P1']);
    [0.447953, 0.286397, 0.15819].forEach((s, i) => expect(p0[i]!.similarity).toBeCloseTo(s, 5));
    expect(p0[0]!.reason).toBe('similar description to WHITE HANGING HEART T-LIGHT HOLDER');
    expect(p0[0]!.title).toBe('GLASS STAR FROSTED T-LIGHT HOLDER');
    expect(cs.forProduct('P3').map((p) => p.productId)).toEqual(['P7']);
    expect(cs.forProduct('P5')).toEqual([]);
    expect(cs.forProduct('POST')).toEqual([]);
  });

  it('a cold product (no sales) can be matched to products that have sales', async () => {
    const cs = await ContentSimilar.fit(wh);
    expect(cs.hasSales('P0')).toBe(false);
    expect(cs.hasSales('P4')).toBe(true);
    expect(cs.forProduct('P0', 3, { onlySold: true }).map((p) => p.productId)).toEqual(['P4', 'P1']);
  });
});
