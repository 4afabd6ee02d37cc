import { describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { openRiskStore } from '../warehouse/test-risk-store.js';
import { orderRiskFeatures, type OrderFeatureMatrix } from './order-risk-features.js';
import { previousOrderRiskFeatures } from './test-order-risk-features-reference.js';

/** order id, customer, time (2024-03-01 + hh:mm), product, quantity, unit price, device, country. */
type Line = [string, string | null, string, string, number, number, string | null, string | null];
const LINES: Line[] = [
  ['o1', 'c1', '10:00', 'A', 1, 10, 'd1', 'FR'],
  ['o2', 'c1', '10:30', 'A', 1, 10, 'd1', 'FR'],
  ['o3', 'c1', '12:00', 'B', 50, 10, 'd2', 'DE'],
  ['o4', 'c2', '12:00', 'A', 2, 10, 'd2', 'FR'],
];

async function store(lines: Line[], returned: [string, string][] = []): Promise<Warehouse> {
  const wh = await DuckDBWarehouse.open(':memory:');
  await wh.exec(`INSERT INTO customers (customer_id, first_seen_at, country) VALUES
    ('c1', TIMESTAMP '2024-02-01 00:00', 'FR'), ('c2', TIMESTAMP '2024-03-01 11:00', 'FR')`);
  for (const [id, customer, hhmm, product, qty, price, device, country] of lines) {
    const at = `2024-03-01 ${hhmm}`;
    await wh.exec(
      `INSERT INTO orders (order_id, customer_id, ordered_at, status, device_id, country)
       VALUES (?, ?, CAST(? AS TIMESTAMP), 'placed', ?, ?)`,
      [id, customer, at, device, country],
    );
    await wh.exec(`INSERT INTO order_status_history VALUES (?, 'placed', CAST(? AS TIMESTAMP))`, [id, at]);
    await wh.exec(
      `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES (?, 1, ?, ?, ?)`,
      [id, product, qty, price],
    );
  }
  for (const [id, hhmm] of returned) {
    await wh.exec(`UPDATE orders SET status = 'returned' WHERE order_id = ?`, [id]);
    await wh.exec(`INSERT INTO order_status_history VALUES (?, 'returned', CAST(? AS TIMESTAMP))`, [
      id,
      `2024-03-01 ${hhmm}`,
    ]);
  }
  return wh;
}

function row(m: OrderFeatureMatrix, orderId: string): Record<string, number> {
  const r = m.orderIds.indexOf(orderId);
  expect(r).toBeGreaterThanOrEqual(0);
  return Object.fromEntries(m.names.map((n, j) => [n, m.values[r * m.cols + j]!]));
}

describe('order risk features', () => {
  it('computes each feature by hand for a small store', async () => {
    const wh = await store(LINES, [['o1', '11:00']]);
    const m = await orderRiskFeatures(wh);
    expect(m.orderIds).toEqual(['o1', 'o2', 'o3', 'o4']);
    const o3 = row(m, 'o3');
    expect(o3['log_value']).toBeCloseTo(Math.log(501), 5);
    expect(o3['value_vs_customer_usual']).toBeCloseTo(Math.log(501) - Math.log(11), 5);
    expect(o3['value_vs_shop_usual']).toBeCloseTo(Math.log(501) - Math.log(11), 5);
    expect(o3['customer_earlier_orders']).toBe(2);
    expect(o3['customer_orders_1h']).toBe(0); // 10:30 is 90 minutes before
    expect(o3['customer_orders_24h']).toBe(2);
    // o4 is at the same instant on the same device: a burst counts it.
    expect(o3['device_orders_1h']).toBe(1);
    expect(Number.isNaN(o3['ip_orders_24h']!)).toBe(true); // the store has no IP hashes
    expect(o3['country_mismatch']).toBe(1);
    expect(o3['customer_undone_orders']).toBe(1); // o1 returned at 11:00
    expect(o3['log_max_line_quantity']).toBeCloseTo(Math.log(51), 5);
    expect(o3['hour']).toBe(12);
    expect(o3['weekday']).toBe(5); // 2024-03-01 is a Friday
    expect(o3['log_hours_since_first_seen']).toBeCloseTo(Math.log(1 + 29 * 24 + 12), 4);
    expect(o3['new_customer_value']).toBe(0);
    // Product B was never sold before o3: no return rate known.
    expect(Number.isNaN(o3['returned_product_share']!)).toBe(true);
    const o4 = row(m, 'o4');
    // Product A: 10 + 10 sold before, 10 of it returned at 11:00.
    expect(o4['returned_product_share']).toBeCloseTo(0.5, 6);
    expect(o4['customer_earlier_orders']).toBe(0);
    expect(o4['new_customer_value']).toBeCloseTo(Math.log(21) - Math.log(11), 5);
    expect(o4['log_hours_since_first_seen']).toBeCloseTo(Math.log(2), 5);
    await wh.close();
  });

  it('reads nothing after the order: later orders and later returns leave its features unchanged', async () => {
    const early = await store(LINES);
    const before = await orderRiskFeatures(early);
    const later: Line[] = [
      ...LINES,
      ['o5', 'c1', '12:30', 'B', 500, 99, 'd2', 'DE'],
      ['o6', 'c1', '13:00', 'A', 1, 10, 'd2', 'FR'],
    ];
    const late = await store(later, [
      ['o3', '12:10'],
      ['o1', '12:20'],
    ]);
    const after = await orderRiskFeatures(late);
    for (const id of ['o1', 'o2', 'o3', 'o4']) expect(row(after, id)).toEqual(row(before, id));
    expect(row(after, 'o6')['customer_undone_orders']).toBe(2);
    await early.close();
    await late.close();
  });

  it('counts from the signup when it came before the first sight, and ignores a signup after the order', async () => {
    const wh = await store(LINES);
    // c1 signed up on 2024-01-01, a month before it was first seen (2024-02-01); c2 "signs up" at
    // 11:30, after it was first seen (11:00) and before its order o4 (12:00).
    await wh.exec(`UPDATE customers SET signup_at = TIMESTAMP '2024-01-01 00:00' WHERE customer_id = 'c1'`);
    await wh.exec(`UPDATE customers SET signup_at = TIMESTAMP '2024-03-01 11:30' WHERE customer_id = 'c2'`);
    let m = await orderRiskFeatures(wh);
    // o3 at 2024-03-01 12:00: 60 days and 12 hours after the signup.
    expect(row(m, 'o3')['log_hours_since_first_seen']).toBeCloseTo(Math.log(1 + 60 * 24 + 12), 4);
    // o4: the first sight (11:00) is earlier than the signup (11:30): one hour.
    expect(row(m, 'o4')['log_hours_since_first_seen']).toBeCloseTo(Math.log(2), 5);
    // A signup recorded after the order is not known at the order: o4 falls back to the first sight,
    // and without one, to the order itself (0 hours).
    await wh.exec(
      `UPDATE customers SET signup_at = TIMESTAMP '2024-03-02 00:00', first_seen_at = NULL WHERE customer_id = 'c2'`,
    );
    m = await orderRiskFeatures(wh);
    expect(row(m, 'o4')['log_hours_since_first_seen']).toBe(0);
    await wh.close();
  });

  it('selects orders by id and by time without changing their features', async () => {
    const wh = await store(LINES);
    const all = await orderRiskFeatures(wh);
    const one = await orderRiskFeatures(wh, { orderIds: ['o3'] });
    expect(one.orderIds).toEqual(['o3']);
    expect(row(one, 'o3')).toEqual(row(all, 'o3'));
    const since = await orderRiskFeatures(wh, { since: new Date('2024-03-01T11:00:00Z') });
    expect(since.orderIds).toEqual(['o3', 'o4']);
    expect((await orderRiskFeatures(wh, { orderIds: ['nope'] })).rows).toBe(0);
    await wh.close();
  });

  it('gives the features of the previous query to the bit (shop usual by running totals, product rates in one window)', async () => {
    // This file's store (returns, devices, peers at one instant) and the risk store (bursts, 50x).
    for (const wh of [await store(LINES, [['o1', '11:00']]), await openRiskStore()]) {
      const now = await orderRiskFeatures(wh);
      const before = await previousOrderRiskFeatures(wh);
      expect(now.rows).toBeGreaterThan(0);
      expect(now.orderIds).toEqual(before.orderIds);
      expect(now.values).toEqual(before.values);
      await wh.close();
    }
  });
});
