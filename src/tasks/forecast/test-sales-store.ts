/**
 * A small store for the forecasting tests (tests only): 70 days from Monday 2024-01-01.
 * p1 (kitchen) sells 5 + weekday units every day in the UK; p2 (home) 2 units every third day in
 * France (intermittent); one cancelled UK order of 100 x p1 on day 10 (left out of the series).
 */
import type { Warehouse } from '../../warehouse/warehouse.js';

export const TEST_SALES_DAYS = 70;

export async function seedSalesStore(wh: Warehouse): Promise<void> {
  await wh.exec(`INSERT INTO products (product_id, title, category, is_merchandise) VALUES
    ('p1', 'Mug', 'kitchen', true), ('p2', 'Candle', 'home', true)`);
  await wh.exec(`INSERT INTO orders (order_id, customer_id, ordered_at, status, country)
    SELECT 'a' || d, 'c1', TIMESTAMP '2024-01-01 10:00:00' + to_days(CAST(d AS INTEGER)), 'paid', 'UK' FROM range(${TEST_SALES_DAYS}) t(d)
    UNION ALL
    SELECT 'b' || d, 'c2', TIMESTAMP '2024-01-01 12:00:00' + to_days(CAST(d AS INTEGER)), 'paid', 'FR' FROM range(${TEST_SALES_DAYS}) t(d) WHERE d % 3 = 0
    UNION ALL SELECT 'x', 'c1', TIMESTAMP '2024-01-11 09:00:00', 'cancelled', 'UK'`);
  await wh.exec(`INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
    SELECT 'a' || d, 1, 'p1', 5 + d % 7, 10 FROM range(${TEST_SALES_DAYS}) t(d)
    UNION ALL SELECT 'b' || d, 1, 'p2', 2, 4 FROM range(${TEST_SALES_DAYS}) t(d) WHERE d % 3 = 0
    UNION ALL SELECT 'x', 1, 'p1', 100, 10`);
}
