/**
 * @module warehouse/analytics/revenue-series
 * Revenue over time by day, ISO week (Monday) or month. Buckets with no orders are filled with zeros
 * so a chart's x-axis has no holes; the series runs from the first to the last bucket with any order.
 *
 * @example
 *   const s = await revenueSeries(wh, { granularity: 'month' });
 *   s.points[0]; // { bucket: '2010-12-01', orders: 1400, grossRevenue: ..., ... }
 */
import type { Warehouse } from '../warehouse.js';
import { periodClause, resolvePeriod, type Period, type ResolvedPeriod } from './period.js';
import { isSale, lineAmount, Params, revenueFields } from './sql.js';

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The step between consecutive buckets, for gap filling. */
const STEP: Readonly<Record<Granularity, string>> = {
  day: 'INTERVAL 1 DAY',
  week: 'INTERVAL 7 DAY',
  month: 'INTERVAL 1 MONTH',
};

export interface RevenueSeriesOptions {
  readonly granularity?: Granularity;
  readonly period?: Period;
}

export interface RevenuePoint {
  /** First day of the bucket, 'YYYY-MM-DD' (weeks start on Monday). */
  readonly bucket: string;
  readonly orders: number;
  readonly grossRevenue: number;
  readonly cancelledReturnedValue: number;
  readonly netRevenue: number;
  /** Distinct known customers with a sales order in the bucket. */
  readonly customers: number;
}

export interface RevenueSeries {
  readonly granularity: Granularity;
  readonly period: ResolvedPeriod;
  readonly points: RevenuePoint[];
}

type SeriesRow = {
  bucket: string;
  orders: number;
  gross: number;
  undone: number;
  customers: number;
};

/** The granularity asked for (month by default), refused when it is none of GRANULARITIES. */
export function checkedGranularity(options: RevenueSeriesOptions): Granularity {
  const granularity = options.granularity ?? 'month';
  if (!GRANULARITIES.includes(granularity)) {
    throw new RangeError(
      `granularity must be one of ${GRANULARITIES.join(', ')}, got '${String(granularity)}'`,
    );
  }
  return granularity;
}

export async function revenueSeries(
  wh: Warehouse,
  options: RevenueSeriesOptions = {},
): Promise<RevenueSeries> {
  const granularity = checkedGranularity(options);
  const period = resolvePeriod(options.period);
  const params = new Params();
  const sql = `
    WITH p AS (
      SELECT o.order_id, any_value(date_trunc('${granularity}', o.ordered_at)) AS bucket,
             any_value(o.customer_id) AS customer_id, any_value(${isSale('o')}) AS is_sale,
             coalesce(sum(${lineAmount('i')}), 0) AS amount
      FROM orders o LEFT JOIN order_items i ON i.order_id = o.order_id
      WHERE ${periodClause('o.ordered_at', period, params)}
      GROUP BY o.order_id
    ),
    agg AS (
      SELECT bucket,
             count(*) FILTER (WHERE is_sale) AS orders,
             coalesce(sum(amount) FILTER (WHERE is_sale), 0) AS gross,
             coalesce(sum(amount) FILTER (WHERE NOT is_sale), 0) AS undone,
             count(DISTINCT customer_id) FILTER (WHERE is_sale) AS customers
      FROM p GROUP BY bucket
    ),
    span AS (
      SELECT unnest(generate_series(min(bucket), max(bucket), ${STEP[granularity]})) AS bucket FROM agg
    )
    SELECT strftime(span.bucket, '%Y-%m-%d') AS bucket,
           coalesce(agg.orders, 0) AS orders,
           CAST(coalesce(agg.gross, 0) AS DOUBLE) AS gross,
           CAST(coalesce(agg.undone, 0) AS DOUBLE) AS undone,
           coalesce(agg.customers, 0) AS customers
    FROM span LEFT JOIN agg ON agg.bucket = span.bucket
    ORDER BY span.bucket`;
  const rows = await wh.rows<SeriesRow>(sql, params.values);
  return {
    granularity,
    period,
    points: rows.map((r) => ({
      bucket: r.bucket,
      orders: r.orders,
      ...revenueFields(r),
      customers: r.customers,
    })),
  };
}
