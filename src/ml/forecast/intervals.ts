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
}

/**
 * The absolute errors of the forecasts from the last `origins` origins t (y[0..t) known), step j
 * in row j: errors[j] holds those of step j+1 whose target is inside the series.
 */
export function pastErrors(
  fit: Fitted,
  y: Float64Array,
  h: number,
  origins = CONFORMAL_ORIGINS,
): Float64Array[] {
  const n = y.length;
  const first = Math.max(fit.firstOrigin, n - origins - h + 1, 1);
  const rows: number[][] = Array.from({ length: h }, () => []);
  const out = new Float64Array(h);
  for (let t = first; t < n; t++) {
    const steps = Math.min(h, n - t);
    fit.forecastFrom(t, steps, out);
    for (let j = 0; j < steps; j++) rows[j]!.push(Math.abs(y[t + j]! - out[j]!));
  }
  return rows.map((r) => Float64Array.from(r));
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
    const errors = pastErrors(fit, y, h);
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
