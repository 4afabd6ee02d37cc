/**
 * @module tasks/forecast/forecast-level
 * "How much will each product / country / category / the whole store sell in the coming days?":
 * the series of a level from the warehouse, each forecast by forecastSeries from the day (or week)
 * after the store's last order. What `shopsight forecast` prints and stores and the API serves.
 *
 * A series that cannot be forecast (fewer than 2 periods) is left out with its reason when the
 * whole level is asked for; asked for by `id`, it is an error.
 *
 * `gbdt` and `auto+gbdt` (daily only) train the global GBDT over every series of the level (the
 * whole level even when one `id` is asked for: it is one model over all of them), on this thread
 * while the per-series fits run on the worker threads; `auto+gbdt` then takes, per series, the GBDT
 * when its backtest error is below the series' own best candidate's (ml/forecast/global-choice.ts).
 * Plain `auto` goes without it (opt-in: docs/forecasting.md says why).
 */
import { availableParallelism } from 'node:os';
import { loadSalesSeries, periodDate, seriesValues, type SeriesLevel } from '../../features/sales-series.js';
import { checkHorizon } from '../../ml/forecast/check-series.js';
import { forecastMany, type ManyResult } from '../../ml/forecast/forecast-many.js';
import { chooseWithGlobal } from '../../ml/forecast/global-choice.js';
import {
  AUTO_WITH_GLOBAL,
  GLOBAL_MODEL,
  globalGbdtForecast,
  type GlobalForecast,
} from '../../ml/forecast/global-gbdt.js';
import { checkModelName } from '../../ml/forecast/models.js';
import { ForecastInputError } from '../../ml/forecast/types.js';
import { loadGlobalInputs } from './global-inputs.js';
import type { ForecastSeriesInput } from '../../warehouse/forecasts-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export interface LevelForecastOptions {
  readonly level: SeriesLevel;
  readonly id?: string;
  readonly horizon?: number;
  readonly model?: string;
  readonly granularity?: 'day' | 'week';
  readonly measure?: 'units' | 'revenue';
  readonly undone?: 'exclude' | 'net';
  /** Only the largest n series of the level. */
  readonly top?: number;
  /** Called after each series (progress). */
  readonly onSeries?: (done: number, total: number) => void;
  /** Worker threads to fit on (default: the machine's cores, at most 4; small levels stay on this thread). */
  readonly threads?: number;
}

/** The cores this process may use, at most 4 (fitting is per series: more threads only split the list). */
export function defaultForecastThreads(): number {
  return Math.min(4, availableParallelism());
}

export interface SeriesForecastRow extends ForecastSeriesInput {
  readonly intervals: 'analytic' | 'conformal';
  /** The last periods of history (up to 8 seasons), for plots; its last value is at historyEnd. */
  readonly recent: Float64Array;
}

export interface LevelForecast {
  readonly level: SeriesLevel;
  readonly granularity: 'day' | 'week';
  readonly measure: 'units' | 'revenue';
  readonly model: string;
  readonly horizon: number;
  /** The last period of history (the store's last order day or week). */
  readonly historyEnd: Date;
  /** The dates of the forecast periods, ISO yyyy-mm-dd. */
  readonly dates: string[];
  readonly series: SeriesForecastRow[];
  readonly skipped: { readonly id: string; readonly reason: string }[];
  /** The global GBDT's run, when one was trained: its size and time, or why it was left out of `auto`. */
  readonly global?: GlobalRun;
}

export interface GlobalRun {
  readonly series?: number;
  readonly trainRows?: number;
  readonly trainSeconds?: number;
  readonly calibrationOrigins?: number;
  /** The shop's country whose holidays the calendar holds (null: none known). */
  readonly holidays?: string | null;
  /** Why `auto` went without it (too short a history). */
  readonly leftOut?: string;
}

/** Seasonal period per granularity: a week of days, a year of weeks. */
export const SEASON = { day: 7, week: 52 } as const;

export async function forecastLevel(wh: Warehouse, options: LevelForecastOptions): Promise<LevelForecast> {
  const horizon = options.horizon ?? 28;
  const model = options.model ?? 'auto';
  checkHorizon(horizon);
  checkModelName(model);
  const granularity = options.granularity ?? 'day';
  const withGlobal = model === GLOBAL_MODEL || model === AUTO_WITH_GLOBAL;
  if (withGlobal && granularity !== 'day') {
    throw new ForecastInputError(`${GLOBAL_MODEL} forecasts daily series: use granularity day`);
  }
  const lines = {
    ...(options.measure ? { measure: options.measure } : {}),
    ...(options.undone ? { undone: options.undone } : {}),
  };
  const s = await loadSalesSeries(wh, {
    level: options.level,
    granularity,
    ...lines,
    ...(options.id !== undefined ? { ids: [options.id] } : {}),
    ...(options.top !== undefined ? { top: options.top } : {}),
  });
  const season = SEASON[granularity];
  // The per-series fits start on the worker threads first; the global model trains meanwhile.
  const local: Promise<ManyResult[]> | null =
    model === GLOBAL_MODEL
      ? null
      : forecastMany(
          s.values,
          s.length,
          s.ids.length,
          { model: model === AUTO_WITH_GLOBAL ? 'auto' : model, season, horizon },
          {
            threads: options.threads ?? defaultForecastThreads(),
            ...(options.onSeries ? { onSeries: options.onSeries } : {}),
          },
        );
  // Handled here so a worker failing while the global model trains is not an unhandled rejection;
  // `await local` below still throws it.
  local?.catch(() => undefined);
  let global: { run: GlobalRun; forecast: GlobalForecast | null; index: number[] } | null = null;
  if (withGlobal) {
    try {
      global = await levelGlobal(wh, s, options, lines, horizon);
    } catch (e) {
      if (!(e instanceof ForecastInputError) || model === GLOBAL_MODEL) {
        throw e;
      }
      global = { run: { leftOut: e.message }, forecast: null, index: [] };
    }
  }
  const results: ManyResult[] = local
    ? await local
    : s.ids.map((_, i): ManyResult => ({ ok: true, forecast: global!.forecast!.series[global!.index[i]!]! }));
  if (local && global?.forecast) {
    const g = global.forecast;
    results.forEach((r, i) => {
      if (r.ok)
        results[i] = { ok: true, forecast: chooseWithGlobal(r.forecast, g.series[global!.index[i]!]!) };
    });
  }
  const series: SeriesForecastRow[] = [];
  const skipped: { id: string; reason: string }[] = [];
  results.forEach((r, i) => {
    const id = s.ids[i]!;
    if (!r.ok) {
      if (options.id !== undefined)
        throw new ForecastInputError(`${options.level} ${JSON.stringify(id)}: ${r.reason}`);
      skipped.push({ id, reason: r.reason });
      return;
    }
    const f = r.forecast;
    const y = seriesValues(s, i);
    series.push({
      id,
      model: f.model,
      intervals: f.intervals,
      ...(f.note ? { note: f.note } : {}),
      mean: f.mean,
      lo80: f.lo80,
      hi80: f.hi80,
      lo95: f.lo95,
      hi95: f.hi95,
      recent: y.slice(Math.max(0, y.length - 8 * season)),
    });
  });
  const dates = Array.from({ length: horizon }, (_, k) =>
    periodDate(s, s.length + k)
      .toISOString()
      .slice(0, 10),
  );
  return {
    level: options.level,
    granularity,
    measure: s.measure,
    model,
    horizon,
    historyEnd: periodDate(s, s.length - 1),
    dates,
    series,
    skipped,
    ...(global ? { global: global.run } : {}),
  };
}

/**
 * The global GBDT over the whole level (all of it, or its `top`, even when one id is asked for),
 * and where each series of `s` is in it.
 */
async function levelGlobal(
  wh: Warehouse,
  s: Awaited<ReturnType<typeof loadSalesSeries>>,
  options: LevelForecastOptions,
  lines: { measure?: 'units' | 'revenue'; undone?: 'exclude' | 'net' },
  horizon: number,
): Promise<{ run: GlobalRun; forecast: GlobalForecast; index: number[] }> {
  const level =
    options.id === undefined
      ? s
      : await loadSalesSeries(wh, {
          level: options.level,
          ...lines,
          ...(options.top !== undefined ? { top: options.top } : {}),
        });
  const position = new Map(level.ids.map((id, i) => [id, i]));
  const index = s.ids.map((id) => position.get(id) ?? -1);
  if (index.some((i) => i < 0)) {
    throw new ForecastInputError(
      `${options.level} ${JSON.stringify(options.id)} is not among the level's series`,
    );
  }
  const inputs = await loadGlobalInputs(wh, level, horizon, lines.undone ? { undone: lines.undone } : {});
  const forecast = globalGbdtForecast(
    { values: level.values, length: level.length, count: level.ids.length, ...inputs },
    { horizon },
  );
  return {
    run: {
      series: level.ids.length,
      trainRows: forecast.trainRows,
      trainSeconds: forecast.trainSeconds,
      calibrationOrigins: forecast.calibrationOrigins,
      holidays: inputs.country,
    },
    forecast,
    index,
  };
}
