/**
 * The small hand-made store of the engine contract tests (warehouse-contract.test.ts,
 * features/clickhouse-features.test.ts): 3 products (one postage), 2 customers, 5 orders with
 * status histories (a return after CUTOFF, a cancellation before it, a guest order) and 4 events,
 * written through the Warehouse interface, so the same rows land in DuckDB and in ClickHouse.
 */
import type { AppendColumn, Warehouse } from '../warehouse.js';

export const d = (s: string): Date => new Date(`${s}Z`);
export const CUTOFF = d('2011-03-01T00:00:00');

/** Appends the small store; ClickHouse's order lines and histories also carry their order's customer (its shard key). */
export async function loadSmallStore(wh: Warehouse): Promise<void> {
  const carry = (ids: (string | null)[]): Record<string, AppendColumn> =>
    wh.engine === 'clickhouse' ? { customer_id: ids } : {};
  await wh.append('products', {
    product_id: ['P1', 'P2', 'POST'],
    title: ['Mug\twith tab', 'Back\\slash\nline', null],
    category: ['A', 'B', null],
    is_merchandise: [true, true, false],
  });
  await wh.append('customers', { customer_id: ['c1', 'c2'], country: ['GB', 'FR'] });
  // Money through INSERT ... VALUES with ? placeholders (DuckDB's appender takes no DECIMAL), the
  // rest through append(): both write paths under test.
  const orders: [string, string | null, string, string, number | null][] = [
    ['o1', 'c1', '2011-01-01T10:00:00', 'delivered', 25],
    ['o2', 'c1', '2011-02-01T10:00:00', 'returned', 20],
    ['o3', 'c2', '2011-01-15T10:00:00', 'cancelled', 10],
    ['o4', 'c2', '2011-02-10T09:30:00', 'delivered', 50],
    ['o5', null, '2011-02-11T00:00:00', 'delivered', null],
  ];
  for (const [id, customer, at, status, total] of orders) {
    await wh.exec(
      'INSERT INTO orders (order_id, customer_id, ordered_at, status, total) VALUES (?, ?, ?, ?, ?)',
      [id, customer, d(at), status, total],
    );
  }
  await wh.append('order_status_history', {
    order_id: ['o2', 'o2', 'o3', 'o3'],
    status: ['placed', 'returned', 'placed', 'cancelled'],
    changed_at: [
      d('2011-02-01T10:00:00'),
      d('2011-03-15T00:00:00'),
      d('2011-01-15T10:00:00'),
      d('2011-01-16T00:00:00'),
    ],
    ...carry(['c1', 'c1', 'c2', 'c2']),
  });
  const lines: [string, number, string, number, number, string | null][] = [
    ['o1', 1, 'P1', 2, 10, 'c1'],
    ['o1', 2, 'POST', 1, 5, 'c1'],
    ['o2', 1, 'P2', 1, 20, 'c1'],
    ['o3', 1, 'P1', 1, 10, 'c2'],
    ['o4', 1, 'P1', 3, 10, 'c2'],
    ['o4', 2, 'P2', 1, 20, 'c2'],
    ['o5', 1, 'P1', 1, 10, null],
  ];
  const carried = wh.engine === 'clickhouse';
  for (const [order, no, product, quantity, price, customer] of lines) {
    await wh.exec(
      `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price${carried ? ', customer_id' : ''}) ` +
        `VALUES (?, ?, ?, ?, ?${carried ? ', ?' : ''})`,
      [order, no, product, quantity, price, ...(carried ? [customer] : [])],
    );
  }
  await wh.append('events', {
    event_id: ['e1', 'e2', 'e3', 'e4'],
    customer_id: ['c1', null, 'c2', 'c1'],
    anonymous_id: [null, 'a1', null, null],
    type: ['view', 'add_to_cart', 'purchase', 'search'],
    product_id: ['P2', 'P1', 'P2', null],
    occurred_at: [
      d('2011-02-05T00:00:00'),
      d('2011-02-06T00:00:00'),
      d('2011-04-01T00:00:00'),
      d('2011-02-07T00:00:00'),
    ],
  });
}
