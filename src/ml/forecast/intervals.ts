/**
 * @module ml/forecast/intervals
 * 80% and 95% prediction intervals. Analytic when the model gives forecast-error variances (normal
 * errors: mean ± z·sd); otherwise conformal: the empirical quantiles of the absolute h-step errors
 * the fitted model makes when it forecasts from earlier origins of the same series (split-conformal
 * with the finite-sample rank ceil((k+1)(1-a)) of k errors, per step of the horizon). For a series
 * that cannot be negative (sales) the bounds and the mean are cut at 0.
 */
import { normalQuantile } from '../special/normal.js';
import type { Fitted, Forecast } from './types.js';

/** How many past origins the conformal errors are taken from (the last ones, 16 weeks of days). */
export const CONFORMAL_ORIGINS = 112;

export interface IntervalOptions {
  /** Cut the mean and the bounds at 0 (default true: units and revenue). */
  readonly nonNegative?: boolean;
  readonly note?: string;
  /**
   * Past absolute errors per step to take conformal widths from (auto's out-of-sample backtest
   * errors of the chosen model); default: pastErrors of `fit` itself.
   */
  readonly errors?: Float64Array[];
}

/**
 * The first origin of `auto`'s backtest over a history of n periods at horizon h: the last
 * CONFORMAL_ORIGINS + h - 1 origins (CONFORMAL_ORIGINS of them with the whole horizon inside the
 * history), leaving at least half the history before it. Every candidate, the global GBDT included,
 * is fitted on the periods before it and scored on the forecasts from the origins after it.
 */
export function backtestStart(n: number, h: number): number {
  return Math.max(n - CONFORMAL_ORIGINS - h + 1, Math.floor(n / 2));
}

/**
 * The absolute errors of the forecasts from every origin t >= `start` (y[0..t) known), step j in
 * row j: errors[j] holds those of step j+1 whose target is inside the series.
 */
export function errorsFrom(fit: Fitted, y: Float64Array, h: number, start: number): Float64Array[] {
  const n = y.length;
  const first = Math.max(fit.firstOrigin, start, 1);
  const rows: number[][] = Array.from({ length: h }, () => []);
  const out = new Float64Array(h);
  for (let t = first; t < n; t++) {
    const steps = Math.min(h, n - t);
    fit.forecastFrom(t, steps, out);
    for (let j = 0; j < steps; j++) rows[j]!.push(Math.abs(y[t + j]! - out[j]!));
  }
  return rows.map((r) => Float64Array.from(r));
}

/**
 * The absolute errors of the forecasts from the last `origins` origins t (y[0..t) known), step j
 * in row j (errorsFrom from the origin `origins + h - 1` before the end).
 */
export function pastErrors(
  fit: Fitted,
  y: Float64Array,
  h: number,
  origins = CONFORMAL_ORIGINS,
): Float64Array[] {
  return errorsFrom(fit, y, h, y.length - origins - h + 1);
}

/** The conformal quantile of sorted-ascending |errors| at coverage 1-a; Infinity when too few errors. */
export function conformalQuantile(sorted: Float64Array, coverage: number): number {
  const k = sorted.length;
  const rank = Math.ceil((k + 1) * coverage);
  if (k === 0 || rank > k) return k === 0 ? NaN : sorted[k - 1]!;
  return sorted[rank - 1]!;
}

/** Half-widths per step from past errors; a step with no errors of its own borrows the nearest earlier one. */
export function conformalHalfWidths(errors: Float64Array[], coverage: number): Float64Array {
  const out = new Float64Array(errors.length);
  let last = 0;
  for (let j = 0; j < errors.length; j++) {
    const e = errors[j]!;
    if (e.length > 0) {
      const sorted = Float64Array.from(e).sort();
      last = conformalQuantile(sorted, coverage);
      // A later step is never surer than an earlier one.
      if (j > 0) last = Math.max(last, out[j - 1]!);
    }
    out[j] = last;
  }
  return out;
}

/** Forecast plus intervals for a fitted model. */
export function withIntervals(
  fit: Fitted,
  y: Float64Array,
  h: number,
  options: IntervalOptions = {},
): Forecast {
  const nonNegative = options.nonNegative ?? true;
  const mean = fit.forecast(h);
  const variance = fit.variance(h);
  let w80: Float64Array;
  let w95: Float64Array;
  if (variance) {
    const z80 = normalQuantile(0.9);
    const z95 = normalQuantile(0.975);
    w80 = variance.map((v) => z80 * Math.sqrt(v));
    w95 = variance.map((v) => z95 * Math.sqrt(v));
  } else {
    const errors = options.errors ?? pastErrors(fit, y, h);
    w80 = conformalHalfWidths(errors, 0.8);
    w95 = conformalHalfWidths(errors, 0.95);
  }
  const cut = (v: number): number => (nonNegative ? Math.max(0, v) : v);
  const pointwise = (f: (i: number) => number): Float64Array =>
    Float64Array.from({ length: h }, (_, i) => cut(f(i)));
  return {
    model: fit.model,
    mean: pointwise((i) => mean[i]!),
    lo80: pointwise((i) => mean[i]! - w80[i]!),
    hi80: pointwise((i) => mean[i]! + w80[i]!),
    lo95: pointwise((i) => mean[i]! - w95[i]!),
    hi95: pointwise((i) => mean[i]! + w95[i]!),
    intervals: variance ? 'analytic' : 'conformal',
    ...(options.note ? { note: options.note } : {}),
  };
}

/**
 * Signed one-step errors y[t] - forecastFrom(t, 1) for the last `origins` t of the series (oldest
 * first; 0 where t is before the model's first origin): the in-sample errors a reconciliation's
 * covariance is estimated from.
 */
export function oneStepResiduals(fit: Fitted, y: Float64Array, origins: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(origins);
  const one = new Float64Array(1);
  for (let k = 0; k < origins; k++) {
    const t = n - origins + k;
    if (t < Math.max(1, fit.firstOrigin)) continue;
    fit.forecastFrom(t, 1, one);
    out[k] = y[t]! - one[0]!;
  }
  return out;
}
