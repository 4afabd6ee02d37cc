/**
 * @module ml/forecast/global-gbdt
 * The global GBDT (the M5 competition's winning approach): one gradient-boosted regression model
 * (ml/gbdt) over every series of a level, direct multi-horizon (rows in global-features.ts: lags
 * known at the origin, rolling means, the calendar of the target day, price, series statistics,
 * the step). Trained on squared error of the scaled value.
 *
 * Training rows: every series, every origin t with at least MIN_ORIGIN days before it and a sale
 * before it, every step whose target day is inside the training window; when there are more than
 * `maxRows`, an evenly random (seeded) sample of them.
 *
 * Intervals, conformal from backtest residuals: a first model is trained on the days before
 * `auto`'s backtest window (intervals.ts backtestStart, the window every per-series candidate is
 * fitted before and scored on too), forecasts from origins spread evenly over that window (as many as CALIBRATION_PREDICTIONS
 * rows allow, at least MIN_CALIBRATION_ORIGINS), and its absolute errors, per series, give the
 * half-widths (the conformal rank ceil((k + 1)(1 - a)) of k errors, the same at every step; a
 * series with fewer than MIN_SERIES_ERRORS errors takes the quantile of every series' errors over
 * their scale, times its own scale). Their mean is the series' `error`, what `auto` compares with
 * the other models' past errors. Then the model is trained again on the whole history and forecasts.
 *
 * @example
 *   const g = globalGbdtForecast({ values, length: 365, count: 50, calendar, price }, { horizon: 28 });
 *   g.series[0].mean; // 28 days
 */
import { Rng } from '../../core/random.js';
import { predictGbdt, trainGbdt, type GbdtModel, type GbdtParams } from '../gbdt/index.js';
import { checkHorizon } from './check-series.js';
import { featureCount, SeriesView, writeRow, type GlobalCalendar } from './global-features.js';
import { backtestStart, conformalQuantile } from './intervals.js';
import type { Forecast } from './types.js';
import { ForecastInputError } from './types.js';

/** The model's name in the CLI, the backtest and `auto+gbdt`'s candidates. */
export const GLOBAL_MODEL = 'gbdt';

/**
 * `auto` with the global GBDT among its candidates over a daily level (global-choice.ts): opt-in,
 * since on Online Retail it made auto's backtest error worse at every level (docs/forecasting.md).
 */
export const AUTO_WITH_GLOBAL = 'auto+gbdt';

export const GLOBAL_GBDT_PARAMS: Partial<GbdtParams> = {
  objective: 'regression',
  rounds: 100,
  learningRate: 0.1,
  maxDepth: 6,
  // At least 20 rows in a leaf: a single wholesale spike does not get a leaf of its own.
  minChildHessian: 20,
  lambda: 1,
  seed: 1,
  // The calling thread only: a level's per-series fits run on the worker threads meanwhile.
  threads: 0,
};

/** Training rows at most (sampled beyond it). */
export const MAX_TRAIN_ROWS = 60_000;
/** Days of history an origin needs before it makes a training row. */
export const MIN_ORIGIN = 14;
/** Rows the calibration forecasts may take (series x origins x steps). */
export const CALIBRATION_PREDICTIONS = 500_000;
export const MIN_CALIBRATION_ORIGINS = 4;
/** Errors a series needs for intervals of its own. */
export const MIN_SERIES_ERRORS = 20;

export interface GlobalInput {
  /** Row-major count x length. */
  readonly values: Float64Array;
  readonly length: number;
  readonly count: number;
  /** count x length, the price of each day (NaN or 0: none). */
  readonly price?: Float64Array | null;
  /** Per day from the series' first day, at least history + horizon days. */
  readonly calendar?: GlobalCalendar | null;
}

export interface GlobalOptions {
  readonly horizon: number;
  /** Days of each series the model may see: [0, history). Default: all (length). The backtest's origin. */
  readonly history?: number;
  readonly maxRows?: number;
}

export interface GlobalSeriesForecast extends Forecast {
  /** Mean absolute error of the calibration forecasts (NaN when there were none). */
  readonly error: number;
}

export interface GlobalForecast {
  readonly series: GlobalSeriesForecast[];
  /** Rows of the final model's training. */
  readonly trainRows: number;
  /** Seconds the two trainings took (calibration and final). */
  readonly trainSeconds: number;
  readonly calibrationOrigins: number;
}

const ZERO_NOTE = 'no sales in the history: forecast 0';

function views(input: GlobalInput): SeriesView[] {
  return Array.from({ length: input.count }, (_, i) => {
    const from = i * input.length;
    const y = input.values.subarray(from, from + input.length);
    const p = input.price ? input.price.subarray(from, from + input.length) : null;
    return new SeriesView(y, p);
  });
}

/** Trains on targets before `end`; null when no origin qualifies. */
function trainAt(
  vs: SeriesView[],
  end: number,
  h: number,
  calendar: GlobalCalendar | null,
  maxRows: number,
): { model: GbdtModel; rows: number } | null {
  const firstOrigin = (v: SeriesView): number => Math.max(MIN_ORIGIN, v.first + 1);
  let candidates = 0;
  for (const v of vs) {
    for (let t = firstOrigin(v); t < end; t++) candidates += Math.min(h, end - t);
  }
  if (candidates === 0) return null;
  const keep = Math.min(1, maxRows / candidates);
  const rng = new Rng(1);
  const picked: number[] = [];
  vs.forEach((v, i) => {
    for (let t = firstOrigin(v); t < end; t++) {
      for (let k = 1; k <= Math.min(h, end - t); k++) {
        if (keep < 1 && rng.float() >= keep) continue;
        picked.push(i, t, k);
      }
    }
  });
  const rows = picked.length / 3;
  if (rows === 0) return null;
  const cols = featureCount(calendar);
  const features = new Float32Array(rows * cols);
  const labels = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const v = vs[picked[3 * r]!]!;
    const t = picked[3 * r + 1]!;
    const k = picked[3 * r + 2]!;
    const scale = v.scale(t);
    writeRow(features, r * cols, v, t, k, scale, calendar);
    labels[r] = v.y[t + k - 1]! / scale;
  }
  return { model: trainGbdt({ features, rows, cols, labels, params: GLOBAL_GBDT_PARAMS }), rows };
}

/** Forecasts of every series from origin t, steps 1..h (0 for a series without a sale before t). */
function predictFrom(
  model: GbdtModel,
  vs: SeriesView[],
  t: number,
  h: number,
  calendar: GlobalCalendar | null,
): Float64Array[] {
  const cols = featureCount(calendar);
  const selling = vs.map((v, i) => (v.first < t ? i : -1)).filter((i) => i >= 0);
  const features = new Float32Array(selling.length * h * cols);
  selling.forEach((i, j) => {
    const v = vs[i]!;
    const scale = v.scale(t);
    for (let k = 1; k <= h; k++) writeRow(features, (j * h + k - 1) * cols, v, t, k, scale, calendar);
  });
  const pred = predictGbdt(model, features, selling.length * h);
  const out = vs.map(() => new Float64Array(h));
  selling.forEach((i, j) => {
    const v = vs[i]!;
    const scale = v.scale(t);
    const cut = v.nonNegative(t);
    for (let k = 0; k < h; k++) {
      const f = pred[j * h + k]! * scale;
      out[i]![k] = cut ? Math.max(0, f) : f;
    }
  });
  return out;
}

export function globalGbdtForecast(input: GlobalInput, options: GlobalOptions): GlobalForecast {
  const h = options.horizon;
  checkHorizon(h);
  const n = options.history ?? input.length;
  if (!Number.isInteger(n) || n < 1 || n > input.length) {
    throw new ForecastInputError(`history must be a whole number from 1 to ${input.length}, got ${n}`);
  }
  if (input.values.length !== input.count * input.length) {
    throw new ForecastInputError(
      `${input.values.length} values is not ${input.count} series x ${input.length} days`,
    );
  }
  for (let i = 0; i < input.values.length; i++) {
    if (!Number.isFinite(input.values[i]!)) {
      const s = Math.floor(i / input.length);
      throw new ForecastInputError(
        `value ${i - s * input.length} of series ${s} is not a finite number (${input.values[i]})`,
      );
    }
  }
  const calendar = input.calendar ?? null;
  if (calendar && calendar.values.length < (n + h) * calendar.cols) {
    throw new ForecastInputError(
      `the calendar has ${calendar.values.length / calendar.cols} days, the forecast needs ${n + h}`,
    );
  }
  // Calibration origins: auto's backtest window (the per-series candidates are fitted before it and
  // scored after it too), leaving at least half of the history to train the calibration model on.
  const calStart = backtestStart(n, h);
  if (calStart <= MIN_ORIGIN + 1) {
    throw new ForecastInputError(
      `${GLOBAL_MODEL} needs at least ${2 * (MIN_ORIGIN + 2)} days of history, the series have ${n}`,
    );
  }
  const vs = views(input);
  const maxRows = options.maxRows ?? MAX_TRAIN_ROWS;
  const started = performance.now();
  const cal = trainAt(vs, calStart, h, calendar, maxRows);
  if (!cal) {
    throw new ForecastInputError(
      `${GLOBAL_MODEL}: no series sold anything in the first ${calStart} days, nothing to learn from`,
    );
  }
  let trainMs = performance.now() - started;

  const window = n - calStart;
  const perOrigin = input.count * h;
  const origins = Math.min(
    window,
    Math.max(MIN_CALIBRATION_ORIGINS, Math.floor(CALIBRATION_PREDICTIONS / perOrigin)),
  );
  const errors: number[][] = vs.map(() => []);
  const relative: number[] = [];
  for (let j = 0; j < origins; j++) {
    const t = calStart + Math.floor((j * window) / origins);
    const steps = Math.min(h, n - t);
    const f = predictFrom(cal.model, vs, t, steps, calendar);
    vs.forEach((v, i) => {
      if (v.first >= t) return;
      const scale = v.scale(t);
      for (let k = 0; k < steps; k++) {
        const e = Math.abs(v.y[t + k]! - f[i]![k]!);
        errors[i]!.push(e);
        relative.push(e / scale);
      }
    });
  }
  const pooled = Float64Array.from(relative).sort();

  const t0 = performance.now();
  const final = trainAt(vs, n, h, calendar, maxRows)!;
  trainMs += performance.now() - t0;
  const means = predictFrom(final.model, vs, n, h, calendar);

  const series = vs.map((v, i): GlobalSeriesForecast => {
    if (v.first >= n) {
      const zero = new Float64Array(h);
      return {
        model: 'zero',
        mean: zero,
        lo80: zero,
        hi80: zero,
        lo95: zero,
        hi95: zero,
        intervals: 'conformal',
        note: ZERO_NOTE,
        error: NaN,
      };
    }
    const e = errors[i]!;
    const sorted = Float64Array.from(e).sort();
    const scale = v.scale(n);
    const width = (coverage: number): number =>
      sorted.length >= MIN_SERIES_ERRORS
        ? conformalQuantile(sorted, coverage)
        : pooled.length > 0
          ? conformalQuantile(pooled, coverage) * scale
          : Infinity;
    const w80 = width(0.8);
    const w95 = Math.max(w80, width(0.95));
    const mean = means[i]!;
    const cut = v.nonNegative(n);
    const bound = (x: number): number => (cut ? Math.max(0, x) : x);
    return {
      model: GLOBAL_MODEL,
      mean,
      lo80: mean.map((m) => bound(m - w80)),
      hi80: mean.map((m) => m + w80),
      lo95: mean.map((m) => bound(m - w95)),
      hi95: mean.map((m) => m + w95),
      intervals: 'conformal',
      error: e.length > 0 ? e.reduce((a, b) => a + b, 0) / e.length : NaN,
    };
  });
  return { series, trainRows: final.rows, trainSeconds: trainMs / 1000, calibrationOrigins: origins };
}
