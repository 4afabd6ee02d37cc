import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse.js';
import { revenueByCategory, revenueByCountry, topProducts } from './breakdowns.js';
import { openTestStore } from './test-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

describe('revenueByCountry', () => {
  it('splits sales by order country, unknown for a null country', async () => {
    const { rows } = await revenueByCountry(wh);
    expect(rows.map(({ share: _share, ...r }) => r)).toEqual([
      // FR: o2 30 + o6 100 + o8 30; o7 returned 5; customers c2, c3
      {
        country: 'FR',
        orders: 3,
        grossRevenue: 160,
        cancelledReturnedValue: 5,
        netRevenue: 155,
        customers: 2,
      },
      // UK: o1 60 + o10 15 + o3 10 + o9 20; o4 10 + o13 5 cancelled; customers c1, c4
      {
        country: 'UK',
        orders: 4,
        grossRevenue: 105,
        cancelledReturnedValue: 15,
        netRevenue: 90,
        customers: 2,
      },
      // DE: o11 30 + guest o5 60; only c5 is a customer
      { country: 'DE', orders: 2, grossRevenue: 90, cancelledReturnedValue: 0, netRevenue: 90, customers: 1 },
      // o12 has no country
      {
        country: 'unknown',
        orders: 1,
        grossRevenue: 12.5,
        cancelledReturnedValue: 0,
        netRevenue: 12.5,
        customers: 1,
      },
    ]);
    expect(rows[0]?.share).toBeCloseTo(160 / 367.5, 12);
    expect(rows.reduce((s, r) => s + (r.share ?? 0), 0)).toBeCloseTo(1, 12);
  });
});

describe('revenueByCategory', () => {
  it('splits sales lines by category; postage gets its own row so the total is gross revenue', async () => {
    const { rows } = await revenueByCategory(wh);
    expect(rows.map(({ share: _share, ...r }) => r)).toEqual([
      // Home (p2): o2 30 + o11 30 + o5 60 + o6 30 + o8 30; 6 units in 5 orders
      { category: 'Home', merchandise: true, grossRevenue: 180, units: 6, orders: 5 },
      // Postage on o1 and o6: 2 x 40
      { category: 'non-merchandise', merchandise: false, grossRevenue: 80, units: 2, orders: 2 },
      // Kitchen (p1): o1 20 + o6 30 + o9 20; the cancelled o4 line is not a sale
      { category: 'Kitchen', merchandise: true, grossRevenue: 70, units: 7, orders: 3 },
      // p3 has no category: o10 15 + o3 10 + o12 12.5; units 6 + 4 + 5
      { category: 'uncategorised', merchandise: true, grossRevenue: 37.5, units: 15, orders: 3 },
    ]);
    expect(rows.reduce((s, r) => s + r.grossRevenue, 0)).toBe(367.5);
  });
});

describe('topProducts', () => {
  it('ranks merchandise only, by revenue and by units', async () => {
    const top = await topProducts(wh, { limit: 2 });
    // Postage (80) would be second by revenue if it were counted
    expect(top.byRevenue.map((p) => [p.productId, p.title, p.grossRevenue])).toEqual([
      ['p2', 'Candle', 180],
      ['p1', 'Mug', 70],
    ]);
    expect(top.byUnits.map((p) => [p.productId, p.units, p.orders])).toEqual([
      ['p3', 15, 3],
      ['p1', 7, 3],
    ]);
    const all = await topProducts(wh, { limit: 10 });
    expect(all.byRevenue.map((p) => p.productId)).toEqual(['p2', 'p1', 'p3']);
  });

  it('breaks ties by product id and applies the period', async () => {
    const top = await topProducts(wh, { limit: 3, period: { from: '2024-03-01', to: '2024-04-01' } });
    // March units: p1 o6 3 + o9 2 = 5, p3 o12 5 (o13, o7 undone) = 5, p2 o6 1 + o8 1 = 2
    expect(top.byUnits.map((p) => [p.productId, p.units])).toEqual([
      ['p1', 5],
      ['p3', 5],
      ['p2', 2],
    ]);
    // March revenue: p2 60, p1 50, p3 12.5
    expect(top.byRevenue.map((p) => p.grossRevenue)).toEqual([60, 50, 12.5]);
  });

  it('refuses a non-positive limit', async () => {
    await expect(topProducts(wh, { limit: 0 })).rejects.toThrow(/limit/);
  });
});
