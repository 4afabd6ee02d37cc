import { describe, expect, it } from 'vitest';
import { fitElasticity, weekdayOf } from './elasticity.js';

describe('fitElasticity', () => {
  it('hand-computed: 4 days, trend control, residual orthogonal to the design', () => {
    // Days 0..3 (trend -1.5..1.5 days around the mean); log price = log 10 + x with
    // x = 0.1 [1, -1, -1, 1], orthogonal to the intercept and the trend, so its residual is x itself.
    // log units = log 50 + 0.05 t - 2 x + e with e = 0.01 [1, -3, 3, -1], orthogonal to all three:
    // b = -2 exactly; s^2 = sum e^2 / (4 - 3) = 0.002; se = sqrt(0.002 / sum x^2) = sqrt(0.002 / 0.04).
    const x = [0.1, -0.1, -0.1, 0.1];
    const e = [0.01, -0.03, 0.03, -0.01];
    const day = Int32Array.of(0, 1, 2, 3);
    const price = Float64Array.from(x, (v) => 10 * Math.exp(v));
    const units = Float64Array.from(x, (v, i) => 50 * Math.exp(0.05 * (i - 1.5) - 2 * v + e[i]!));
    const f = fitElasticity({ day, units, price }, { minDays: 4 });
    expect(f.status).toBe('estimated');
    if (f.status !== 'estimated') return;
    const se = Math.sqrt(0.002 / 0.04); // 0.2236
    expect(f.elasticity).toBeCloseTo(-2, 12);
    expect(f.se).toBeCloseTo(se, 12);
    expect(f.df).toBe(1);
    // t(0.975, 1 df) = tan(0.475 pi) = 12.706204736174696: the interval is wide, as 4 days deserve.
    expect(f.ci95[0]).toBeCloseTo(-2 - 12.706204736174696 * se, 8);
    expect(f.ci95[1]).toBeCloseTo(-2 + 12.706204736174696 * se, 8);
    expect(f.priceSd).toBeCloseTo(0.1, 12);
    expect(f.controls).toEqual(['trend']);
    expect([f.priceMin, f.priceMax]).toEqual([10 * Math.exp(-0.1), 10 * Math.exp(0.1)]);
  });

  it('the weekday control: cheaper and busier weekends are not read as a price effect', () => {
    // 8 weeks; units = 100 p^-1.5 x 2 on weekends, price 10% lower on weekends and moving within the week.
    const n = 56;
    const day = Int32Array.from({ length: n }, (_, i) => 19723 + i); // 2024-01-01, a Monday
    expect(weekdayOf(19723)).toBe(0);
    const weekend = (d: number): boolean => weekdayOf(d) >= 5;
    const price = Float64Array.from(
      day,
      (d, i) => 10 * (1 + 0.1 * Math.cos(i * 2.3)) * (weekend(d) ? 0.9 : 1),
    );
    const units = Float64Array.from(day, (d, i) => 100 * price[i]! ** -1.5 * (weekend(d) ? 2 : 1));
    const f = fitElasticity({ day, units, price });
    expect(f.status === 'estimated' && f.controls).toEqual(['trend', 'weekday']);
    expect(f.status === 'estimated' && f.elasticity).toBeCloseTo(-1.5, 9);
    // Without the weekday dummies the busy weekends make demand look far more elastic.
    const naive = fitElasticity({ day, units, price }, { weekdayFromDays: Infinity });
    expect(naive.status === 'estimated' && naive.elasticity).toBeLessThan(-3);
  });

  it('not enough price variation: one price, or a move below 2% beyond trend and weekday', () => {
    const day = Int32Array.from({ length: 12 }, (_, i) => i);
    const units = Float64Array.from(day, (d) => 5 + (d % 3));
    const one = fitElasticity({ day, units, price: new Float64Array(12).fill(4.5) });
    expect(one).toMatchObject({
      status: 'not_enough_price_variation',
      reason: 'not enough price variation: the price was 4.5 on all 12 days with sales',
      priceMin: 4.5,
      priceMax: 4.5,
    });
    const tiny = fitElasticity({ day, units, price: Float64Array.from(day, (d) => (d % 2 ? 4.5 : 4.55)) });
    expect(tiny.status).toBe('not_enough_price_variation');
    expect(tiny.status !== 'estimated' && tiny.reason).toMatch(
      /varies by 0\.\d% \(standard deviation\) beyond the trend, below the 2%/,
    );
  });

  it('too few days, and bad observations named by position', () => {
    const f = fitElasticity({
      day: Int32Array.of(1, 2),
      units: Float64Array.of(1, 2),
      price: Float64Array.of(1, 2),
    });
    expect(f).toMatchObject({
      status: 'too_few_days',
      reason: '2 days with sales, fewer than the 10 an elasticity needs',
    });
    expect(() =>
      fitElasticity({ day: Int32Array.of(1, 2), units: Float64Array.of(1, 0), price: Float64Array.of(1, 2) }),
    ).toThrow('units on observation 1 must be a positive number, got 0');
    expect(() =>
      fitElasticity({
        day: Int32Array.of(1, 2),
        units: Float64Array.of(1, 1),
        price: Float64Array.of(NaN, 2),
      }),
    ).toThrow('price on observation 0 must be a positive number, got NaN');
  });
});
