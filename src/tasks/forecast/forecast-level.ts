/**
 * @module tasks/forecast/forecast-level
 * "How much will each product / country / category / the whole store sell in the coming days?":
 * the series of a level from the warehouse, each forecast by forecastSeries from the day (or week)
 * after the store's last order. What `shopsight forecast` prints and stores and the API serves.
 *
 * A series that cannot be forecast (fewer than 2 periods) is left out with its reason when the
 * whole level is asked for; asked for by `id`, it is an error.
 */
import { availableParallelism } from 'node:os';
import { loadSalesSeries, periodDate, seriesValues, type SeriesLevel } from '../../features/sales-series.js';
import { checkHorizon } from '../../ml/forecast/check-series.js';
import { forecastMany } from '../../ml/forecast/forecast-many.js';
import { forecasterByName } from '../../ml/forecast/models.js';
import { ForecastInputError } from '../../ml/forecast/types.js';
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
}

/** Seasonal period per granularity: a week of days, a year of weeks. */
export const SEASON = { day: 7, week: 52 } as const;

export async function forecastLevel(wh: Warehouse, options: LevelForecastOptions): Promise<LevelForecast> {
  const horizon = options.horizon ?? 28;
  const model = options.model ?? 'auto';
  checkHorizon(horizon);
  if (model !== 'auto') forecasterByName(model);
  const granularity = options.granularity ?? 'day';
  const s = await loadSalesSeries(wh, {
    level: options.level,
    granularity,
    ...(options.measure ? { measure: options.measure } : {}),
    ...(options.undone ? { undone: options.undone } : {}),
    ...(options.id !== undefined ? { ids: [options.id] } : {}),
    ...(options.top !== undefined ? { top: options.top } : {}),
  });
  const season = SEASON[granularity];
  const results = await forecastMany(
    s.values,
    s.length,
    s.ids.length,
    { model, season, horizon },
    {
      threads: options.threads ?? defaultForecastThreads(),
      ...(options.onSeries ? { onSeries: options.onSeries } : {}),
    },
  );
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
  };
}
