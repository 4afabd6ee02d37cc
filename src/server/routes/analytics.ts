/**
 * @module server/routes/analytics
 * Descriptive analytics over HTTP: `GET /v1/segments` (RFM segment sizes and KPIs) and
 * `GET /v1/analytics/kpis|series|cohorts|funnel`, with the options of `shopsight analyze` as query
 * fields (from, to, by, as_of). Both surfaces call warehouse/analytics/report.ts, so the numbers are
 * those of `shopsight analyze --json`, with snake_case names. Every route here runs on a ClickHouse
 * cluster too: each read goes through server/engine-reads.ts, which picks the engine's SQL.
 */
import type { Section } from '../../warehouse/analytics/report.js';
import { GRANULARITIES, type Granularity } from '../../warehouse/analytics/revenue-series.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { AnswerCache } from '../answer-cache.js';
import type { WriteScope } from '../db-pool.js';
import type { ServerContext } from '../context.js';
import { reportOn, segmentsOn, storeRangeOn } from '../engine-reads.js';
import { httpError } from '../errors.js';
import { snakeKeys } from '../snake-case.js';
import {
  CATEGORIES,
  COHORTS,
  COUNTRIES,
  FUNNEL,
  KPIS,
  PERIOD_QUERY,
  PRODUCTS,
  SEGMENTS,
  SERIES,
} from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

/** A library RangeError (a bad date, an inverted period) is the caller's mistake: 400 naming it. */
export async function readOr400<T>(ctx: ServerContext, fn: (wh: Warehouse) => Promise<T>): Promise<T> {
  try {
    return await ctx.db.read(fn);
  } catch (err) {
    if (err instanceof RangeError) throw httpError(400, 'invalid_request', err.message);
    throw err;
  }
}

type PeriodQuery = { from?: string; to?: string };

/**
 * Besides orders, lines and products (every `store` write), what each cached section reads: the
 * funnel counts events, so an events flush renews it; the others survive event flushes and serving
 * writes (impressions, keys, decisions), which is what keeps them cached on a live store.
 */
const SECTION_READS: Record<Exclude<Section, 'rfm'>, readonly WriteScope[]> = {
  kpis: [],
  series: [],
  countries: [],
  categories: [],
  products: [],
  cohorts: [],
  funnel: ['events'],
};

const DAY = {
  type: 'string',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'a day, YYYY-MM-DD (UTC)',
} as const;

export const analyticsRoutes: RoutePlugin = (app, ctx) => {
  // The dashboard's Overview asks these on every load; they read only the canonical tables.
  const answers = new AnswerCache(ctx.db);
  app.get(
    '/v1/segments',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['analytics'],
        summary: 'RFM segments: sizes, shares, average recency, orders and spend, with their rules',
        description:
          'The segments of `shopsight analyze --section rfm` (docs/analytics.md): customers scored on ' +
          'recency, frequency and monetary quintiles as of a day, named by the Shopify-style rule table.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            as_of: {
              ...DAY,
              description: 'orders before this day count (default: the day after the last order)',
              examples: ['2011-12-10'],
            },
          },
        },
        response: { 200: SEGMENTS },
      },
    },
    async (req) => {
      const { as_of } = req.query as { as_of?: string };
      return snakeKeys(await readOr400(ctx, (wh) => segmentsOn(wh, as_of)));
    },
  );

  app.get(
    '/v1/analytics/range',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['analytics'],
        summary: "The span of the store's orders and its main currency (a dashboard's default period)",
        response: {
          200: {
            type: 'object',
            required: ['first_order_at', 'last_order_at', 'orders', 'currency'],
            properties: {
              first_order_at: { type: ['string', 'null'], description: 'YYYY-MM-DD HH:MM:SS, UTC' },
              last_order_at: { type: ['string', 'null'] },
              orders: { type: 'integer', description: 'orders of every status' },
              currency: { type: ['string', 'null'], description: 'the ISO 4217 code most orders carry' },
            },
          },
        },
      },
    },
    async (req) => answers.get(req.url, async () => snakeKeys(await ctx.db.read((wh) => storeRangeOn(wh)))),
  );

  const section = (
    name: Exclude<Section, 'rfm'>,
    summary: string,
    response: object,
    extra: Record<string, object> = {},
  ): void => {
    app.get(
      `/v1/analytics/${name}`,
      {
        config: { role: 'read', clickhouse: true },
        schema: {
          tags: ['analytics'],
          summary,
          description: `The \`${name}\` section of \`shopsight analyze --json\` (docs/analytics.md), snake_case.`,
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { ...PERIOD_QUERY, ...extra },
          },
          response: { 200: response },
        },
      },
      async (req) => {
        const q = req.query as PeriodQuery & { by?: Granularity; top?: number };
        return answers.get(
          req.url,
          async () => {
            const report = await readOr400(ctx, (wh) =>
              reportOn(wh, { from: q.from, to: q.to, by: q.by, top: q.top, sections: [name] }),
            );
            return snakeKeys(report[name]);
          },
          SECTION_READS[name],
        );
      },
    );
  };
  section('kpis', 'Headline KPIs of a period: revenue, orders, AOV, new and repeat customers', KPIS);
  section('series', 'Revenue, orders and customers by day, week or month (no gaps)', SERIES, {
    by: {
      type: 'string',
      enum: [...GRANULARITIES],
      default: 'month',
      description: 'bucket',
      examples: ['month'],
    },
  });
  section('countries', 'Revenue, orders and customers by country', COUNTRIES);
  section(
    'categories',
    'Revenue, units and orders by product category (postage and fees in their own row)',
    CATEGORIES,
  );
  section('products', 'Best-selling products by revenue and by units (merchandise only)', PRODUCTS, {
    top: {
      type: 'integer',
      minimum: 1,
      maximum: 100,
      default: 10,
      description: 'rows in each list',
      examples: [10],
    },
  });
  section('cohorts', 'Monthly retention cohorts by month of first purchase', COHORTS);
  section('funnel', 'Sessions through view, add to cart and purchase', FUNNEL);
};
