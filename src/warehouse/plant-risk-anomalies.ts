/**
 * @module warehouse/plant-risk-anomalies
 * Plants the four kinds of anomalous order into a store (a copy, or inside a transaction
 * that is rolled back: `evaluate risk`), seeded, and returns which order ids to look for:
 *   - value: an existing customer's order worth 50x their mean order so far;
 *   - burst: a customer places six ordinary orders within six minutes (the sixth is the one to flag:
 *     as of the first, nothing has happened yet);
 *   - quantity: an ordinary-looking order with one line of an impossible quantity (200,000 units);
 *   - newcomer: a new customer whose first order is worth 100x the shop's median order.
 */
import { Rng } from '../core/random.js';
import { literal } from './duckdb/sql-types.js';
import type { Warehouse } from './warehouse.js';

export type AnomalyKind = 'value' | 'burst' | 'quantity' | 'newcomer';
export const ANOMALY_KINDS: readonly AnomalyKind[] = ['value', 'burst', 'quantity', 'newcomer'];

export interface Planted {
  readonly orderId: string;
  readonly kind: AnomalyKind;
}

type Customer = {
  customer_id: string;
  mean_value: number;
  first_at: Date;
  last_at: Date;
  product_id: string;
  unit_price: number;
};

export async function plantAnomalies(wh: Warehouse, perKind: number, seed: number): Promise<Planted[]> {
  const rng = new Rng(seed);
  // Customers with at least 3 sales orders, their mean order value, and a product they bought.
  const customers = await wh.rows<Customer>(`
    WITH v AS (
      SELECT o.customer_id, o.order_id, o.ordered_at, sum(i.quantity * CAST(i.unit_price AS DOUBLE)) AS value,
             arg_max(i.product_id, CAST(i.unit_price AS DOUBLE)) AS product_id, max(CAST(i.unit_price AS DOUBLE)) AS unit_price
      FROM orders o JOIN order_items i USING (order_id)
      WHERE o.customer_id IS NOT NULL AND o.status <> 'cancelled' GROUP BY ALL
    )
    SELECT customer_id, avg(value) AS mean_value, min(ordered_at) AS first_at, max(ordered_at) AS last_at,
           arg_max(product_id, value) AS product_id, arg_max(unit_price, value) AS unit_price
    FROM v GROUP BY customer_id HAVING count(*) >= 3 AND avg(value) > 0 ORDER BY customer_id`);
  const [{ median }] = (await wh.rows<{ median: number }>(`
    SELECT median(value) AS median FROM (
      SELECT sum(quantity * CAST(unit_price AS DOUBLE)) AS value FROM order_items GROUP BY order_id)`)) as [
    { median: number },
  ];
  const products = await wh.rows<{ product_id: string; price: number }>(`
    WITH n AS (SELECT product_id, count(*) AS lines, median(CAST(unit_price AS DOUBLE)) AS price
               FROM order_items WHERE unit_price > 0 GROUP BY product_id)
    -- Products on 50 lines or more (a small store: on half as many lines as its most sold one).
    SELECT product_id, price FROM n WHERE lines >= least(50, (SELECT max(lines) FROM n) / 2) ORDER BY product_id`);
  if (!customers.length || !products.length) {
    throw new Error(
      `planting anomalies needs customers with 3 or more orders (found ${customers.length}) and products sold at a price (found ${products.length})`,
    );
  }
  const orders: string[] = [];
  const items: string[] = [];
  const planted: Planted[] = [];
  const ts = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  const add = (id: string, customer: string | null, at: number, lines: [string, number, number][]): void => {
    orders.push(
      `(${literal(id)}, ${customer === null ? 'NULL' : literal(customer)}, TIMESTAMP '${ts(at)}', 'placed')`,
    );
    lines.forEach(([p, q, price], k) =>
      items.push(`(${literal(id)}, ${k + 1}, ${literal(p)}, ${q}, ${price.toFixed(4)})`),
    );
  };
  // Some time after the customer's third month, inside their active span: the anomaly has a history.
  const during = (c: Customer): number =>
    c.first_at.getTime() + (0.5 + 0.5 * rng.float()) * (c.last_at.getTime() - c.first_at.getTime());
  const pick = (): Customer => customers[rng.int(customers.length)]!;
  const product = (): { product_id: string; price: number } => products[rng.int(products.length)]!;
  for (let i = 0; i < perKind; i++) {
    const c = pick();
    const units = Math.max(1, Math.round((50 * c.mean_value) / c.unit_price));
    add(`INJ-V${i}`, c.customer_id, during(c), [[c.product_id, units, c.unit_price]]);
    planted.push({ orderId: `INJ-V${i}`, kind: 'value' });
  }
  for (let i = 0; i < perKind; i++) {
    const c = pick();
    const start = during(c);
    for (let k = 0; k < 6; k++) {
      const p = product();
      add(`INJ-B${i}-${k}`, c.customer_id, start + k * 60_000, [[p.product_id, 1 + rng.int(3), p.price]]);
    }
    planted.push({ orderId: `INJ-B${i}-5`, kind: 'burst' });
  }
  for (let i = 0; i < perKind; i++) {
    const c = pick();
    const p = product();
    add(`INJ-Q${i}`, c.customer_id, during(c), [
      [p.product_id, 200_000, p.price],
      [c.product_id, 2, c.unit_price],
    ]);
    planted.push({ orderId: `INJ-Q${i}`, kind: 'quantity' });
  }
  for (let i = 0; i < perKind; i++) {
    const c = pick();
    const p = product();
    const units = Math.max(1, Math.round((100 * median) / p.price));
    add(`INJ-N${i}`, `INJ-CUST-${i}`, during(c), [[p.product_id, units, p.price]]);
    planted.push({ orderId: `INJ-N${i}`, kind: 'newcomer' });
  }
  await wh.exec(
    `INSERT INTO customers (customer_id, first_seen_at)
     SELECT customer_id, min(ordered_at) FROM (VALUES ${orders.join(', ')}) v(order_id, customer_id, ordered_at, status)
     WHERE customer_id LIKE 'INJ-CUST-%' GROUP BY customer_id`,
  );
  await wh.exec(`INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES ${orders.join(', ')}`);
  await wh.exec(
    `INSERT INTO order_status_history SELECT order_id, status, ordered_at FROM orders WHERE order_id LIKE 'INJ-%'`,
  );
  await wh.exec(
    `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES ${items.join(', ')}`,
  );
  return planted;
}
