import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeOnBothEngines } from '../warehouse/clickhouse/test-both-engines.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { fillRiskStore, openRiskStore, RISK_STORE_ORDERS } from '../warehouse/test-risk-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { newOrderRiskFeatures, type NewOrder } from './new-order-risk-features.js';
import { orderRiskFeatures, UNDO_EVENTS, type OrderFeatureMatrix } from './order-risk-features.js';
import { orderRiskFeaturesFromRows, type OrderRiskRows } from './order-risk-features-windows.js';

/** order id, customer, time (2024-03-01 + hh:mm), product, quantity, unit price, device, country. */
type Line = [string, string | null, string, string, number, number, string | null, string | null];
const LINES: Line[] = [
  ['o1', 'h1', '10:00', 'A', 1, 10, 'd1', 'FR'],
  ['o2', 'h1', '10:30', 'A', 1, 10, 'd1', 'FR'],
  ['o3', 'h1', '12:00', 'B', 50, 10, 'd2', 'DE'],
  ['o4', 'h2', '12:00', 'A', 2, 10, 'd2', 'FR'],
  ['g1', null, '12:30', 'A', 1, 10, null, 'FR'],
];
const at = (hhmm: string): Date => new Date(`2024-03-01T${hhmm}:00Z`);

/**
 * order-risk-features.test.ts's store (o1 returned at 11:00) plus a guest order, through the Warehouse
 * interface; its ids do not meet the risk store's, so both can share one store.
 */
async function loadHandStore(wh: Warehouse): Promise<void> {
  const carried = wh.engine === 'clickhouse';
  await wh.append('customers', {
    customer_id: ['h1', 'h2'],
    first_seen_at: [new Date('2024-02-01T00:00:00Z'), at('11:00')],
    country: ['FR', 'FR'],
  });
  await wh.append('orders', {
    order_id: LINES.map((l) => l[0]),
    customer_id: LINES.map((l) => l[1]),
    ordered_at: LINES.map((l) => at(l[2])),
    status: LINES.map((l) => (l[0] === 'o1' ? 'returned' : 'placed')),
    device_id: LINES.map((l) => l[6]),
    country: LINES.map((l) => l[7]),
  });
  await wh.append('order_status_history', {
    order_id: [...LINES.map((l) => l[0]), 'o1'],
    status: [...LINES.map(() => 'placed'), 'returned'],
    changed_at: [...LINES.map((l) => at(l[2])), at('11:00')],
    ...(carried ? { customer_id: [...LINES.map((l) => l[1]), 'h1'] } : {}),
  });
  const values = LINES.map(
    ([id, c, , p, q, price]) =>
      `('${id}', 1, '${p}', ${q}, ${price}${carried ? `, ${c === null ? 'NULL' : `'${c}'`}` : ''})`,
  );
  await wh.exec(
    `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price${carried ? ', customer_id' : ''}) ` +
      `VALUES ${values.join(', ')}`,
  );
}

function row(m: OrderFeatureMatrix, orderId: string): Record<string, number> {
  const r = m.orderIds.indexOf(orderId);
  expect(r).toBeGreaterThanOrEqual(0);
  return Object.fromEntries(m.names.map((n, j) => [n, m.values[r * m.cols + j]!]));
}

/** The rows the TypeScript windows read, read from DuckDB (the ClickHouse reader's counterpart). */
async function duckRows(wh: Warehouse): Promise<OrderRiskRows> {
  const o = await wh.columns(
    'SELECT order_id, customer_id, ordered_at, device_id, ip_hash, country, CAST(total AS DOUBLE) AS total FROM orders',
    {
      order_id: 'str',
      customer_id: 'str',
      ordered_at: 'ts',
      device_id: 'str',
      ip_hash: 'str',
      country: 'str',
      total: 'f64',
    },
  );
  const c = await wh.columns('SELECT customer_id, country, signup_at, first_seen_at FROM customers', {
    customer_id: 'str',
    country: 'str',
    signup_at: 'ts',
    first_seen_at: 'ts',
  });
  const l = await wh.columns(
    `SELECT order_id, product_id, quantity,
            CAST(coalesce(line_total, CAST(quantity AS DECIMAL(18,4)) * unit_price) AS DOUBLE) AS amount
     FROM order_items ORDER BY order_id, line_no`,
    { order_id: 'str', product_id: 'str', quantity: 'f64', amount: 'f64' },
  );
  const u = await wh.columns(`SELECT order_id, "at" FROM (${UNDO_EVENTS})`, { order_id: 'str', at: 'ts' });
  return {
    orders: {
      orderId: o.order_id.map((v) => v!),
      customerId: o.customer_id,
      orderedAt: o.ordered_at,
      deviceId: o.device_id,
      ipHash: o.ip_hash,
      country: o.country,
      total: o.total,
    },
    customers: {
      customerId: c.customer_id,
      country: c.country,
      signupAt: c.signup_at,
      firstSeenAt: c.first_seen_at,
    },
    lines: { orderId: l.order_id, productId: l.product_id, quantity: l.quantity, amount: l.amount },
    undo: { orderId: u.order_id, at: u.at },
  };
}

describe('order risk features computed in TypeScript (the ClickHouse path) from DuckDB rows', () => {
  it('equal the DuckDB query to the bit on the hand store and the risk store', async () => {
    const hand = await DuckDBWarehouse.open(':memory:');
    await loadHandStore(hand);
    for (const wh of [hand, await openRiskStore()]) {
      const sql = await orderRiskFeatures(wh);
      const ts = orderRiskFeaturesFromRows(await duckRows(wh));
      expect(sql.rows).toBeGreaterThan(0);
      expect(ts.orderIds).toEqual(sql.orderIds);
      expect(ts.customerIds).toEqual(sql.customerIds);
      expect(Array.from(ts.orderedAt)).toEqual(Array.from(sql.orderedAt));
      expect(ts.values).toEqual(sql.values);
      await wh.close();
    }
  });
});

/** A stored order as a checkout would send it (read the same way from either engine). */
async function asSent(wh: Warehouse, orderId: string): Promise<NewOrder> {
  const o = await wh.columns(
    'SELECT customer_id, ordered_at, country, device_id, ip_hash FROM orders WHERE order_id = ?',
    { customer_id: 'str', ordered_at: 'ts', country: 'str', device_id: 'str', ip_hash: 'str' },
    [orderId],
  );
  const l = await wh.columns(
    'SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = ? ORDER BY line_no',
    { product_id: 'str', quantity: 'f64', unit_price: 'f64' },
    [orderId],
  );
  return {
    orderId,
    customerId: o.customer_id[0]!,
    orderedAt: new Date(o.ordered_at[0]!),
    country: o.country[0]!,
    deviceId: o.device_id[0]!,
    ipHash: o.ip_hash[0]!,
    lines: l.product_id.map((p, i) => ({
      productId: p!,
      quantity: l.quantity[i]!,
      unitPrice: l.unit_price[i]!,
    })),
  };
}

// One store per engine (one cluster per file): the hand store first, then the risk store added to it.
describeOnBothEngines('order risk features', (engine, open) => {
  let hand: Warehouse;
  let reference: OrderFeatureMatrix;
  beforeAll(async () => {
    hand = await open();
    await loadHandStore(hand);
    const ref = await DuckDBWarehouse.open(':memory:');
    await loadHandStore(ref);
    await fillRiskStore(ref);
    reference = await orderRiskFeatures(ref);
    await ref.close();
  }, 120_000);
  afterAll(async () => {
    await hand?.close();
  });

  it(`${engine}: each feature by hand, point in time`, async () => {
    const m = await orderRiskFeatures(hand);
    expect(m.orderIds).toEqual(['o1', 'o2', 'o3', 'o4', 'g1']);
    const o3 = row(m, 'o3');
    expect(o3['log_value']).toBeCloseTo(Math.log(501), 5);
    expect(o3['value_vs_customer_usual']).toBeCloseTo(Math.log(501) - Math.log(11), 5);
    expect(o3['value_vs_shop_usual']).toBeCloseTo(Math.log(501) - Math.log(11), 5);
    expect(o3['customer_earlier_orders']).toBe(2);
    expect(o3['customer_orders_1h']).toBe(0);
    expect(o3['customer_orders_24h']).toBe(2);
    expect(o3['device_orders_1h']).toBe(1); // o4, same instant, same device
    expect(Number.isNaN(o3['ip_orders_24h']!)).toBe(true);
    expect(o3['country_mismatch']).toBe(1);
    expect(o3['customer_undone_orders']).toBe(1); // o1 returned at 11:00
    expect(o3['log_max_line_quantity']).toBeCloseTo(Math.log(51), 5);
    expect(o3['hour']).toBe(12);
    expect(o3['weekday']).toBe(5);
    expect(o3['log_hours_since_first_seen']).toBeCloseTo(Math.log(1 + 29 * 24 + 12), 4);
    expect(Number.isNaN(o3['returned_product_share']!)).toBe(true);
    const o4 = row(m, 'o4');
    expect(o4['returned_product_share']).toBeCloseTo(0.5, 6); // A: 20 sold, 10 returned at 11:00
    expect(o4['customer_earlier_orders']).toBe(0);
    expect(o4['new_customer_value']).toBeCloseTo(Math.log(21) - Math.log(11), 5);
    expect(o4['log_hours_since_first_seen']).toBeCloseTo(Math.log(2), 5);
    // The guest: no customer features, the shop's usual over o1..o4 (ln 11, 11, 501, 21).
    const g1 = row(m, 'g1');
    expect(Number.isNaN(g1['value_vs_customer_usual']!)).toBe(true);
    expect(Number.isNaN(g1['customer_orders_1h']!)).toBe(true);
    expect(g1['customer_earlier_orders']).toBe(0);
    expect(g1['value_vs_shop_usual']).toBeCloseTo(
      Math.log(11) - (2 * Math.log(11) + Math.log(501) + Math.log(21)) / 4,
      5,
    );
    expect(g1['returned_product_share']).toBeCloseTo(10 / 40, 6); // A: 10 + 10 + 20 sold, 10 returned
    expect(g1['log_hours_since_first_seen']).toBe(0);
  });

  it(`${engine}: selects orders by id and by time without changing their features`, async () => {
    const all = await orderRiskFeatures(hand);
    const one = await orderRiskFeatures(hand, { orderIds: ['o3'] });
    expect(one.orderIds).toEqual(['o3']);
    expect(row(one, 'o3')).toEqual(row(all, 'o3'));
    const since = await orderRiskFeatures(hand, { since: new Date('2024-03-01T11:00:00Z') });
    expect(since.orderIds).toEqual(['o3', 'o4', 'g1']);
  });

  it(`${engine}: with the risk store added, the matrix equals DuckDB's to the bit`, async () => {
    await fillRiskStore(hand);
    const m = await orderRiskFeatures(hand);
    expect(m.rows).toBe(LINES.length + RISK_STORE_ORDERS);
    expect(m.orderIds).toEqual(reference.orderIds);
    expect(m.values).toEqual(reference.values);
  });

  it(`${engine}: a stored order sent for scoring gets its batch features`, async () => {
    const m = await orderRiskFeatures(hand);
    for (const id of ['o1', 'o3', 'o4', 'g1', 'big1', 'burst1', 'burst6', 'o7_3', 'o9_0']) {
      const x = await newOrderRiskFeatures(hand, await asSent(hand, id));
      const r = m.orderIds.indexOf(id);
      const batch = Array.from(m.values.subarray(r * m.cols, (r + 1) * m.cols));
      expect({ id, x: Array.from(x) }).toEqual({ id, x: batch });
    }
  });
});
