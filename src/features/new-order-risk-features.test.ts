import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRiskStore } from '../warehouse/test-risk-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { newOrderRiskFeatures, UnknownOrderCustomerError, type NewOrder } from './new-order-risk-features.js';
import { ORDER_RISK_FEATURE_NAMES, orderRiskFeatures } from './order-risk-features.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openRiskStore();
  // What the plain risk store lacks: returns and a cancellation (some before, some after later
  // orders of the same customer and product), devices and IPs, a guest order, a customer country
  // that differs from the order's, a signup before the first order, and two orders at one instant.
  for (const [id, status, at] of [
    ['o1_0', 'returned', '2024-01-20 00:00'],
    ['o2_1', 'cancelled', '2024-01-25 00:00'],
    ['o3_2', 'returned', '2024-03-30 00:00'],
  ] as const) {
    await wh.exec(`UPDATE orders SET status = ? WHERE order_id = ?`, [status, id]);
    await wh.exec(`INSERT INTO order_status_history VALUES (?, ?, CAST(? AS TIMESTAMP))`, [id, status, at]);
  }
  await wh.exec(`UPDATE orders SET device_id = 'd' || (hash(order_id) % 7), ip_hash = 'i' || (hash(order_id) % 5)
                 WHERE order_id LIKE 'o1%' OR order_id LIKE 'burst%'`);
  await wh.exec(
    `UPDATE customers SET country = 'DE', first_seen_at = TIMESTAMP '2023-12-01' WHERE customer_id = 'c4'`,
  );
  await wh.exec(`INSERT INTO orders (order_id, customer_id, ordered_at, status, country)
                 SELECT 'guest1', NULL, ordered_at, 'placed', 'FR' FROM orders WHERE order_id = 'o5_3'`);
  await wh.exec(
    `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES ('guest1', 1, 'p3', 3, 12)`,
  );
});
afterAll(async () => {
  await wh.close();
});

/** A stored order's fields, as a checkout would send them. */
async function asSent(orderId: string): Promise<NewOrder> {
  const [o] = await wh.rows<{
    customer_id: string | null;
    ordered_at: Date;
    country: string | null;
    device_id: string | null;
    ip_hash: string | null;
  }>('SELECT customer_id, ordered_at, country, device_id, ip_hash FROM orders WHERE order_id = ?', [orderId]);
  const lines = await wh.rows<{ product_id: string; quantity: number; unit_price: number }>(
    'SELECT product_id, quantity, CAST(unit_price AS DOUBLE) AS unit_price FROM order_items WHERE order_id = ? ORDER BY line_no',
    [orderId],
  );
  return {
    orderId,
    customerId: o!.customer_id,
    orderedAt: o!.ordered_at,
    country: o!.country,
    deviceId: o!.device_id,
    ipHash: o!.ip_hash,
    lines: lines.map((l) => ({ productId: l.product_id, quantity: l.quantity, unitPrice: l.unit_price })),
  };
}

describe('the risk features of one order sent in', () => {
  it('equal the batch features of stored orders sent again (same definitions, same point in time)', async () => {
    const m = await orderRiskFeatures(wh);
    expect(m.rows).toBe(488);
    // Every order of the customers with returns, devices, a signup or a burst, the guest's and the
    // 50x order, and every 25th other one (a one-order query costs tens of milliseconds).
    const picked = m.orderIds.flatMap((id, r) =>
      /^(o1_|o2_|o3_|o4_|o9_|burst|big1|guest1)/.test(id) || r % 25 === 0 ? [r] : [],
    );
    expect(picked.length).toBeGreaterThan(50);
    for (const r of picked) {
      const x = await newOrderRiskFeatures(wh, await asSent(m.orderIds[r]!));
      for (let j = 0; j < m.cols; j++) {
        const batch = m.values[r * m.cols + j]!;
        const one = x[j]!;
        const where = `${m.orderIds[r]} ${ORDER_RISK_FEATURE_NAMES[j]}`;
        if (Number.isNaN(batch)) expect(one, where).toBeNaN();
        else expect(one, where).toBeCloseTo(batch, 4);
      }
    }
  }, 120_000);

  it('counts a stored order at the same instant as earlier, and reads nothing after the order', async () => {
    const name = (n: string): number => ORDER_RISK_FEATURE_NAMES.indexOf(n);
    const burst3 = await asSent('burst3');
    // As itself: burst1 and burst2 came before; burst4-6 (later) do not show.
    const self = await newOrderRiskFeatures(wh, burst3);
    expect(self[name('customer_orders_1h')]).toBe(2);
    expect(self[name('customer_orders_24h')]).toBe(2);
    expect(self[name('customer_earlier_orders')]).toBe(8); // six ordinary orders, burst1, burst2
    // A new order at burst3's instant: stored burst3 is at the same instant, so it counts too.
    const other = await newOrderRiskFeatures(wh, { ...burst3, orderId: 'new-1' });
    expect(other[name('customer_orders_1h')]).toBe(3);
    // ... but not for the mean of earlier orders, which are strictly earlier.
    expect(other[name('customer_earlier_orders')]).toBe(8);
  });

  it('a guest order has no customer features; its value is compared with the shop only', async () => {
    const x = await newOrderRiskFeatures(wh, {
      orderId: 'g',
      customerId: null,
      orderedAt: new Date('2024-03-01T00:00:00Z'),
      lines: [{ productId: 'p1', quantity: 2, unitPrice: 5 }],
    });
    const v = (n: string): number => x[ORDER_RISK_FEATURE_NAMES.indexOf(n)]!;
    expect(v('log_value')).toBeCloseTo(Math.log(11), 5);
    expect(v('customer_orders_1h')).toBeNaN();
    expect(v('value_vs_customer_usual')).toBeNaN();
    expect(v('customer_earlier_orders')).toBe(0);
    expect(v('log_total_quantity')).toBeCloseTo(Math.log(3), 5);
    expect(v('distinct_products')).toBe(1);
    expect(v('hour')).toBe(0);
    expect(v('weekday')).toBe(5); // 2024-03-01 was a Friday
  });

  it('refuses a customer the store does not know, and an order without lines', async () => {
    const order: NewOrder = {
      orderId: 'x',
      customerId: 'nobody',
      orderedAt: new Date('2024-03-01T00:00:00Z'),
      lines: [{ productId: 'p1', quantity: 1, unitPrice: 5 }],
    };
    await expect(newOrderRiskFeatures(wh, order)).rejects.toThrow(UnknownOrderCustomerError);
    await expect(newOrderRiskFeatures(wh, order)).rejects.toThrow(/customer 'nobody' is not in the store/);
    await expect(newOrderRiskFeatures(wh, { ...order, customerId: 'c1', lines: [] })).rejects.toThrow(
      'an order needs at least one line',
    );
  });
});
