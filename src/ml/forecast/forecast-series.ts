/**
 * @module ml/forecast/forecast-series
 * One series in, one forecast with 80%/95% intervals out: the entry point the task, the CLI and the
 * backtest share. What it does beyond the models:
 * - checks the input (finite values, at least 2 periods, a horizon of 1..MAX_HORIZON);
 * - an all-zero history forecasts 0 with zero-width intervals (model `zero`, with a note);
 * - leading zeros (before a product's first sale) are dropped before fitting a model (not the
 *   baselines: a merchant's four-week average counts the days without a sale);
 * - a series too short for the model asked for falls back (ETS by AICc among the variants its
 *   length allows, then the moving average) and says so in `note`;
 * - `auto` chooses among seasonal naive, the 28-day moving average, ETS (AICc), Theta and, when
 *   at least half the periods have no sale, SBA and TSB by backtest error: each is fitted on the
 *   history before the backtest window (the last CONFORMAL_ORIGINS + h - 1 origins) and forecasts
 *   from every origin of the window with those parameters; the lowest mean absolute error over
 *   those out-of-sample forecasts (all steps 1..h) wins and is fitted again on the whole history;
 * - fitted models skip weekdays without a sale in each of the last 8 weeks (closed-days.ts) and
 *   forecast 0 there;
 * - intervals: analytic where the model has them, else conformal from the same backtest errors
 *   (for a model asked for by name: from its past errors);
 *   a series with no negative value gets bounds and mean cut at 0.
 */
import { checkHorizon, checkSeries } from './check-series.js';
import { closedSlots, fitOpenDays } from './closed-days.js';
import { croston } from './croston.js';
import { etsAuto } from './ets-select.js';
import { backtestStart, errorsFrom, withIntervals } from './intervals.js';
import { forecasterByName, movingAverageBaseline } from './models.js';
import { seasonalNaive } from './simple.js';
import { theta } from './theta.js';
import type { Fitted, Forecast, Forecaster } from './types.js';
import { ForecastInputError } from './types.js';

export interface ForecastSeriesOptions {
  /** `auto` or a name from models.ts. */
  readonly model: string;
  /** Seasonal period (7 for daily sales, 52 for weekly, 1 for none). */
  readonly season: number;
  readonly horizon: number;
}

export interface SeriesForecast extends Forecast {
  /** For `auto`: each candidate's mean absolute past error (the choice's evidence). */
  readonly candidates?: Record<string, number>;
}

/** The fewest periods a series needs: below it nothing can be said about its spread. */
export const MIN_HISTORY = 2;

function meanAbs(rows: Float64Array[]): number {
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    for (const v of r) sum += v;
    n += r.length;
  }
  return n > 0 ? sum / n : Infinity;
}

/** The baselines: fitted on the whole history, leading zeros included. */
const BASELINES = new Set([seasonalNaive.name, movingAverageBaseline.name]);

function autoCandidates(series: Float64Array, sinceFirstSale: Float64Array, m: number): Forecaster[] {
  let zeros = 0;
  for (const v of sinceFirstSale) if (v === 0) zeros++;
  const list = [seasonalNaive, movingAverageBaseline, etsAuto, theta];
  if (zeros * 2 >= sinceFirstSale.length) list.push(croston('sba'), croston('tsb'));
  return list.filter((f) => series.length >= f.minLength(m));
}

/** The model `forecastSeries` would use for a series, fitted, with the history it was fitted on. */
export interface ChosenFit {
  readonly fit: Fitted;
  /** The history the model was fitted on (the series, or the series from its first sale). */
  readonly y: Float64Array;
  readonly nonNegative: boolean;
  readonly note?: string;
  readonly candidates?: Record<string, number>;
  /** For `auto`: the chosen model's backtest errors per step (its conformal intervals' evidence). */
  readonly errors?: Float64Array[];
  /**
   * For `auto`: the chosen model as it was judged, fitted on the periods before the backtest window
   * (`start` in `y`) and extended over it with those parameters: its forecasts from the window's
   * origins are out of sample, which the refitted `fit`'s are not (the reorder plan's safety stock).
   */
  readonly backtest?: { readonly fit: Fitted; readonly start: number };
}

/** A fitted "model" for a history without a sale: 0 everywhere. */
function zeroFit(): Fitted {
  return {
    model: 'zero',
    firstOrigin: 1,
    forecast: (h) => new Float64Array(h),
    forecastFrom: (_t, h, out) => out.fill(0, 0, h),
    variance: () => null,
    extend: () => zeroFit(),
  };
}

/**
 * `auto`: every candidate is fitted on the history before the backtest window (intervals.ts
 * backtestStart, the same window the global GBDT is calibrated on), extended with the same
 * parameters over the window, and scored by the mean absolute error of its forecasts from each
 * origin of the window: out of sample, as the GBDT's error is. The winner is fitted again on the
 * whole history (the variant chosen: `ets` keeps the ETS variant that won) and its backtest errors
 * give its conformal intervals. A series with too little history before the window for any
 * candidate gets ETS by AICc (or the moving average) without a backtest, and a note.
 */
function chooseByBacktest(
  series: Float64Array,
  trimmed: Float64Array,
  nonNegative: boolean,
  m: number,
  h: number,
  historyFor: (f: Forecaster) => Float64Array,
  fitModel: (f: Forecaster, y: Float64Array) => Fitted,
): ChosenFit {
  const start = backtestStart(series.length, h);
  let best: {
    f: Forecaster;
    model: string;
    y: Float64Array;
    errors: Float64Array[];
    error: number;
    extended: Fitted;
    start: number;
  } | null = null;
  const candidates: Record<string, number> = {};
  for (const f of autoCandidates(series, trimmed, m)) {
    const y = historyFor(f);
    // The window is the same days for every candidate: y may start later (at the first sale).
    const s = start - (series.length - y.length);
    if (s < Math.max(f.minLength(m), MIN_HISTORY)) continue;
    const prefixFit = fitModel(f, y.subarray(0, s));
    const extended = prefixFit.extend(y);
    const errors = errorsFrom(extended, y, h, s);
    const error = meanAbs(errors);
    if (!Number.isFinite(error)) continue;
    candidates[prefixFit.model] = error;
    if (!best || error < best.error)
      best = { f, model: prefixFit.model, y, errors, error, extended, start: s };
  }
  const short =
    series.length < 2 * m
      ? `${series.length} periods, fewer than two seasons (${2 * m}): seasonal models left out`
      : undefined;
  if (!best) {
    const fallback = trimmed.length >= etsAuto.minLength(m) ? etsAuto : movingAverageBaseline;
    const y = historyFor(fallback);
    const fit = fitModel(fallback, y);
    const note = `${trimmed.length} periods since the first sale, too few before the backtest window for a choice: ${fit.model} used`;
    return { fit, y, nonNegative, note: short ? `${short}; ${note}` : note };
  }
  let fit: Fitted;
  try {
    fit = fitModel(forecasterByName(best.model), best.y);
  } catch (e) {
    // The variant that won before the window may not fit the whole history (a multiplicative
    // model and a first zero inside the window): the candidate's family chooses again.
    if (!(e instanceof ForecastInputError)) throw e;
    fit = fitModel(best.f, best.y);
  }
  return {
    fit,
    y: best.y,
    nonNegative,
    candidates,
    errors: best.errors,
    backtest: { fit: best.extended, start: best.start },
    ...(short ? { note: short } : {}),
  };
}

/**
 * Checks the input and fits the model asked for (or auto's choice, judged on `horizon`-step
 * errors); what forecastSeries and the reorder plan share.
 */
export function chooseFit(series: Float64Array, options: ForecastSeriesOptions): ChosenFit {
  checkSeries(series);
  checkHorizon(options.horizon);
  const { season: m, horizon: h } = options;
  if (!Number.isInteger(m) || m < 1)
    throw new ForecastInputError(`season must be a whole number >= 1, got ${m}`);
  if (series.length < MIN_HISTORY) {
    throw new ForecastInputError(
      `a series needs at least ${MIN_HISTORY} periods of history, got ${series.length}`,
    );
  }
  const nonNegative = series.every((v) => v >= 0);
  let first = series.findIndex((v) => v !== 0);
  if (first < 0) {
    return { fit: zeroFit(), y: series, nonNegative, note: 'no sales in the history: forecast 0' };
  }
  first = Math.min(first, series.length - MIN_HISTORY);
  const trimmed = series.subarray(first);
  // Baselines see every period (a merchant's four-week average counts the days without a sale);
  // fitted models start at the first sale when that leaves them enough periods.
  const historyFor = (f: Forecaster): Float64Array =>
    BASELINES.has(f.name) || trimmed.length < f.minLength(m) ? series : trimmed;
  // Fitted models skip the weekdays the shop does not trade (closed-days.ts); baselines do not.
  const fitModel = (f: Forecaster, y: Float64Array): Fitted => {
    const closed = BASELINES.has(f.name) ? null : closedSlots(y, m);
    return closed && y.length - Math.ceil(y.length / m) * closed.filter(Boolean).length >= f.minLength(m)
      ? fitOpenDays(f, y, m, closed)
      : f.fit(y, m);
  };
  if (options.model === 'auto')
    return chooseByBacktest(series, trimmed, nonNegative, m, h, historyFor, fitModel);
  const asked = forecasterByName(options.model);
  if (series.length >= asked.minLength(m)) {
    const y = historyFor(asked);
    return { fit: fitModel(asked, y), y, nonNegative };
  }
  const fallback = series.length >= etsAuto.minLength(m) ? etsAuto : movingAverageBaseline;
  const fit = fallback.fit(series, m);
  const note = `${asked.name} needs ${asked.minLength(m)} periods, the series has ${series.length}: ${fit.model} used instead`;
  return { fit, y: series, nonNegative, note };
}

export function forecastSeries(series: Float64Array, options: ForecastSeriesOptions): SeriesForecast {
  const c = chooseFit(series, options);
  const f = withIntervals(c.fit, c.y, options.horizon, {
    nonNegative: c.nonNegative,
    ...(c.note ? { note: c.note } : {}),
    ...(c.errors ? { errors: c.errors } : {}),
  });
  return c.candidates ? { ...f, candidates: c.candidates } : f;
}
