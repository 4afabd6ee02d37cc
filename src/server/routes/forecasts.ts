/**
 * @module server/routes/forecasts
 * `GET /v1/forecasts?level=&id=&limit=`: the stored forecast of the latest `shopsight forecast`
 * run that holds the level (and the series, with `id`), per series and day with 80%/95% intervals.
 * Reading only: the forecasting itself runs in the CLI (no model fitting on the server's thread).
 * 404 when no run holds what was asked for, saying which command makes it.
 */
import { SERIES_LEVELS } from '../../features/sales-series.js';
import {
  readForecastRun,
  readLatestForecast,
  type StoredForecastRow,
} from '../../warehouse/forecasts-store.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { int, num, str, strOrNull } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const POINT = {
  type: 'object',
  properties: { date: str, forecast: num, lo80: num, hi80: num, lo95: num, hi95: num },
} as const;

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
        properties: { id: str, model: str, note: strOrNull, forecast: { type: 'array', items: POINT } },
      },
    },
  },
} as const;

export const forecastRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/forecasts',
    {
      config: { role: 'read' },
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
          },
        },
        response: { 200: FORECASTS, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const q = req.query as { level: string; id?: string; limit: number };
      const { rows, run } = await ctx.db.read(async (wh) => {
        const rows = await readLatestForecast(wh, q.level, q.id, q.limit);
        return { rows, run: rows[0] ? await readForecastRun(wh, rows[0].version) : null };
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
      }[] = [];
      for (const r of rows) {
        let last = series[series.length - 1];
        if (!last || last.id !== r.series_id) {
          last = { id: r.series_id, model: r.model, note: r.note, forecast: [] };
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
