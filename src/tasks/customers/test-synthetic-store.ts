/**
 * @module tasks/customers/test-synthetic-store
 * A seeded store made in SQL for the customer-task tests: 300 customers whose activity ends at a
 * customer-specific day, so some churn and some stay, plus the awkward cases the tasks must survive:
 * a customer with one order (c_one), one whose orders are all worth 0 (c_zero: two zero-value
 * orders), and one whose only order was cancelled (c_cancel, never scored). Test-only.
 */
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

/** Orders run from 2023-01-01 for 400 days; customer k is active until day 60 + hash(k) % 340. */
const STATEMENTS = [
  `INSERT INTO products (product_id, title, category, price, is_merchandise)
   SELECT 'p' || i, 'Product ' || i, 'cat' || (i % 4), 5 + i, true FROM range(20) t(i)`,
  `INSERT INTO customers (customer_id, country)
   SELECT 'c' || k, CASE WHEN k % 5 = 0 THEN 'FR' ELSE 'UK' END FROM range(300) t(k)`,
  `CREATE TEMP TABLE gen AS
   SELECT i, i % 300 AS k, 60 + hash(i % 300) % 340 AS active_until, hash(i * 7 + 1) AS h FROM range(4000) t(i)`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status, country)
   SELECT 'o' || i, 'c' || k, TIMESTAMP '2023-01-01' + to_days(CAST(h % active_until AS INTEGER)) + to_hours(CAST(h % 24 AS INTEGER)),
          CASE WHEN h % 17 = 0 THEN 'cancelled' ELSE 'shipped' END, NULL
   FROM gen`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
   SELECT 'o' || i, 1, 'p' || (h % 20), 1 + h % 3, 5 + (h % 20) FROM gen`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
   SELECT 'o' || i, 2, 'p' || ((h >> 8) % 20), 1, 5 + ((h >> 8) % 20) FROM gen WHERE h % 3 = 0`,
  `INSERT INTO customers (customer_id, country) VALUES ('c_one', 'UK'), ('c_zero', 'UK'), ('c_cancel', 'DE')`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES
     ('x1', 'c_one', '2023-03-01 10:00', 'shipped'),
     ('x2', 'c_zero', '2023-02-01 10:00', 'shipped'), ('x3', 'c_zero', '2023-05-01 10:00', 'shipped'),
     ('x4', 'c_cancel', '2023-04-01 10:00', 'cancelled')`,
  // Zero-value orders: the lines were free (the importer would quarantine a 0 price; a store's own
  // loader might not), so the order is worth 0.
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('x1', 1, 'p1', 1, 6), ('x2', 1, 'p2', 1, 0), ('x3', 1, 'p3', 2, 0), ('x4', 1, 'p4', 1, 9)`,
];

/** In memory by default; a file path for tests that run the CLI against it. */
export async function openSyntheticStore(location = ':memory:'): Promise<Warehouse> {
  const wh = await DuckDBWarehouse.open(location);
  for (const sql of STATEMENTS) await wh.exec(sql);
  return wh;
}
