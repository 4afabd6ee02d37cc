import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { chooseWithGlobal } from './global-choice.js';
import { featureCount, SeriesView, writeRow, type GlobalCalendar } from './global-features.js';
import { globalGbdtForecast } from './global-gbdt.js';
import type { SeriesForecast } from './forecast-series.js';

/** Weekday factors (day 0 is a Monday) and a holiday that multiplies the day's sales by 2.5. */
const WEEKDAY = [1, 1.2, 1.1, 1.3, 1.6, 0.6, 0.4];
const HOLIDAY = 2.5;
/** Holidays on several weekdays; none within 28 days before day 364 (the origin), one at day 368. */
const HOLIDAYS = new Set([20, 75, 130, 190, 245, 300, 320, 368]);
const DAYS = 364;
const H = 14;
const SERIES = 30;

function calendar(days: number): GlobalCalendar {
  const values = new Float32Array(days * 2);
  for (let d = 0; d < days; d++) {
    values[2 * d] = d % 7;
    values[2 * d + 1] = HOLIDAYS.has(d) ? 1 : 0;
  }
  return { values, cols: 2, names: ['weekday', 'holiday'] };
}

const truth = (i: number, d: number): number => (5 + i) * WEEKDAY[d % 7]! * (HOLIDAYS.has(d) ? HOLIDAY : 1);

describe('globalGbdtForecast', () => {
  // The history carries +-10% multiplicative noise (seeded); the forecast is checked against the
  // noise-free truth.
  const rng = new Rng(7);
  const values = new Float64Array(SERIES * DAYS);
  for (let i = 0; i < SERIES; i++)
    for (let d = 0; d < DAYS; d++) values[i * DAYS + d] = truth(i, d) * (0.9 + 0.2 * rng.float());
  const g = globalGbdtForecast(
    { values, length: DAYS, count: SERIES, calendar: calendar(DAYS + H) },
    { horizon: H, maxRows: 30_000 },
  );

  it('recovers the weekday pattern of every series (within 12%)', () => {
    for (let i = 0; i < SERIES; i++) {
      const f = g.series[i]!;
      expect(f.model).toBe('gbdt');
      for (let k = 0; k < H; k++) {
        const d = DAYS + k;
        if (HOLIDAYS.has(d)) continue;
        expect(Math.abs(f.mean[k]! / truth(i, d) - 1)).toBeLessThan(0.12);
      }
    }
  });

  it('recovers the holiday effect: the Friday holiday of the horizon is x2.5 the Friday after it', () => {
    // Day 368 is a Friday holiday; the next Friday (day 375) is not. Seasonal naive would say x1.
    for (let i = 0; i < SERIES; i++) {
      const f = g.series[i]!;
      const ratio = f.mean[368 - DAYS]! / f.mean[375 - DAYS]!;
      expect(ratio).toBeGreaterThan(2.1);
      expect(ratio).toBeLessThan(2.9);
    }
  });

  it('intervals: ordered, finite, conformal; an error for auto; the training size reported', () => {
    for (const f of g.series) {
      expect(f.intervals).toBe('conformal');
      expect(Number.isFinite(f.error)).toBe(true);
      for (let k = 0; k < H; k++) {
        const row = [f.lo95[k]!, f.lo80[k]!, f.mean[k]!, f.hi80[k]!, f.hi95[k]!];
        expect(row.every(Number.isFinite)).toBe(true);
        expect([...row].sort((a, b) => a - b)).toEqual(row);
      }
    }
    expect(g.trainRows).toBeGreaterThan(25_000);
    expect(g.trainRows).toBeLessThan(35_000);
    expect(g.calibrationOrigins).toBeGreaterThanOrEqual(4);
  });

  it('a series without a sale forecasts 0; too short a history and a short calendar are refused', () => {
    const withZero = new Float64Array(2 * 60);
    for (let d = 0; d < 60; d++) withZero[d] = 3 + (d % 7);
    const z = globalGbdtForecast({ values: withZero, length: 60, count: 2 }, { horizon: 3 });
    expect(z.series[1]!.model).toBe('zero');
    expect(Array.from(z.series[1]!.hi95)).toEqual([0, 0, 0]);
    expect(z.series[0]!.mean.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    expect(() =>
      globalGbdtForecast({ values: new Float64Array(20), length: 20, count: 1 }, { horizon: 3 }),
    ).toThrow('gbdt needs at least 32 days of history, the series have 20');
    expect(() =>
      globalGbdtForecast({ values, length: DAYS, count: SERIES, calendar: calendar(DAYS) }, { horizon: H }),
    ).toThrow(`the calendar has ${DAYS} days, the forecast needs ${DAYS + H}`);
    expect(() =>
      globalGbdtForecast({ values: Float64Array.of(1, NaN), length: 2, count: 1 }, { horizon: 1 }),
    ).toThrow('value 1 of series 0 is not a finite number (NaN)');
    expect(() => globalGbdtForecast({ values, length: DAYS, count: SERIES }, { horizon: 0 })).toThrow(
      'horizon must be a whole number from 1 to 3660, got 0',
    );
  });
});

describe('global features', () => {
  it('a row at origin t reads nothing from t on: values and prices changed after t give the same row', () => {
    const n = 80;
    const t = 50;
    const y = Float64Array.from({ length: n }, (_, d) => 3 + (d % 7) + (d % 5));
    const price = Float64Array.from({ length: n }, (_, d) => (d % 3 === 0 ? NaN : 2 + (d % 4) / 10));
    const y2 = y.slice();
    const p2 = price.slice();
    for (let d = t; d < n; d++) {
      y2[d] = 1e6;
      p2[d] = 1e6;
    }
    const cal: GlobalCalendar = {
      values: new Float32Array(n * 1).map((_, d) => d % 7),
      cols: 1,
      names: ['wd'],
    };
    const cols = featureCount(cal);
    for (let k = 1; k <= 28; k++) {
      const a = new Float32Array(cols);
      const b = new Float32Array(cols);
      const va = new SeriesView(y, price);
      const vb = new SeriesView(y2, p2);
      expect(vb.scale(t)).toBe(va.scale(t));
      writeRow(a, 0, va, t, k, va.scale(t), cal);
      writeRow(b, 0, vb, t, k, vb.scale(t), cal);
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });

  it('hand-computed lags, means and scale', () => {
    // y = 1, 2, ..., 40; origin 28: scale = mean(1..28) = 14.5.
    const y = Float64Array.from({ length: 40 }, (_, d) => d + 1);
    const v = new SeriesView(y, null);
    expect(v.scale(28)).toBe(14.5);
    const row = new Float32Array(featureCount(null));
    writeRow(row, 0, v, 28, 1, 14.5, null);
    // step 1: target day 28; lag 7 = y[21] = 22, lag 14 = y[14] = 15, lag 28 = y[0] = 1.
    expect(row[0]).toBe(1);
    expect(row[1]).toBeCloseTo(22 / 14.5, 6);
    expect(row[2]).toBeCloseTo(15 / 14.5, 6);
    expect(row[3]).toBeCloseTo(1 / 14.5, 6);
    // same weekday last = y[21]; mean of the last four on it: y[21], y[14], y[7], y[0] = 11.5.
    expect(row[4]).toBeCloseTo(22 / 14.5, 6);
    expect(row[5]).toBeCloseTo(11.5 / 14.5, 6);
    // last value 28, mean of the last 7 (22..28) = 25, of the last 28 = 14.5, no zero day.
    expect(row[6]).toBeCloseTo(28 / 14.5, 6);
    expect(row[7]).toBeCloseTo(25 / 14.5, 6);
    expect(row[8]).toBeCloseTo(1, 6);
    expect(row[10]).toBe(0);
    // No price: NaN (missing for the trees).
    expect(Number.isNaN(row[13]!)).toBe(true);
    // step 8: target day 35, lag 7 = day 28 is not before the origin: missing; the same weekday
    // last known is day 21 (y = 22).
    writeRow(row, 0, v, 28, 8, 14.5, null);
    expect(Number.isNaN(row[1]!)).toBe(true);
    expect(row[2]).toBeCloseTo(22 / 14.5, 6);
    expect(row[4]).toBeCloseTo(22 / 14.5, 6);
  });
});

describe('chooseWithGlobal', () => {
  const local = (errors: Record<string, number>): SeriesForecast => ({
    model: 'theta',
    mean: Float64Array.of(1),
    lo80: Float64Array.of(0),
    hi80: Float64Array.of(2),
    lo95: Float64Array.of(0),
    hi95: Float64Array.of(3),
    intervals: 'conformal',
    candidates: errors,
  });
  const global = {
    model: 'gbdt',
    mean: Float64Array.of(5),
    lo80: Float64Array.of(4),
    hi80: Float64Array.of(6),
    lo95: Float64Array.of(3),
    hi95: Float64Array.of(7),
    intervals: 'conformal' as const,
    error: 1.5,
  };
  it('the lower past error wins; the gbdt error joins the candidates either way', () => {
    const won = chooseWithGlobal(local({ theta: 2, 'seasonal-naive': 3 }), global);
    expect(won.model).toBe('gbdt');
    expect(Array.from(won.mean)).toEqual([5]);
    expect(won.candidates).toEqual({ theta: 2, 'seasonal-naive': 3, gbdt: 1.5 });
    expect('error' in won).toBe(false);
    const lost = chooseWithGlobal(local({ theta: 1 }), global);
    expect(lost.model).toBe('theta');
    expect(lost.candidates).toEqual({ theta: 1, gbdt: 1.5 });
  });
});
