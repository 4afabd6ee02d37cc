/**
 * @module server/routes/forecasts
 * `GET /v1/forecasts?level=&id=&limit=&history=`: the stored forecast of the latest `shopsight forecast`
 * run that holds the level (and the series, with `id`), per series and day with 80%/95% intervals;
 * with `history`, each series' last periods before the forecast (what was sold, read from the
 * orders as the run saw them: only orders before the day after its last history day, cancellations
 * and returns left out as `shopsight forecast` does by default), for a chart of past and future.
 * Reading only: the forecasting itself runs in the CLI (no model fitting on the server's thread).
 * 404 when no run holds what was asked for, saying which command makes it.
 */
import { loadSalesSeries, periodDate, SERIES_LEVELS, seriesValues } from '../../features/sales-series.js';
import {
  readForecastRun,
  readLatestForecast,
  type StoredForecastRow,
} from '../../warehouse/forecasts-store.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { int, num, str, strOrNull } from './analytics-schemas.js';
import type { SeriesLevel } from '../../features/sales-series.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { RoutePlugin } from './route-plugin.js';

const POINT = {
  type: 'object',
  properties: { date: str, forecast: num, lo80: num, hi80: num, lo95: num, hi95: num },
} as const;

const HISTORY_POINT = { type: 'object', properties: { date: str, value: num } } as const;

/** The most history periods a series may carry: a year of days. */
const MAX_HISTORY = 366;

const FORECASTS = {
  type: 'object',
  required: ['version', 'level', 'series'],
  properties: {
    version: int,
    level: str,
    granularity: str,
    measure: str,
    model_requested: str,
    horizon: int,
    history_end: str,
    created_at: str,
    series: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: str,
          model: str,
          note: strOrNull,
          forecast: { type: 'array', items: POINT },
          history: { type: 'array', items: HISTORY_POINT },
        },
      },
    },
  },
} as const;

export const forecastRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/forecasts',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['forecasts'],
        summary: 'Stored demand forecasts per series and day, with 80% and 95% intervals',
        description:
          'The latest run of `shopsight forecast` that holds the level (and the series `id`): the ' +
          'series in the run order (largest history first), each with the model that made it, a note ' +
          'when it fell back to a simpler model, and one point per day (docs/forecasting.md).',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            level: {
              type: 'string',
              enum: [...SERIES_LEVELS],
              default: 'total',
              description: 'which series',
              examples: ['total'],
            },
            id: {
              type: 'string',
              minLength: 1,
              description: 'one series of the level: a product id, a country, a category, or total',
              examples: ['total'],
            },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              default: 100,
              description: 'at most this many series',
              examples: [10],
            },
            history: {
              type: 'integer',
              minimum: 0,
              maximum: MAX_HISTORY,
              default: 0,
              description:
                'periods of history before the forecast per series (what sold, as the run counted it), oldest first',
              examples: [28],
            },
          },
        },
        response: { 200: FORECASTS, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const q = req.query as { level: string; id?: string; limit: number; history: number };
      const { rows, run, history } = await ctx.db.read(async (wh) => {
        const rows = await readLatestForecast(wh, q.level, q.id, q.limit);
        const run = rows[0] ? await readForecastRun(wh, rows[0].version) : null;
        const ids = [...new Set(rows.map((r) => r.series_id))];
        return {
          rows,
          run,
          history: run && q.history > 0 ? await readHistory(wh, run, ids, q.history) : null,
        };
      });
      if (!run) {
        const what = q.id !== undefined ? `${q.level} ${JSON.stringify(q.id)}` : `level ${q.level}`;
        throw httpError(
          404,
          'no_forecast',
          `no stored forecast for ${what}: run \`shopsight forecast --level ${q.level}${q.id !== undefined ? ' --id <id>' : ''}\` first`,
        );
      }
      const series: {
        id: string;
        model: string;
        note: string | null;
        forecast: Omit<StoredForecastRow, 'version' | 'level' | 'series_id' | 'model' | 'note'>[];
        history?: { date: string; value: number }[];
      }[] = [];
      for (const r of rows) {
        let last = series[series.length - 1];
        if (!last || last.id !== r.series_id) {
          last = {
            id: r.series_id,
            model: r.model,
            note: r.note,
            forecast: [],
            ...(history ? { history: history.get(r.series_id) ?? [] } : {}),
          };
          series.push(last);
        }
        last.forecast.push({
          date: r.date,
          forecast: r.forecast,
          lo80: r.lo80,
          hi80: r.hi80,
          lo95: r.lo95,
          hi95: r.hi95,
        });
      }
      return { ...run, created_at: run.created_at.toISOString(), series };
    },
  );
};

/**
 * The last `periods` periods of each series up to the run's last history day, counted as the run
 * counted them (orders before the next period, their status as of then).
 */
async function readHistory(
  wh: Warehouse,
  run: { level: string; granularity: string; measure: string; history_end: string },
  ids: string[],
  periods: number,
): Promise<Map<string, { date: string; value: number }[]>> {
  const granularity = run.granularity === 'week' ? 'week' : 'day';
  const end = new Date(`${run.history_end}T00:00:00Z`);
  const s = await loadSalesSeries(wh, {
    level: run.level as SeriesLevel,
    granularity,
    measure: run.measure === 'revenue' ? 'revenue' : 'units',
    ids,
    cutoff: periodDate({ start: end, granularity }, 1),
  });
  const out = new Map<string, { date: string; value: number }[]>();
  s.ids.forEach((id, i) => {
    const y = seriesValues(s, i);
    const from = Math.max(0, y.length - periods);
    out.set(
      id,
      Array.from(y.subarray(from), (value, k) => ({
        date: periodDate(s, from + k)
          .toISOString()
          .slice(0, 10),
        value,
      })),
    );
  });
  return out;
}
