import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse.js';
import { analyticsReport, rfmDay, segmentReport } from './report.js';
import { openTestStore } from './test-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

describe('analyticsReport', () => {
  it('computes only the sections asked for, with the shared period', async () => {
    const r = await analyticsReport(wh, {
      sections: ['kpis', 'series'],
      from: '2024-02-01',
      to: '2024-03-01',
      by: 'week',
    });
    expect(Object.keys(r)).toEqual(['kpis', 'series']);
    expect(r.kpis?.grossRevenue).toBe(85); // o10 15 + o3 10 + o5 60
    // Weeks (Mondays) of February 2024 with an order: 01-29 (o10 on 02-01) to 02-12 (o5 on 02-15).
    expect(r.series?.points.map((p) => [p.bucket, p.grossRevenue])).toEqual([
      ['2024-01-29', 15],
      ['2024-02-05', 10],
      ['2024-02-12', 60],
    ]);
  });

  it('takes the RFM day from as_of, else from a whole-day `to`', async () => {
    expect(rfmDay({ asOf: '2024-03-01', to: '2024-02-01' })).toBe('2024-03-01');
    expect(rfmDay({ to: '2024-02-01' })).toBe('2024-02-01');
    expect(rfmDay({ to: '2024-02-01T12:00' })).toBeUndefined();
    const r = await analyticsReport(wh, { sections: ['rfm'], to: '2024-03-01' });
    expect(r.rfm?.asOf).toBe('2024-03-01');
    expect(r.rfm?.customers).toEqual([]); // per-customer rows only when asked
  });
});

describe('segmentReport', () => {
  it('gives every segment with its rule and the counts of rfm', async () => {
    const s = await segmentReport(wh, { asOf: '2024-03-29' });
    expect(s).toMatchObject({ asOf: '2024-03-29', scoredCustomers: 5, prospects: 1 });
    expect(s.segments.map((x) => x.segment)).toEqual([
      'champions',
      'loyal',
      'active',
      'needs_attention',
      'new',
      'promising',
      'previously_loyal',
      'at_risk',
      'almost_lost',
      'dormant',
      'prospects',
    ]);
    expect(s.segments[0]).toMatchObject({ customers: 1, rRange: [5, 5], fmRange: [8, 10], monetary: 90 });
    expect(s.segments.at(-1)).toMatchObject({
      customers: 1,
      rRange: null,
      description: 'a customers row but no sales order yet',
    });
  });
});
