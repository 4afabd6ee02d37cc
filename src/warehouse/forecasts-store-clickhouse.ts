/**
 * @module warehouse/forecasts-store-clickhouse
 * forecasts-store.ts on a ClickHouse cluster: the same runs and rows, in the `forecast_runs` and
 * `forecasts` tables of shard 1 (clickhouse/schema.ts), whichever node a process enters through,
 * as the model registry keeps its own.
 *
 * Without transactions: a run's version is claimed as the registry claims a model's
 * (clickhouse/model-store.ts claimVersion, under the task name `forecast_runs`), its rows are
 * written first and its `forecast_runs` row last, and readers take only versions that have a
 * `forecast_runs` row: a run that fails half-way is never read (its rows stay, unread). Forecast
 * values are stored as JavaScript's shortest text of each double (schema.ts says why) and read back
 * with Number(), so the API serves the same bits as on DuckDB.
 */
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { chDateTime, tsvField } from './clickhouse/format-value.js';
import { claimVersion } from './clickhouse/model-store.js';
import type { ForecastRunInput, ForecastRunRow, StoredForecastRow } from './forecasts-store.js';

/** The registry task name forecast runs claim their versions under. */
const CLAIM_TASK = 'forecast_runs';

const VALUE_COLUMNS = ['forecast', 'lo80', 'hi80', 'lo95', 'hi95'] as const;

export async function chStoreForecastRun(ch: ClickHouseStore, run: ForecastRunInput): Promise<number> {
  const version = await claimVersion(ch, CLAIM_TASK);
  const v = String(version);
  await ch.insertTsv(
    'forecasts',
    ['version', 'level', 'series_id', 'rank', 'date', ...VALUE_COLUMNS, 'model', 'note'],
    function* () {
      for (const [rank, s] of run.series.entries()) {
        const fixed = [v, tsvField(run.level), tsvField(s.id), String(rank)];
        const tail = [tsvField(s.model), tsvField(s.note ?? null)];
        for (const [k, date] of run.dates.entries()) {
          const values = [s.mean[k]!, s.lo80[k]!, s.hi80[k]!, s.lo95[k]!, s.hi95[k]!].map(String);
          yield [...fixed, date, ...values, ...tail].join('\t') + '\n';
        }
      }
    },
    { firstShard: true },
  );
  const fields = [
    v,
    run.level,
    run.granularity,
    run.measure,
    run.modelRequested,
    String(run.horizon),
    run.historyEnd.toISOString().slice(0, 10),
    chDateTime(new Date()),
  ];
  await ch.insertTsv(
    'forecast_runs',
    ['version', 'level', 'granularity', 'measure', 'model_requested', 'horizon', 'history_end', 'created_at'],
    () => [fields.map((f) => tsvField(f)).join('\t') + '\n'],
    { firstShard: true },
  );
  return version;
}

type TextRow = Omit<StoredForecastRow, (typeof VALUE_COLUMNS)[number]> &
  Record<(typeof VALUE_COLUMNS)[number], string>;

export async function chReadLatestForecast(
  ch: ClickHouseStore,
  level: string,
  id: string | undefined,
  limitSeries: number,
): Promise<StoredForecastRow[]> {
  const idFilter = id !== undefined ? 'AND series_id = ?' : '';
  const [latest] = await ch.rowsOnFirstShard<{ n: number; v: number }>(
    `SELECT count() AS n, max(version) AS v FROM forecasts
     WHERE level = ? ${idFilter} AND version IN (SELECT version FROM forecast_runs)`,
    id !== undefined ? [level, id] : [level],
  );
  if (!latest || Number(latest.n) === 0) return [];
  const version = Number(latest.v);
  const limit = Math.max(1, Math.floor(limitSeries));
  const rows = await ch.rowsOnFirstShard<TextRow & Record<string, unknown>>(
    `SELECT version, level, series_id, toString(date) AS date, forecast, lo80, hi80, lo95, hi95, model, note
     FROM forecasts
     WHERE version = ? AND level = ? ${idFilter} AND series_id IN (
       SELECT series_id FROM (SELECT DISTINCT series_id, rank FROM forecasts
                              WHERE version = ? AND level = ? ${idFilter} ORDER BY rank LIMIT ${limit}))
     ORDER BY rank, date`,
    id !== undefined ? [version, level, id, version, level, id] : [version, level, version, level],
  );
  return rows.map((r) => ({
    version: Number(r.version),
    level: r.level,
    series_id: r.series_id,
    date: r.date,
    forecast: Number(r.forecast),
    lo80: Number(r.lo80),
    hi80: Number(r.hi80),
    lo95: Number(r.lo95),
    hi95: Number(r.hi95),
    model: r.model,
    note: r.note,
  }));
}

export async function chReadForecastRun(
  ch: ClickHouseStore,
  version: number,
): Promise<ForecastRunRow | null> {
  type Text = { [K in keyof ForecastRunRow]: K extends 'created_at' ? string : ForecastRunRow[K] };
  const [r] = await ch.rowsOnFirstShard<Text>(
    `SELECT version, level, granularity, measure, model_requested, horizon,
            toString(history_end) AS history_end, toString(created_at) AS created_at
     FROM forecast_runs WHERE version = ? LIMIT 1`,
    [version],
  );
  if (!r) return null;
  return {
    ...r,
    version: Number(r.version),
    horizon: Number(r.horizon),
    created_at: new Date(`${r.created_at.replace(' ', 'T')}Z`),
  };
}
