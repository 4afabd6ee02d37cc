import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse.js';
import { cohortRetention } from './cohorts.js';
import { openEmptyStore, openTestStore } from './test-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

describe('cohortRetention', () => {
  it('builds the retention matrix by first-purchase month', async () => {
    const m = await cohortRetention(wh);
    expect(m.lastMonth).toBe('2024-03-01');
    expect(m.months).toBe(3);
    expect(m.cohorts).toEqual([
      // January: c1, c2, c5. February: c1 (o3; o4 is cancelled). March: c1 (o9), c2 (o8), c5 (o12)
      { cohort: '2024-01-01', size: 3, active: [3, 1, 3], retention: [1, 1 / 3, 1] },
      // February: c4 (o10). Its March order o13 is cancelled, so month 1 is 0
      { cohort: '2024-02-01', size: 1, active: [1, 0], retention: [1, 0] },
      // March: c3 (o6)
      { cohort: '2024-03-01', size: 1, active: [1], retention: [1] },
    ]);
  });

  it('keeps cohorts starting in the period and counts activity up to its end', async () => {
    const later = await cohortRetention(wh, { period: { from: '2024-02-01' } });
    expect(later.cohorts.map((c) => c.cohort)).toEqual(['2024-02-01', '2024-03-01']);

    // Up to 03-01 (exclusive): o6 at 03-01 00:00 is out, so c3 has no cohort and March is not a column
    const early = await cohortRetention(wh, { period: { to: '2024-03-01' } });
    expect(early.lastMonth).toBe('2024-02-01');
    expect(early.cohorts).toEqual([
      { cohort: '2024-01-01', size: 3, active: [3, 1], retention: [1, 1 / 3] },
      { cohort: '2024-02-01', size: 1, active: [1], retention: [1] },
    ]);
  });

  it('returns an empty matrix for an empty store', async () => {
    const empty = await openEmptyStore();
    expect(await cohortRetention(empty)).toMatchObject({ lastMonth: null, months: 0, cohorts: [] });
    await empty.close();
  });
});
