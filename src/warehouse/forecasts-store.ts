/**
 * @module warehouse/forecasts-store
 * The SQL behind the `forecasts` and `forecast_runs` tables (migration 11): store one forecast run
 * (a new version), read the latest run's rows for a level or one series of it. On a ClickHouse
 * cluster the same three calls run forecasts-store-clickhouse.ts.
 */
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { chReadForecastRun, chReadLatestForecast, chStoreForecastRun } from './forecasts-store-clickhouse.js';
import type { SqlValue, Warehouse } from './warehouse.js';

export interface ForecastRunInput {
  readonly level: string;
  readonly granularity: string;
  readonly measure: string;
  readonly modelRequested: string;
  readonly horizon: number;
  readonly historyEnd: Date;
  readonly dates: readonly string[];
  readonly series: readonly ForecastSeriesInput[];
}

/** One series of a run: the model that made it and, per day, the forecast and its bounds. */
export interface ForecastSeriesInput {
  readonly id: string;
  readonly model: string;
  readonly note?: string;
  readonly mean: Float64Array;
  readonly lo80: Float64Array;
  readonly hi80: Float64Array;
  readonly lo95: Float64Array;
  readonly hi95: Float64Array;
}

export type StoredForecastRow = {
  readonly version: number;
  readonly level: string;
  readonly series_id: string;
  readonly date: string;
  readonly forecast: number;
  readonly lo80: number;
  readonly hi80: number;
  readonly lo95: number;
  readonly hi95: number;
  readonly model: string;
  readonly note: string | null;
};

/** Rows per INSERT: 12 placeholders each. */
const BATCH = 1000;

/** Stores a run under the next version; returns the version. */
export async function storeForecastRun(wh: Warehouse, run: ForecastRunInput): Promise<number> {
  if (wh instanceof ClickHouseStore) return chStoreForecastRun(wh, run);
  return wh.transaction(async () => {
    const [{ next }] = (await wh.rows<{ next: number }>(
      'SELECT CAST(coalesce(max(version), 0) + 1 AS INTEGER) AS next FROM forecast_runs',
    )) as [{ next: number }];
    await wh.exec(`INSERT INTO forecast_runs VALUES (?, ?, ?, ?, ?, ?, CAST(? AS DATE), now()::TIMESTAMP)`, [
      next,
      run.level,
      run.granularity,
      run.measure,
      run.modelRequested,
      run.horizon,
      run.historyEnd.toISOString().slice(0, 10),
    ]);
    const values: SqlValue[][] = [];
    for (const [rank, s] of run.series.entries()) {
      run.dates.forEach((date, k) =>
        values.push([
          next,
          run.level,
          s.id,
          rank,
          date,
          s.mean[k]!,
          s.lo80[k]!,
          s.hi80[k]!,
          s.lo95[k]!,
          s.hi95[k]!,
          s.model,
          s.note ?? null,
        ]),
      );
    }
    const one = '(?, ?, ?, ?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?)';
    for (let i = 0; i < values.length; i += BATCH) {
      const part = values.slice(i, i + BATCH);
      await wh.exec(`INSERT INTO forecasts VALUES ${part.map(() => one).join(', ')}`, part.flat());
    }
    return next;
  });
}

/**
 * The rows of the latest run that holds `level` (and `id` when given), the first `limitSeries`
 * series in the run's order (largest first), by date; empty when no run does.
 */
export async function readLatestForecast(
  wh: Warehouse,
  level: string,
  id?: string,
  limitSeries = 100,
): Promise<StoredForecastRow[]> {
  if (wh instanceof ClickHouseStore) return chReadLatestForecast(wh, level, id, limitSeries);
  const params: SqlValue[] = [level];
  const idFilter = id !== undefined ? 'AND series_id = ?' : '';
  if (id !== undefined) params.push(id);
  return wh.rows<StoredForecastRow>(
    `WITH latest AS (SELECT max(version) AS v FROM forecasts WHERE level = $1 ${idFilter.replace('?', '$2')}),
     ids AS (SELECT DISTINCT series_id, rank FROM forecasts, latest
             WHERE version = latest.v AND level = $1 ${idFilter.replace('?', '$2')}
             ORDER BY rank LIMIT ${Math.max(1, Math.floor(limitSeries))})
     SELECT f.version, f.level, f.series_id, strftime(f.date, '%Y-%m-%d') AS date, f.forecast, f.lo80, f.hi80,
            f.lo95, f.hi95, f.model, f.note
     FROM forecasts f, latest WHERE f.version = latest.v AND f.level = $1 AND f.series_id IN (SELECT series_id FROM ids)
     ORDER BY f.rank, f.date`,
    params,
  );
}

export interface ForecastRunRow extends Record<string, unknown> {
  readonly version: number;
  readonly level: string;
  readonly granularity: string;
  readonly measure: string;
  readonly model_requested: string;
  readonly horizon: number;
  readonly history_end: string;
  readonly created_at: Date;
}

/** The run stored as `version`, or null. */
export async function readForecastRun(wh: Warehouse, version: number): Promise<ForecastRunRow | null> {
  if (wh instanceof ClickHouseStore) return chReadForecastRun(wh, version);
  const rows = await wh.rows<ForecastRunRow>(
    `SELECT version, level, granularity, measure, model_requested, horizon,
            strftime(history_end, '%Y-%m-%d') AS history_end, created_at
     FROM forecast_runs WHERE version = ?`,
    [version],
  );
  return rows[0] ?? null;
}
