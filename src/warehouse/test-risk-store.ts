/**
 * @module warehouse/test-risk-store
 * A small store for the risk tests: 80 customers with 6 ordinary orders each (1-3 lines of 1-4
 * units at 5-15, a few days apart), plus the anomalies the tests look for:
 *   - 'big1': customer c7 orders 200 units at 40 (about 50x their usual value);
 *   - 'burst1'..'burst6': customer c9 places six orders within five minutes.
 */
import { Rng } from '../core/random.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';

export const RISK_STORE_ORDERS = 80 * 6 + 1 + 6;

export async function openRiskStore(location = ':memory:'): Promise<Warehouse> {
  const wh = await DuckDBWarehouse.open(location);
  await fillRiskStore(wh);
  return wh;
}

/**
 * Writes the store into an open, empty warehouse (a test server's seed), through the Warehouse
 * interface so the same rows land in DuckDB and in ClickHouse (whose order lines and histories also
 * carry their order's customer, its shard key). Money goes in one multi-row INSERT (DuckDB's appender
 * takes no DECIMAL).
 */
export async function fillRiskStore(wh: Warehouse): Promise<void> {
  const rng = new Rng(11);
  const orders = { order_id: [] as string[], customer_id: [] as string[], ordered_at: [] as Date[] };
  const items: string[] = [];
  const carried = wh.engine === 'clickhouse';
  const add = (id: string, customer: string, minutes: number, lines: [string, number, number][]): void => {
    orders.order_id.push(id);
    orders.customer_id.push(customer);
    orders.ordered_at.push(new Date(Date.UTC(2024, 0, 1) + minutes * 60_000));
    lines.forEach(([p, q, price], i) =>
      items.push(`('${id}', ${i + 1}, '${p}', ${q}, ${price}${carried ? `, '${customer}'` : ''})`),
    );
  };
  for (let c = 0; c < 80; c++) {
    let t = rng.int(2000);
    for (let k = 0; k < 6; k++) {
      t += 2000 + rng.int(8000);
      const lines: [string, number, number][] = [];
      const n = 1 + rng.int(3);
      for (let l = 0; l < n; l++) lines.push([`p${rng.int(30)}`, 1 + rng.int(4), 5 + rng.int(11)]);
      add(`o${c}_${k}`, `c${c}`, t, lines);
    }
  }
  add('big1', 'c7', 70_000, [['p3', 200, 40]]);
  for (let k = 0; k < 6; k++) add(`burst${k + 1}`, 'c9', 71_000 + k, [['p4', 2, 10]]);
  const n = orders.order_id.length;
  await wh.append('customers', {
    customer_id: Array.from({ length: 80 }, (_, c) => `c${c}`),
    country: Array.from({ length: 80 }, () => 'FR'),
  });
  await wh.append('orders', {
    ...orders,
    status: Array.from({ length: n }, () => 'placed'),
    country: Array.from({ length: n }, () => 'FR'),
  });
  await wh.append('order_status_history', {
    order_id: orders.order_id,
    status: Array.from({ length: n }, () => 'placed'),
    changed_at: orders.ordered_at,
    ...(carried ? { customer_id: orders.customer_id } : {}),
  });
  await wh.exec(
    `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price${carried ? ', customer_id' : ''}) ` +
      `VALUES ${items.join(', ')}`,
  );
}
