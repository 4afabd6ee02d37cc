import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse.js';
import { customerTable } from './customer-table.js';
import { predictionDistributions } from './prediction-distributions.js';
import { rfm } from './rfm.js';
import { storeTestPredictions } from './test-predictions.js';
import { openEmptyStore, openTestStore } from './test-store.js';

/**
 * The analytics test store (test-store.ts) as of 2024-03-29, scored as rfm.test.ts works out by hand:
 *   customer  country  recency  orders  spend  r f m  segment          last order
 *   c1        UK       1        3       90     5 5 4  champions        2024-03-28
 *   c2        FR       4        2       60     4 3 3  active           2024-03-25
 *   c3        FR       28       1       100    2 1 5  at_risk          2024-03-01
 *   c4        UK       57       1       15     1 1 1  dormant          2024-02-01
 *   c5        DE       19       2       42.5   3 3 2  needs_attention  2024-03-10
 *   c6        UK       -        0       0      - - -  prospects
 * with the predictions of test-predictions.ts (c1..c4).
 */
let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
  await storeTestPredictions(wh);
});
afterAll(async () => {
  await wh.close();
});

const ids = (p: { customers: { customerId: string }[] }) => p.customers.map((c) => c.customerId);

describe('customerTable', () => {
  it('lists every customer, prospects included, by spend, with RFM and predictions', async () => {
    const p = await customerTable(wh);
    expect(p).toMatchObject({
      asOf: '2024-03-29',
      total: 6,
      page: 1,
      pageSize: 20,
      sort: 'spend',
      order: 'desc',
    });
    expect(p.predictions).toEqual({ available: true, asOf: '2024-03-29', reason: null });
    expect(ids(p)).toEqual(['c3', 'c1', 'c2', 'c5', 'c4', 'c6']);
    expect(p.customers[1]).toEqual({
      customerId: 'c1',
      country: 'UK',
      email: null,
      segment: 'champions',
      segmentLabel: 'Champions',
      recencyDays: 1,
      lastOrderAt: '2024-03-28',
      orders: 3,
      spend: 90,
      r: 5,
      f: 5,
      m: 4,
      churnProbability: 0.05,
      churnRisk: 'low',
      purchaseProbability: 0.8,
      clv365d: 200,
      spendTier: 'high',
    });
    expect(p.customers[3]).toMatchObject({
      customerId: 'c5',
      lastOrderAt: '2024-03-10',
      churnProbability: null,
    });
    expect(p.customers[5]).toMatchObject({
      customerId: 'c6',
      segment: 'prospects',
      segmentLabel: 'Prospects',
      recencyDays: null,
      lastOrderAt: null,
      orders: 0,
      spend: 0,
      r: null,
    });
  });

  it('searches by part of the id in any case, and filters by segment, risk, tier and country', async () => {
    expect(ids(await customerTable(wh, { search: 'C1' }))).toEqual(['c1']);
    expect((await customerTable(wh, { search: 'c' })).total).toBe(6);
    expect(ids(await customerTable(wh, { segment: 'prospects' }))).toEqual(['c6']);
    expect(ids(await customerTable(wh, { churnRisk: 'high' }))).toEqual(['c3', 'c4']);
    expect(ids(await customerTable(wh, { churnRisk: 'high', country: 'UK' }))).toEqual(['c4']);
    expect(ids(await customerTable(wh, { spendTier: 'high' }))).toEqual(['c3', 'c1']);
    expect(await customerTable(wh, { search: '%' })).toMatchObject({ total: 0, customers: [] });
  });

  it('counts per segment what /v1/segments counts', async () => {
    const r = await rfm(wh, { includeCustomers: false });
    for (const s of r.segments) {
      expect((await customerTable(wh, { segment: s.segment })).total, s.segment).toBe(s.customers);
    }
  });

  it('sorts either way with customers lacking a value last, ties by id', async () => {
    expect(ids(await customerTable(wh, { sort: 'churn_probability' }))).toEqual([
      'c4',
      'c3',
      'c2',
      'c1',
      'c5',
      'c6',
    ]);
    expect(ids(await customerTable(wh, { sort: 'churn_probability', order: 'asc' }))).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
    ]);
    expect(ids(await customerTable(wh, { sort: 'recency_days', order: 'asc' }))).toEqual([
      'c1',
      'c2',
      'c5',
      'c3',
      'c4',
      'c6',
    ]);
    // orders: c1 3; c2, c5 2; c3, c4 1; c6 0.
    expect(ids(await customerTable(wh, { sort: 'orders' }))).toEqual(['c1', 'c2', 'c5', 'c3', 'c4', 'c6']);
    expect(ids(await customerTable(wh, { sort: 'customer_id' }))).toEqual([
      'c1',
      'c2',
      'c3',
      'c4',
      'c5',
      'c6',
    ]);
  });

  it('pages, and still counts past the last page', async () => {
    const p2 = await customerTable(wh, { sort: 'customer_id', pageSize: 4, page: 2 });
    expect(ids(p2)).toEqual(['c5', 'c6']);
    expect(p2.total).toBe(6);
    expect(await customerTable(wh, { pageSize: 4, page: 3 })).toMatchObject({ total: 6, customers: [] });
  });

  it('reads nothing after as_of: later orders, later customers and later predictions are left out', async () => {
    // Before 03-01: c1 (o1, o3), c2 (o2), c4 (o10), c5 (o11); c3's first order is at 03-01 00:00 and
    // c3 and c6 were first seen on or after it.
    const p = await customerTable(wh, { asOf: '2024-03-01', sort: 'customer_id' });
    expect(ids(p)).toEqual(['c1', 'c2', 'c4', 'c5']);
    expect(p.customers[0]).toMatchObject({ orders: 2, spend: 70, churnProbability: null, clv365d: null });
    expect(p.predictions.available).toBe(false);
    expect(p.predictions.reason).toMatch(/as of 2024-03-29, after 2024-03-01/);
    expect((await customerTable(wh, { asOf: '2024-03-01', churnRisk: 'high' })).total).toBe(0);
  });

  it('refuses a bad page, page size, sort or day, naming it', async () => {
    await expect(customerTable(wh, { page: 0 })).rejects.toThrow(/page must be a whole number from 1/);
    await expect(customerTable(wh, { pageSize: 101 })).rejects.toThrow(/page_size .* 1 to 100/);
    await expect(customerTable(wh, { asOf: '29/03/2024' })).rejects.toThrow(/as_of/);
    await expect(customerTable(wh, { sort: 'x' as never })).rejects.toThrow(/sort must be one of/);
  });

  it('says what to run on a store with no predictions', async () => {
    const empty = await openEmptyStore();
    try {
      const p = await customerTable(empty);
      expect(p.total).toBe(0);
      expect(p.predictions.reason).toMatch(/shopsight predict customers/);
    } finally {
      await empty.close();
    }
  });
});

describe('predictionDistributions', () => {
  it('bins churn probabilities and CLVs by hand-computed edges', async () => {
    const d = await predictionDistributions(wh, { bins: 4 });
    expect(d).toMatchObject({ available: true, reason: null, asOf: '2024-03-29', customers: 4 });
    expect(d.predictedAt).toBe('2024-03-29T12:00:00Z');
    // Churn 0.05, 0.35, 0.72, 0.95 over quarters: [0, .25) 1, [.25, .5) 1, [.5, .75) 1, [.75, 1] 1.
    expect(d.churn.bins).toEqual([
      { from: 0, to: 0.25, customers: 1 },
      { from: 0.25, to: 0.5, customers: 1 },
      { from: 0.5, to: 0.75, customers: 1 },
      { from: 0.75, to: 1, customers: 1 },
    ]);
    expect(d.churn.mean).toBeCloseTo(2.07 / 4, 12);
    expect(d.churn.byRisk).toEqual([
      { risk: 'low', customers: 1 },
      { risk: 'medium', customers: 1 },
      { risk: 'high', customers: 2 },
    ]);
    // CLV 0, 80, 120, 200: median (80 + 120) / 2 = 100; 95th percentile at position 0.95 x 3 = 2.85:
    // 120 + 0.85 x 80 = 188; bins of 47: 0 -> 1st, 80 -> 2nd, 120 -> 3rd, 200 >= 188 -> the open one.
    expect(d.clv).toMatchObject({ total: 400, mean: 100, median: 100, cap: 188 });
    expect(d.clv.bins).toEqual([
      { from: 0, to: 47, customers: 1 },
      { from: 47, to: 94, customers: 1 },
      { from: 94, to: 141, customers: 1 },
      { from: 141, to: 188, customers: 0 },
      { from: 188, to: null, customers: 1 },
    ]);
    expect(d.clv.byTier).toEqual([
      { tier: 'low', customers: 1, clv: 0 },
      { tier: 'medium', customers: 1, clv: 80 },
      { tier: 'high', customers: 2, clv: 320 },
    ]);
    const ten = await predictionDistributions(wh);
    // 0.05 -> 0, 0.35 -> 3, 0.72 -> 7, 0.95 -> 9.
    expect(ten.churn.bins.map((b) => b.customers)).toEqual([1, 0, 0, 1, 0, 0, 0, 1, 0, 1]);
    expect(ten.clv.bins).toHaveLength(11);
  });

  it('is unavailable, with what to run, when nothing is stored; refuses a bad bin count', async () => {
    const empty = await openEmptyStore();
    try {
      const d = await predictionDistributions(empty);
      expect(d).toMatchObject({ available: false, customers: 0, asOf: null });
      expect(d.reason).toMatch(/shopsight predict customers/);
      expect(d.clv.bins).toEqual([]);
      expect(d.churn.bins.every((b) => b.customers === 0)).toBe(true);
    } finally {
      await empty.close();
    }
    await expect(predictionDistributions(wh, { bins: 1 })).rejects.toThrow(
      /bins must be a whole number from 2 to 50/,
    );
  });
});
