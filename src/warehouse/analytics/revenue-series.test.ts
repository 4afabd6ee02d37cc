import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse.js';
import { revenueSeries } from './revenue-series.js';
import { openEmptyStore, openTestStore } from './test-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

describe('revenueSeries', () => {
  it('buckets by month', async () => {
    const s = await revenueSeries(wh, { granularity: 'month' });
    expect(s.points).toEqual([
      // Jan: o1 60 + o2 30 + o11 30; customers c1, c2, c5
      {
        bucket: '2024-01-01',
        orders: 3,
        grossRevenue: 120,
        cancelledReturnedValue: 0,
        netRevenue: 120,
        customers: 3,
      },
      // Feb: o10 15 + o3 10 + o5 60 (guest: not a customer); o4 cancelled 10
      {
        bucket: '2024-02-01',
        orders: 3,
        grossRevenue: 85,
        cancelledReturnedValue: 10,
        netRevenue: 75,
        customers: 2,
      },
      // Mar: o6 100 + o12 12.5 + o8 30 + o9 20; o13 cancelled 5 + o7 returned 5
      {
        bucket: '2024-03-01',
        orders: 4,
        grossRevenue: 162.5,
        cancelledReturnedValue: 10,
        netRevenue: 152.5,
        customers: 4,
      },
    ]);
  });

  it('buckets by day and fills days without orders with zeros', async () => {
    const s = await revenueSeries(wh, { granularity: 'day' });
    // 2024-01-05 .. 2024-03-28: 27 days of January + 29 of February + 28 of March
    expect(s.points).toHaveLength(84);
    expect(s.points[0]?.bucket).toBe('2024-01-05');
    expect(s.points.at(-1)?.bucket).toBe('2024-03-28');
    expect(s.points[1]).toEqual({
      bucket: '2024-01-06',
      orders: 0,
      grossRevenue: 0,
      cancelledReturnedValue: 0,
      netRevenue: 0,
      customers: 0,
    });
    // A day with only a cancellation (o4) has negative net revenue
    expect(s.points.find((p) => p.bucket === '2024-02-11')).toMatchObject({ orders: 0, netRevenue: -10 });
  });

  it('buckets by ISO week starting on Monday', async () => {
    const s = await revenueSeries(wh, { granularity: 'week' });
    // Mondays 2024-01-01 .. 2024-03-25: 13 weeks
    expect(s.points).toHaveLength(13);
    expect(s.points[0]?.bucket).toBe('2024-01-01');
    // Week of Mon 03-25: o8 (Mon) 30 + o9 (Thu) 20
    expect(s.points.at(-1)).toMatchObject({
      bucket: '2024-03-25',
      orders: 2,
      grossRevenue: 50,
      customers: 2,
    });
  });

  it('honours the period filter and handles an empty store', async () => {
    const s = await revenueSeries(wh, {
      granularity: 'month',
      period: { from: '2024-02-01', to: '2024-03-01' },
    });
    expect(s.points.map((p) => [p.bucket, p.grossRevenue])).toEqual([['2024-02-01', 85]]);
    const empty = await openEmptyStore();
    expect((await revenueSeries(empty)).points).toEqual([]);
    await empty.close();
  });

  it('refuses an unknown granularity', async () => {
    // @ts-expect-error: checking the runtime guard for callers without types
    await expect(revenueSeries(wh, { granularity: 'year' })).rejects.toThrow(/granularity/);
  });
});
