import { describe, expect, it } from 'vitest';
import { backtestOrigins, backtestSeries } from './backtest.js';
import { chooseFit, forecastSeries } from './forecast-series.js';
import { pastErrors } from './intervals.js';
import { forecasterByName } from './models.js';
import { scoreWindow, seasonalScale, summarise } from './metrics.js';
import type { Forecast } from './types.js';

/** A weekly pattern with a little noise (deterministic), 20 weeks. */
const weekly = Float64Array.from(
  { length: 140 },
  (_, t) => [10, 12, 14, 13, 20, 0, 5][t % 7]! + ((t * 7919) % 5) - 2 + (t % 7 === 5 ? 2 : 0),
);

function finite(f: Forecast): boolean {
  return [f.mean, f.lo80, f.hi80, f.lo95, f.hi95].every((a) => a.every(Number.isFinite));
}

/** Mean of every |error| in rows (per step) of errors. */
function meanOf(rows: Float64Array[]): number {
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    for (const v of r) sum += v;
    n += r.length;
  }
  return sum / n;
}

describe('auto chooses by out-of-sample backtest error', () => {
  // Flat at 100 (deterministic noise of -5..5) for 100 days, then rising 3 a day: the ramp is in
  // the backtest window (origins 70..139 at horizon 7: backtestStart(140, 7) = max(22, 70)).
  const ramp = Float64Array.from(
    { length: 140 },
    (_, t) => 100 + ((t * 37) % 11) - 5 + (t >= 100 ? 3 * (t - 100) : 0),
  );
  it('in-sample errors would pick the damped-trend ETS; out of sample seasonal naive wins', () => {
    // The premise: fitted on the whole series (the ramp included), ETS's past errors are far below
    // seasonal naive's: the choice the in-sample comparison made.
    const etsFull = forecasterByName('ets').fit(ramp, 7);
    const naiveFull = forecasterByName('seasonal-naive').fit(ramp, 7);
    expect(etsFull.model).toBe('ets(A,Ad,N)');
    expect(meanOf(pastErrors(etsFull, ramp, 7))).toBeLessThan(0.5 * meanOf(pastErrors(naiveFull, ramp, 7)));
    // Fitted on days 0..69 only, ETS has learnt a flat level and lags the ramp.
    const c = chooseFit(ramp, { model: 'auto', season: 7, horizon: 7 });
    expect(c.fit.model).toBe('seasonal-naive');
    expect(c.candidates!['seasonal-naive']).toBeLessThan(c.candidates!['ets(M,N,N)']!);
    // Seasonal naive's backtest error, recomputed by hand: every origin t in 70..139, every step
    // j < min(7, 140 - t), |y[t + j] - y[t - 7 + j]|.
    let sum = 0;
    let n = 0;
    for (let t = 70; t < 140; t++) {
      for (let j = 0; j < Math.min(7, 140 - t); j++) {
        sum += Math.abs(ramp[t + j]! - ramp[t - 7 + j]!);
        n++;
      }
    }
    expect(c.candidates!['seasonal-naive']).toBeCloseTo(sum / n, 10);
  });
  it('the winning variant is fitted again on the whole history; its backtest errors give the intervals', () => {
    const c = chooseFit(weekly, { model: 'auto', season: 7, horizon: 14 });
    expect(c.errors!.length).toBe(14);
    // Origins 70..139 (backtestStart(140, 14) = max(14, 70)): step 1 from 70 origins, step 14 from 57.
    expect(c.errors![0]!.length).toBe(70);
    expect(c.errors![13]!.length).toBe(57);
    expect(meanOf(c.errors!)).toBeCloseTo(c.candidates![c.fit.model]!, 10);
  });
});

describe('forecastSeries', () => {
  it('auto picks a seasonal model on a weekly pattern and says why', () => {
    const f = forecastSeries(weekly, { model: 'auto', season: 7, horizon: 14 });
    expect(f.candidates).toBeDefined();
    expect(Object.keys(f.candidates!)).toContain('seasonal-naive');
    expect(f.candidates![f.model]).toBe(Math.min(...Object.values(f.candidates!)));
    expect(f.candidates![f.model]).toBeLessThan(f.candidates!['moving-average']!);
    expect(f.mean.length).toBe(14);
    expect(finite(f)).toBe(true);
  });
  it('a series shorter than two seasons falls back with a note', () => {
    const f = forecastSeries(weekly.subarray(0, 10), { model: 'ets(A,Ad,A)', season: 7, horizon: 5 });
    expect(f.model).toMatch(/^ets\(/);
    expect(f.note).toBe('ets(A,Ad,A) needs 14 periods, the series has 10: ' + f.model + ' used instead');
    const g = forecastSeries(Float64Array.of(3, 4, 5), { model: 'ets', season: 7, horizon: 2 });
    expect(g.model).toBe('moving-average');
    expect(Array.from(g.mean)).toEqual([4, 4]);
    const a = forecastSeries(Float64Array.of(3, 4, 5, 6, 7), { model: 'auto', season: 7, horizon: 2 });
    expect(a.note).toBe('5 periods, fewer than two seasons (14): seasonal models left out');
  });
  it('leading zeros before the first sale are not fitted; the baselines count them', () => {
    const y = new Float64Array(30);
    y.set([4, 6], 28);
    // Croston from the first sale: z 4 then 4.2, p 1 then 1 -> 4.2 (from day 0 it would be 4.2 / 26.2).
    expect(forecastSeries(y, { model: 'croston', season: 7, horizon: 1 }).mean[0]).toBeCloseTo(4.2, 12);
    expect(forecastSeries(y, { model: 'moving-average', season: 7, horizon: 1 }).mean[0]).toBeCloseTo(
      10 / 28,
      12,
    );
  });
  it('bad input: one point, all zeros, non-finite values, horizons 0 and 10,000, unknown model', () => {
    expect(() => forecastSeries(Float64Array.of(5), { model: 'auto', season: 7, horizon: 3 })).toThrow(
      'a series needs at least 2 periods of history, got 1',
    );
    const z = forecastSeries(new Float64Array(50), { model: 'auto', season: 7, horizon: 3 });
    expect(z.model).toBe('zero');
    expect(z.note).toBe('no sales in the history: forecast 0');
    expect(Array.from(z.hi95)).toEqual([0, 0, 0]);
    expect(() => forecastSeries(Float64Array.of(1, NaN), { model: 'auto', season: 7, horizon: 3 })).toThrow(
      'value 1 of the series is not a finite number (NaN)',
    );
    expect(() => forecastSeries(weekly, { model: 'auto', season: 7, horizon: 0 })).toThrow(
      'horizon must be a whole number from 1 to 3660, got 0',
    );
    expect(() => forecastSeries(weekly, { model: 'auto', season: 7, horizon: 10_000 })).toThrow(/got 10000/);
    expect(() => forecastSeries(weekly, { model: 'prophet', season: 7, horizon: 3 })).toThrow(
      /unknown model "prophet": use one of auto, seasonal-naive/,
    );
  });
  it('negative sales (netted returns): intervals not cut at 0, output finite', () => {
    const y = Float64Array.from(weekly, (v, t) => (t % 11 === 0 ? -5 : v));
    const f = forecastSeries(y, { model: 'auto', season: 7, horizon: 28 });
    expect(finite(f)).toBe(true);
    expect(Math.min(...f.lo95)).toBeLessThan(0);
  });
});

describe('metrics and rolling origin, hand-computed', () => {
  it('MASE, WAPE, sMAPE, coverage of one window', () => {
    const train = Float64Array.of(1, 2, 3, 4); // seasonal scale (m=2): |3-1|, |4-2| -> 2
    expect(seasonalScale(train, 2)).toBe(2);
    const f: Forecast = {
      model: 'x',
      mean: Float64Array.of(4, 0),
      lo80: Float64Array.of(3, 0),
      hi80: Float64Array.of(5, 0),
      lo95: Float64Array.of(2, 0),
      hi95: Float64Array.of(6, 1),
      intervals: 'conformal',
    };
    const s = scoreWindow(train, Float64Array.of(6, 0), f, 2);
    expect(s.mase).toBe(0.5); // mean |e| = 1, / 2
    expect(s.smapeSum).toBeCloseTo((2 * 2) / 10, 12); // second point 0/0 counts 0
    expect([s.in80, s.in95]).toEqual([1, 2]);
    const sum = summarise([s, { ...s, mase: NaN }]);
    expect(sum.wape).toBeCloseTo(4 / 12, 12);
    expect(sum.mase).toBe(0.5);
    expect(sum.unscaled).toBe(1);
    expect(sum.coverage80).toBe(0.5);
  });
  it('origins a step apart ending at the last full horizon', () => {
    expect(backtestOrigins(100, { horizon: 14, origins: 3, step: 7, season: 7 })).toEqual([72, 79, 86]);
    expect(() => backtestOrigins(20, { horizon: 14, origins: 3, step: 7, season: 7 })).toThrow(
      /needs at least 30 periods/,
    );
    const scores = backtestSeries(
      weekly,
      (train, h) => forecastSeries(train, { model: 'seasonal-naive', season: 7, horizon: h }),
      {
        horizon: 14,
        origins: 4,
        step: 7,
        season: 7,
      },
    );
    expect(scores.length).toBe(4);
  });
});
