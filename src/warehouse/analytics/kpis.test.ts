import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse.js';
import { kpis } from './kpis.js';
import { openEmptyStore, openTestStore } from './test-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

describe('kpis', () => {
  it('computes the headline numbers over all time', async () => {
    const k = await kpis(wh);
    // Sales orders: o1 60, o2 30, o11 30, o10 15, o3 10, o5 60, o6 100, o12 12.5, o8 30, o9 20 = 367.5 (10 orders)
    expect(k.grossRevenue).toBe(367.5);
    expect(k.orders).toBe(10);
    // Undone: o4 cancelled 10 + o13 cancelled 5 + o7 returned 5 = 20; net = 367.5 - 20
    expect(k.cancelledReturnedValue).toBe(20);
    expect(k.netRevenue).toBe(347.5);
    expect(k.cancelledOrders).toBe(2);
    expect(k.returnedOrders).toBe(1);
    expect(k.aov).toBe(36.75); // 367.5 / 10
    // Units: 3 + 1 + 1 + 6 + 4 + 2 + 5 + 5 + 1 + 2 = 30 -> 3 per order
    expect(k.units).toBe(30);
    expect(k.itemsPerOrder).toBe(3);
    // c1..c5 bought; the guest order o5 is in revenue but not a customer
    expect(k.customers).toBe(5);
    expect(k.newCustomers).toBe(5);
    expect(k.returningCustomers).toBe(0); // no period start: nobody bought "before"
    // >= 2 sales orders: c1 (3), c2 (2), c5 (2) -> 3 / 5; c4's second order is cancelled and does not count
    expect(k.repeatCustomers).toBe(3);
    expect(k.repeatPurchaseRate).toBe(0.6);
    expect(k.guestOrders).toBe(1);
    expect(k.guestOrderShare).toBe(0.1);
  });

  it('applies the period filter: from inclusive, to exclusive', async () => {
    const k = await kpis(wh, { period: { from: '2024-02-01', to: '2024-03-01' } });
    // o10 at exactly 02-01 00:00 is in; o6 at exactly 03-01 00:00 is out.
    // Sales: o10 15 + o3 10 + o5 60 = 85 in 3 orders; o4 (10) cancelled
    expect(k.period).toEqual({ from: '2024-02-01 00:00:00', to: '2024-03-01 00:00:00' });
    expect(k.grossRevenue).toBe(85);
    expect(k.orders).toBe(3);
    expect(k.cancelledReturnedValue).toBe(10);
    expect(k.netRevenue).toBe(75);
    expect(k.cancelledOrders).toBe(1);
    expect(k.aov).toBeCloseTo(85 / 3, 10);
    expect(k.itemsPerOrder).toBe(4); // (6 + 4 + 2) / 3
    // Customers c4 (first order o10, in the period: new) and c1 (first order in January: returning)
    expect(k.customers).toBe(2);
    expect(k.newCustomers).toBe(1);
    expect(k.returningCustomers).toBe(1);
    // Up to 03-01: c1 has o1 and o3 (repeat), c4 has o10 only -> 1 / 2
    expect(k.repeatCustomers).toBe(1);
    expect(k.repeatPurchaseRate).toBe(0.5);
    expect(k.guestOrderShare).toBeCloseTo(1 / 3, 10);
  });

  it('counts repeat purchases up to the period end, not only inside it', async () => {
    const k = await kpis(wh, { period: { from: '2024-03-01', to: '2024-04-01' } });
    // March sales: o6 100 (c3), o12 12.5 (c5), o8 30 (c2), o9 20 (c1) = 162.5; o13 cancelled 5, o7 returned 5
    expect(k.grossRevenue).toBe(162.5);
    expect(k.cancelledReturnedValue).toBe(10);
    expect(k.returnedOrders).toBe(1);
    expect(k.newCustomers).toBe(1); // c3
    expect(k.returningCustomers).toBe(3);
    // All-time counts: c1 3, c2 2, c5 2, c3 1 -> 3 / 4, although each has one March order
    expect(k.repeatCustomers).toBe(3);
    expect(k.repeatPurchaseRate).toBe(0.75);
    expect(k.guestOrderShare).toBe(0);
  });

  it('never shows more returning than repeat customers, nor a rate other than repeat / customers', async () => {
    // The invariants of docs/analytics.md, on each month and on open-ended periods.
    const periods = [
      {},
      { from: '2024-01-01', to: '2024-02-01' },
      { from: '2024-02-01', to: '2024-03-01' },
      { from: '2024-03-01', to: '2024-04-01' },
      { from: '2024-02-01' },
      { to: '2024-03-01' },
    ];
    for (const period of periods) {
      const k = await kpis(wh, { period });
      expect(k.newCustomers + k.returningCustomers).toBe(k.customers);
      expect(k.returningCustomers).toBeLessThanOrEqual(k.repeatCustomers);
      expect(k.repeatCustomers).toBeLessThanOrEqual(k.customers);
      expect(k.repeatPurchaseRate).toBe(k.customers ? k.repeatCustomers / k.customers : null);
    }
  });

  it('returns zeros and null rates for an empty store', async () => {
    const empty = await openEmptyStore();
    const k = await kpis(empty);
    await empty.close();
    expect(k).toMatchObject({
      grossRevenue: 0,
      orders: 0,
      customers: 0,
      aov: null,
      repeatPurchaseRate: null,
    });
  });

  it('refuses malformed or inverted periods', async () => {
    await expect(kpis(wh, { period: { from: 'last week' } })).rejects.toThrow(/from must be a date/);
    await expect(kpis(wh, { period: { from: '2024-02-30' } })).rejects.toThrow(RangeError);
    await expect(kpis(wh, { period: { from: '2024-03-01', to: '2024-02-01' } })).rejects.toThrow(/before/);
  });
});
