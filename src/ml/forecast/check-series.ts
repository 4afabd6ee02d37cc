/**
 * @module ml/forecast/check-series
 * The input checks every entry point runs, so a bad series or horizon gets a clear error instead
 * of NaN in the output.
 */
import { ForecastInputError } from './types.js';

/** The largest horizon accepted: about ten years of days; beyond it a forecast means nothing. */
export const MAX_HORIZON = 3660;

export function checkHorizon(h: number): void {
  if (!Number.isInteger(h) || h < 1 || h > MAX_HORIZON) {
    throw new ForecastInputError(`horizon must be a whole number from 1 to ${MAX_HORIZON}, got ${h}`);
  }
}

export function checkSeries(y: Float64Array): void {
  if (y.length === 0) throw new ForecastInputError('the series is empty');
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (!Number.isFinite(v))
      throw new ForecastInputError(`value ${i} of the series is not a finite number (${v})`);
  }
}
