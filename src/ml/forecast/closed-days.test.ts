import { describe, expect, it } from 'vitest';
import { closedSlots, fitOpenDays } from './closed-days.js';
import { movingAverage, seasonalNaive } from './simple.js';

/** Nine weeks; slot 5 (of 7) never sells; the open days are 1..6 in order (10, 20, ..., 60). */
const week = [10, 20, 30, 40, 50, 0, 60];
const y = Float64Array.from({ length: 63 }, (_, t) => week[t % 7]!);

describe('closed days', () => {
  it('finds the slot without a sale in each of the last 8 seasons', () => {
    expect(closedSlots(y, 7)).toEqual([false, false, false, false, false, true, false]);
    expect(closedSlots(y.subarray(0, 55), 7)).toBeNull(); // fewer than 8 seasons
    const sold = Float64Array.from(y);
    sold[61] = 1; // a sale on slot 5 in the last week: not closed
    expect(closedSlots(sold, 7)).toBeNull();
  });
  it('fits on the open days with a season of 6 and puts 0 on the closed day', () => {
    // Seasonal naive over the 6 open days repeats 10..60; laid back on the calendar with 0 on slot 5.
    const fit = fitOpenDays(seasonalNaive, y, 7, closedSlots(y, 7)!);
    expect(Array.from(fit.forecast(8))).toEqual([10, 20, 30, 40, 50, 0, 60, 10]);
    // From origin 12 (slot 5): steps fall on slots 5, 6, 0.
    const out = new Float64Array(3);
    fit.forecastFrom(12, 3, out);
    expect(Array.from(out)).toEqual([0, 60, 10]);
  });
  it('a moving average of open days only (the closed zeros do not pull it down)', () => {
    const fit = fitOpenDays(movingAverage(6), y, 7, closedSlots(y, 7)!);
    expect(Array.from(fit.forecast(2))).toEqual([35, 35]);
  });
});
