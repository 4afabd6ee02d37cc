import { describe, expect, it } from 'vitest';
import { conformalHalfWidths, conformalQuantile, pastErrors, withIntervals } from './intervals.js';
import { movingAverage, seasonalNaive } from './simple.js';

describe('baselines', () => {
  it('seasonal naive repeats the last season', () => {
    expect(Array.from(seasonalNaive.fit(Float64Array.of(1, 2, 3, 4), 2).forecast(3))).toEqual([3, 4, 3]);
  });
  it('moving average of the last k values', () => {
    expect(
      Array.from(
        movingAverage(2)
          .fit(Float64Array.of(1, 2, 3, 5), 1)
          .forecast(2),
      ),
    ).toEqual([4, 4]);
    expect(
      Array.from(
        movingAverage(28)
          .fit(Float64Array.of(1, 2, 3), 1)
          .forecast(1),
      ),
    ).toEqual([2]);
  });
});

describe('conformal intervals', () => {
  it('the finite-sample rank ceil((k+1)(1-a))', () => {
    const sorted = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    expect(conformalQuantile(sorted, 0.8)).toBe(8); // ceil(10 * 0.8) = 8th
    expect(conformalQuantile(sorted, 0.5)).toBe(5);
  });
  it('past errors of the naive forecast, per step', () => {
    // Naive (period 1): forecast from t is y[t-1]; errors of step 1 are |y[t] - y[t-1]|.
    const y = Float64Array.of(0, 1, 3, 6);
    const e = pastErrors(seasonalNaive.fit(y, 1), y, 2);
    expect(Array.from(e[0]!)).toEqual([1, 2, 3]);
    expect(Array.from(e[1]!)).toEqual([3, 5]); // y[2]-y[0], y[3]-y[1]
    // A later step is never narrower than an earlier one.
    expect(Array.from(conformalHalfWidths([Float64Array.of(5), Float64Array.of(1)], 0.5))).toEqual([5, 5]);
  });
  it('bounds cut at 0 for sales, ordered lo95 <= lo80 <= mean <= hi80 <= hi95', () => {
    const y = Float64Array.from({ length: 60 }, (_, t) => (t % 7 === 5 ? 0 : 10 + (t % 3)));
    const f = withIntervals(seasonalNaive.fit(y, 7), y, 14);
    expect(f.intervals).toBe('conformal');
    for (let i = 0; i < 14; i++) {
      expect(f.lo95[i]).toBeGreaterThanOrEqual(0);
      expect(f.lo95[i]).toBeLessThanOrEqual(f.lo80[i]!);
      expect(f.lo80[i]).toBeLessThanOrEqual(f.mean[i]!);
      expect(f.mean[i]).toBeLessThanOrEqual(f.hi80[i]!);
      expect(f.hi80[i]).toBeLessThanOrEqual(f.hi95[i]!);
    }
  });
});
