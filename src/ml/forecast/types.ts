/**
 * @module ml/forecast/types
 * The shapes every forecasting model shares. A model is fitted once on a series (a Float64Array of
 * equally spaced values, oldest first) and then answers two questions: the forecast for the next
 * `h` steps, and the forecasts it would have made from earlier origins with the same parameters
 * (what the conformal intervals and the `auto` choice are computed from, without refitting).
 */

/** A fitted model. */
export interface Fitted {
  /** The model's name with its chosen variant, e.g. `ets(A,Ad,A)`, `seasonal-naive`. */
  readonly model: string;
  /** Point forecasts for steps 1..h after the end of the series. */
  forecast(h: number): Float64Array;
  /**
   * Forecasts made at origin t (using y[0..t) and the fitted parameters) for steps 1..h, written
   * into `out` (length h). Origins run from `firstOrigin` to the series length.
   */
  forecastFrom(t: number, h: number, out: Float64Array): void;
  /** The earliest origin forecastFrom accepts. */
  readonly firstOrigin: number;
  /** Analytic variances of the 1..h-step forecast errors, or null when the model has none. */
  variance(h: number): Float64Array | null;
  /**
   * The same fitted parameters over a longer series whose first values are the ones it was fitted
   * on: forecastFrom(t) for t beyond the fitting series is then out of sample (the parameters never
   * saw y[t..]), what `auto`'s backtest scores (forecast-series.ts).
   */
  extend(y: Float64Array): Fitted;
}

/** A model family: a name and a fit. */
export interface Forecaster {
  readonly name: string;
  /** The shortest series it fits (season = the seasonal period, e.g. 7 for daily data). */
  minLength(season: number): number;
  fit(y: Float64Array, season: number): Fitted;
}

/** A forecast with its 80% and 95% intervals. */
export interface Forecast {
  readonly model: string;
  readonly mean: Float64Array;
  readonly lo80: Float64Array;
  readonly hi80: Float64Array;
  readonly lo95: Float64Array;
  readonly hi95: Float64Array;
  /** How the intervals were made. */
  readonly intervals: 'analytic' | 'conformal';
  /** Set when the model asked for was replaced (series too short) or something else worth telling. */
  readonly note?: string;
}

/** Thrown for input a model cannot use; the message says what and why. */
export class ForecastInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForecastInputError';
  }
}

/**
 * A Fitted for a model whose forecasts need no state beyond the series: `forecast(h)` is
 * `forecastFrom(n, h)`, and it has no analytic variance (intervals are conformal).
 */
export function statelessFit(
  model: string,
  n: number,
  firstOrigin: number,
  forecastFrom: (t: number, h: number, out: Float64Array) => void,
  extend: (y: Float64Array) => Fitted,
): Fitted {
  return {
    model,
    firstOrigin,
    forecastFrom,
    extend,
    forecast(h) {
      const out = new Float64Array(h);
      forecastFrom(n, h, out);
      return out;
    },
    variance: () => null,
  };
}
