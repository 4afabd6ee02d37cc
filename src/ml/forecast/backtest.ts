/**
 * @module ml/forecast/backtest
 * Rolling-origin evaluation (Tashman 2000): for each origin t, the model sees y[0..t) only and
 * forecasts y[t..t+h); origins `step` apart, the last at n - h (the last full horizon). Each window
 * is scored by metrics.ts; callers summarise per level.
 */
import type { Forecast } from './types.js';
import { scoreWindow, type WindowScore } from './metrics.js';
import { ForecastInputError } from './types.js';

export interface BacktestOptions {
  readonly horizon: number;
  readonly origins: number;
  readonly step: number;
  /** Period of the seasonal-naive scale of MASE (7 for daily). */
  readonly season: number;
}

/** The origins, oldest first; an error when the series cannot hold them with at least 2 training points. */
export function backtestOrigins(n: number, o: BacktestOptions): number[] {
  const last = n - o.horizon;
  const firstOrigin = last - o.step * (o.origins - 1);
  if (firstOrigin < 2) {
    throw new ForecastInputError(
      `a backtest of ${o.origins} origins ${o.step} apart with horizon ${o.horizon} needs at least ${o.horizon + o.step * (o.origins - 1) + 2} periods, the series has ${n}`,
    );
  }
  return Array.from({ length: o.origins }, (_, k) => firstOrigin + o.step * k);
}

/** Scores of `forecast` (called with each training window and the horizon) at every origin. */
export function backtestSeries(
  y: Float64Array,
  forecast: (train: Float64Array, horizon: number) => Forecast,
  o: BacktestOptions,
): WindowScore[] {
  return backtestOrigins(y.length, o).map((t) => {
    const train = y.subarray(0, t);
    return scoreWindow(train, y.subarray(t, t + o.horizon), forecast(train, o.horizon), o.season);
  });
}
