/**
 * @module warehouse/analytics/test-store
 * A tiny hand-made store for the analytics tests, small enough that every expected number can be
 * worked out by hand (the arithmetic is in the tests). Test-only; not exported from index.ts.
 *
 * Products: p1 Mug (Kitchen) 10.00, p2 Candle (Home) 30.00, p3 Poster (no category) 2.50,
 *           post Postage (is_merchandise = false) 40.00.
 * Orders (amount = sum of quantity * unit_price):
 *   o1  c1    2024-01-05 10:00 shipped   UK     p1 x2 = 20 + post x1 = 40  -> 60
 *   o2  c2    2024-01-20 09:00 paid      FR     p2 x1                      -> 30
 *   o11 c5    2024-01-15 12:00 shipped   DE     p2 x1                      -> 30
 *   o10 c4    2024-02-01 00:00 shipped   UK     p3 x6                      -> 15
 *   o3  c1    2024-02-10 08:00 shipped   UK     p3 x4                      -> 10
 *   o4  c1    2024-02-11 08:00 cancelled UK     p1 x1                      -> 10 (cancelled)
 *   o5  guest 2024-02-15 16:00 placed    DE     p2 x2                      -> 60
 *   o6  c3    2024-03-01 00:00 shipped   FR     p1 x3 = 30 + p2 x1 = 30 + post x1 = 40 -> 100
 *   o12 c5    2024-03-10 11:00 shipped   (null) p3 x5                      -> 12.5
 *   o13 c4    2024-03-15 10:00 cancelled UK     p3 x2                      -> 5 (cancelled)
 *   o7  c2    2024-03-20 10:00 returned  FR     p3 x2                      -> 5 (returned)
 *   o8  c2    2024-03-25 10:00 shipped   FR     p2 x1                      -> 30
 *   o9  c1    2024-03-28 15:00 shipped   UK     p1 x2                      -> 20
 * Customers c1..c5 have orders; c6 signed up on 2024-03-20 and never ordered (a prospect).
 */
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse.js';

const STATEMENTS = [
  `INSERT INTO customers (customer_id, first_seen_at, country) VALUES
     ('c1', '2024-01-05 10:00', 'UK'), ('c2', '2024-01-20 09:00', 'FR'), ('c3', '2024-03-01 00:00', 'FR'),
     ('c4', '2024-02-01 00:00', 'UK'), ('c5', '2024-01-15 12:00', 'DE'), ('c6', '2024-03-20 00:00', 'UK')`,
  `INSERT INTO products (product_id, title, category, price, is_merchandise) VALUES
     ('p1', 'Mug', 'Kitchen', 10, true), ('p2', 'Candle', 'Home', 30, true),
     ('p3', 'Poster', NULL, 2.5, true), ('post', 'Postage', NULL, 40, false)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status, country) VALUES
     ('o1', 'c1', '2024-01-05 10:00', 'shipped', 'UK'),
     ('o2', 'c2', '2024-01-20 09:00', 'paid', 'FR'),
     ('o11', 'c5', '2024-01-15 12:00', 'shipped', 'DE'),
     ('o10', 'c4', '2024-02-01 00:00', 'shipped', 'UK'),
     ('o3', 'c1', '2024-02-10 08:00', 'shipped', 'UK'),
     ('o4', 'c1', '2024-02-11 08:00', 'cancelled', 'UK'),
     ('o5', NULL, '2024-02-15 16:00', 'placed', 'DE'),
     ('o6', 'c3', '2024-03-01 00:00', 'shipped', 'FR'),
     ('o12', 'c5', '2024-03-10 11:00', 'shipped', NULL),
     ('o13', 'c4', '2024-03-15 10:00', 'cancelled', 'UK'),
     ('o7', 'c2', '2024-03-20 10:00', 'returned', 'FR'),
     ('o8', 'c2', '2024-03-25 10:00', 'shipped', 'FR'),
     ('o9', 'c1', '2024-03-28 15:00', 'shipped', 'UK')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o1', 1, 'p1', 2, 10), ('o1', 2, 'post', 1, 40),
     ('o2', 1, 'p2', 1, 30),
     ('o11', 1, 'p2', 1, 30),
     ('o10', 1, 'p3', 6, 2.5),
     ('o3', 1, 'p3', 4, 2.5),
     ('o4', 1, 'p1', 1, 10),
     ('o5', 1, 'p2', 2, 30),
     ('o6', 1, 'p1', 3, 10), ('o6', 2, 'p2', 1, 30), ('o6', 3, 'post', 1, 40),
     ('o12', 1, 'p3', 5, 2.5),
     ('o13', 1, 'p3', 2, 2.5),
     ('o7', 1, 'p3', 2, 2.5),
     ('o8', 1, 'p2', 1, 30),
     ('o9', 1, 'p1', 2, 10)`,
  // Sessions: s1 view,view,cart,purchase | s2 view,cart | s3 view | s4 cart,purchase (no view)
  // no session_id: c2 on 03-10 view,cart | c2 on 03-11 purchase | a3 on 03-10 search only.
  `INSERT INTO events (event_id, customer_id, anonymous_id, session_id, type, product_id, occurred_at) VALUES
     ('e1', 'c1', NULL, 's1', 'view', 'p1', '2024-03-09 10:00'),
     ('e2', 'c1', NULL, 's1', 'view', 'p2', '2024-03-09 10:01'),
     ('e3', 'c1', NULL, 's1', 'add_to_cart', 'p1', '2024-03-09 10:02'),
     ('e4', 'c1', NULL, 's1', 'purchase', NULL, '2024-03-09 10:05'),
     ('e5', NULL, 'a1', 's2', 'view', 'p2', '2024-03-09 11:00'),
     ('e6', NULL, 'a1', 's2', 'add_to_cart', 'p2', '2024-03-09 11:03'),
     ('e7', NULL, 'a2', 's3', 'view', 'p3', '2024-03-10 09:00'),
     ('e8', 'c2', NULL, NULL, 'view', 'p2', '2024-03-10 10:00'),
     ('e9', 'c2', NULL, NULL, 'add_to_cart', 'p2', '2024-03-10 10:05'),
     ('e10', 'c2', NULL, NULL, 'purchase', NULL, '2024-03-11 08:00'),
     ('e11', NULL, 'a3', NULL, 'search', NULL, '2024-03-10 12:00'),
     ('e12', NULL, 'a4', 's4', 'add_to_cart', 'p1', '2024-03-12 09:00'),
     ('e13', NULL, 'a4', 's4', 'purchase', NULL, '2024-03-12 09:02')`,
];

/** Writes the store above into an empty warehouse (an in-memory one, or a file a server test opens). */
export async function fillTestStore(wh: Warehouse): Promise<void> {
  for (const sql of STATEMENTS) await wh.exec(sql);
}

/** A fresh in-memory warehouse holding the store above. */
export async function openTestStore(): Promise<Warehouse> {
  const wh = await DuckDBWarehouse.open(':memory:');
  await fillTestStore(wh);
  return wh;
}

/** A fresh in-memory warehouse with the schema and no rows. */
export async function openEmptyStore(): Promise<Warehouse> {
  return DuckDBWarehouse.open(':memory:');
}
