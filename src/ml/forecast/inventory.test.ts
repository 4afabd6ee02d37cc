import { describe, expect, it } from 'vitest';
import { reorderPlan } from './inventory.js';
import { movingAverage } from './simple.js';
import type { Fitted } from './types.js';

describe('reorderPlan, hand-computed', () => {
  // Alternating 2, 4: a 2-day moving average always forecasts 3 per day; 200 days, so the last 112
  // origins (86..197) all have a full window.
  const y = Float64Array.from({ length: 200 }, (_, t) => (t % 2 === 0 ? 2 : 4));
  const fit = movingAverage(2).fit(y, 1);

  it('lead-time demand, safety stock from past lead-time totals, reorder point, order quantity', () => {
    // Lead time 3: every past 3-day total is 8 or 10 against a forecast of 9: errors -1 and +1.
    const p = reorderPlan(fit, y, { leadTime: 3, serviceLevel: 0.95, reviewPeriod: 7 });
    expect(p.leadTimeDemand).toBeCloseTo(9, 12);
    expect(p.safetyStock).toBe(1);
    expect(p.reorderPoint).toBeCloseTo(10, 12);
    expect(p.orderUpTo).toBeCloseTo(3 * 10 + 1, 12);
    expect(p.orderQuantity).toBeCloseTo(21, 12); // forecast over the 7-day review period
    expect(p.stockoutDay).toBeNull();
    expect(p.errorsUsed).toBe(112); // the last 112 origins, 86..197
    expect(p.safetyFrom).toBe('in-sample');
  });
  it('with a backtest fit: the safety stock comes from its out-of-sample forecasts, from its start on', () => {
    // The model as judged before day 150 forecast 2 a day: every 3-day total (8 or 10) was short by
    // 2 or 4; the 95% conformal quantile of 48 errors (24 of each) is 4. The demand still comes from
    // the refitted model (3 a day).
    const two: Fitted = {
      model: 'two a day',
      firstOrigin: 1,
      forecast: (h) => new Float64Array(h).fill(2),
      forecastFrom: (_t, h, out) => out.fill(2, 0, h),
      variance: () => null,
      extend: () => two,
    };
    const p = reorderPlan(
      fit,
      y,
      { leadTime: 3, serviceLevel: 0.95, reviewPeriod: 7 },
      { fit: two, start: 150 },
    );
    expect(p.errorsUsed).toBe(48); // origins 150..197
    expect(p.safetyStock).toBe(4);
    expect(p.leadTimeDemand).toBeCloseTo(9, 12);
    expect(p.safetyFrom).toBe('backtest');
  });
  it('with a stock: order up to the level, and the day the stock runs out', () => {
    const p = reorderPlan(fit, y, { leadTime: 3, serviceLevel: 0.95, reviewPeriod: 7, stock: 10 });
    expect(p.orderQuantity).toBeCloseTo(31 - 10, 12);
    expect(p.stockoutDay).toBe(4); // 3, 6, 9, 12 > 10
  });
  it('refuses a lead time of -1, a service level of 1, a negative stock', () => {
    expect(() => reorderPlan(fit, y, { leadTime: -1, serviceLevel: 0.95, reviewPeriod: 7 })).toThrow(
      'lead time must be a whole number of days from 1 to 365, got -1',
    );
    expect(() => reorderPlan(fit, y, { leadTime: 3, serviceLevel: 1, reviewPeriod: 7 })).toThrow(
      'service level must be from 0.5 to 0.999, got 1',
    );
    expect(() => reorderPlan(fit, y, { leadTime: 3, serviceLevel: 0.9, reviewPeriod: 7, stock: -2 })).toThrow(
      'stock must be a number >= 0, got -2',
    );
  });
});
