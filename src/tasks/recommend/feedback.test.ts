import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecommendationPerformanceRow } from '../../warehouse/analytics/recommendations.js';
import { recommendationPerformance } from '../../warehouse/analytics/recommendations.js';
import { openEmptyStore } from '../../warehouse/analytics/test-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { compareArms, recommendationFeedback } from './feedback.js';
import { fillFeedbackStore } from './test-feedback-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openEmptyStore();
  await fillFeedbackStore(wh);
});
afterAll(async () => {
  await wh.close();
});

const ZERO = { clickedImpressions: 0, clicks: 0, cartedImpressions: 0, convertedImpressions: 0, orders: 0 };

describe('recommendationPerformance', () => {
  it('counts impressions, clicks, carts and purchases carrying the request id within 7 days', async () => {
    const r = await recommendationPerformance(wh);
    expect(r.windowDays).toBe(7);
    expect(r.attribution).toBe('request');
    expect(r.rows).toEqual([
      {
        // r1, r2, r6: 3 + 2 + 1 items; clicked r1 (e1, e2) and r2 (e5); r1 carted and bought for 30.
        task: 'recommend',
        modelVersion: 3,
        variant: 'A',
        impressions: 3,
        items: 6,
        clickedImpressions: 2,
        clicks: 3,
        ctr: 2 / 3,
        cartedImpressions: 1,
        addToCartRate: 1 / 3,
        convertedImpressions: 1,
        orders: 1,
        conversionRate: 1 / 3,
        revenue: 30,
        purchasesWithoutValue: 0,
        revenuePerImpression: 10,
      },
      {
        // r3, r4, r5: all clicked; r3's purchase came 8 days later (outside); r4's has no value.
        task: 'recommend',
        modelVersion: 4,
        variant: 'B',
        impressions: 3,
        items: 5,
        clickedImpressions: 3,
        clicks: 3,
        ctr: 1,
        cartedImpressions: 1,
        addToCartRate: 1 / 3,
        convertedImpressions: 1,
        orders: 1,
        conversionRate: 1 / 3,
        revenue: 0,
        purchasesWithoutValue: 1,
        revenuePerImpression: 0,
      },
      {
        task: 'together',
        modelVersion: null,
        variant: null,
        impressions: 1,
        items: 1,
        ...ZERO,
        ctr: 0,
        addToCartRate: 0,
        conversionRate: 0,
        revenue: 0,
        purchasesWithoutValue: 0,
        revenuePerImpression: 0,
      },
    ]);
  });

  it('widens the window, filters by period and task', async () => {
    const wide = await recommendationPerformance(wh, { windowDays: 10, task: 'recommend' });
    expect(wide.rows.map((r) => r.task)).toEqual(['recommend', 'recommend']);
    expect(wide.rows[1]).toMatchObject({
      convertedImpressions: 2,
      orders: 2,
      revenue: 50,
      purchasesWithoutValue: 1,
    });
    const early = await recommendationPerformance(wh, { period: { from: '2026-11-01', to: '2026-11-10' } });
    expect(early.rows[0]).toMatchObject({ variant: 'A', impressions: 2, items: 5 });
    const together = await recommendationPerformance(wh, { surface: 'together' });
    expect(together.rows.map((r) => r.task)).toEqual(['together']);
  });

  it('attributes orders to the latest click before them under last touch', async () => {
    // o100 (c1, 10:20) -> c1's latest click before it is e2 on r1 (A); o101 (c1, 11-05) -> e11 on r5
    // (B); o102 (c3, 11-12 09:00) -> e6 on 11-02 09:01 is 10 days earlier: outside 7, inside 10.
    const r = await recommendationPerformance(wh, { attribution: 'last_touch', task: 'recommend' });
    expect(
      r.rows.map((x) => [x.variant, x.convertedImpressions, x.orders, x.revenue, x.clickedImpressions]),
    ).toEqual([
      ['A', 1, 1, 30, 2],
      ['B', 1, 1, 40, 3],
    ]);
    const wide = await recommendationPerformance(wh, { attribution: 'last_touch', windowDays: 10 });
    expect(wide.rows[1]).toMatchObject({ variant: 'B', convertedImpressions: 2, orders: 2, revenue: 90 });
  });

  it('refuses a window outside 1..365 days and an unknown attribution', async () => {
    await expect(recommendationPerformance(wh, { windowDays: 0 })).rejects.toThrow(
      /window_days must be a whole number from 1 to 365, got 0/,
    );
    await expect(recommendationPerformance(wh, { attribution: 'first_touch' as 'request' })).rejects.toThrow(
      /attribution must be one of request, last_touch/,
    );
  });
});

describe('recommendationFeedback', () => {
  it('compares the two variants of a task and calls three responses per arm too small to tell', async () => {
    const r = await recommendationFeedback(wh);
    expect(r.comparisons).toHaveLength(1);
    const c = r.comparisons[0]!;
    expect(c).toMatchObject({
      task: 'recommend',
      compareBy: 'variant',
      a: { arm: 'A', impressions: 3 },
      b: { arm: 'B' },
    });
    // CTR 2/3 vs 3/3: z = (1/3) / sqrt(5/6 * 1/6 * 2/3) = 1.0954 (statsmodels proportions_ztest([3, 2], [3, 3])).
    expect(c.ctr.z).toBeCloseTo(1.0954451150103326, 12);
    expect(c.ctr.verdict).toBe('too_small');
    expect(c.conversion.difference).toBe(0);
    // 'together' has neither variant nor model: in no arm, so no note either.
    expect(r.notes).toEqual([]);
    const byVersion = await recommendationFeedback(wh, { compareBy: 'model_version' });
    expect(byVersion.comparisons[0]).toMatchObject({ a: { arm: '3' }, b: { arm: '4' } });
  });

  it('refuses half-named or identical arms before querying', async () => {
    await expect(recommendationFeedback(wh, { a: 'A' })).rejects.toThrow(
      'name both arms (a and b) or neither',
    );
    await expect(recommendationFeedback(wh, { a: 'A', b: 'A' })).rejects.toThrow("arms a and b are both 'A'");
    await expect(recommendationFeedback(wh, { compareBy: 'colour' as 'variant' })).rejects.toThrow(
      /compare_by/,
    );
  });
});

describe('compareArms', () => {
  const row = (
    task: string,
    modelVersion: number | null,
    variant: string | null,
    impressions: number,
    clicked: number,
    converted: number,
  ): RecommendationPerformanceRow => ({
    task,
    modelVersion,
    variant,
    impressions,
    items: impressions * 10,
    clickedImpressions: clicked,
    clicks: clicked,
    ctr: clicked / impressions,
    cartedImpressions: 0,
    addToCartRate: 0,
    convertedImpressions: converted,
    orders: converted,
    conversionRate: converted / impressions,
    revenue: converted * 10,
    purchasesWithoutValue: 0,
    revenuePerImpression: (converted * 10) / impressions,
  });

  it('sums an arm over its model versions and finds a real CTR difference', () => {
    // B was served by v4 then v5 (a promote mid-test): 600 + 400 impressions, 90 + 60 clicked.
    const rows = [
      row('recommend', 3, 'control', 1000, 100, 30),
      row('recommend', 4, 'treatment', 600, 90, 20),
      row('recommend', 5, 'treatment', 400, 60, 12),
    ];
    const { comparisons, notes } = compareArms(rows, { a: 'control', b: 'treatment' });
    expect(notes).toEqual([]);
    const c = comparisons[0]!;
    expect(c.b).toMatchObject({
      impressions: 1000,
      clickedImpressions: 150,
      convertedImpressions: 32,
      revenue: 320,
    });
    // statsmodels: proportions_ztest([150, 100], [1000, 1000]) = (3.3806170189140654, 0.0007232327164301953);
    // confint_proportions_2indep(150, 1000, 100, 1000, method='wald', compare='diff') = (0.02109468, 0.07890532).
    expect(c.ctr.z).toBeCloseTo(3.3806170189140654, 12);
    expect(c.ctr.pValue).toBeCloseTo(0.0007232327164301953, 12);
    expect(c.ctr.ci![0]).toBeCloseTo(0.021094683992369617, 12);
    expect(c.ctr.verdict).toBe('b_better');
    // Conversion 30/1000 vs 32/1000: 0.2 points apart, far below the MDE.
    expect(c.conversion.verdict).toBe('too_small');
  });

  it('explains tasks it cannot compare', () => {
    const rows = [
      row('recommend', 3, 'x', 10, 1, 0),
      row('recommend', 3, 'y', 10, 1, 0),
      row('recommend', 3, 'z', 10, 1, 0),
      row('similar', 1, 'x', 10, 1, 0),
    ];
    expect(compareArms(rows).notes).toEqual([
      'recommend: 3 variants (x, y, z): name the two to compare (a and b)',
      'similar: one variant only (x): nothing to compare',
    ]);
    expect(compareArms(rows, { a: 'x', b: 'w' }).notes).toEqual([
      "recommend: no impressions for variant 'w' (has x, y, z)",
      "similar: no impressions for variant 'w' (has x)",
    ]);
    expect(compareArms([row('recommend', null, null, 5, 0, 0)]).notes).toEqual([
      'no impressions carry a variant: nothing to compare',
    ]);
  });
});
