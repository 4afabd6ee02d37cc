/**
 * @module warehouse/clickhouse/analytics/revenue-series
 * analytics/revenue-series.ts on ClickHouse: the same buckets (day, ISO week from Monday, month) and
 * figures. 18.16 has no generate_series to fill empty buckets in SQL, so the gaps are filled here
 * from the first to the last bucket with any order, as DuckDB's query does.
 */
import { resolvePeriod } from '../../analytics/period.js';
import {
  checkedGranularity,
  type Granularity,
  type RevenueSeries,
  type RevenueSeriesOptions,
} from '../../analytics/revenue-series.js';
import { revenueFields } from '../../analytics/sql.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { fromCond, IS_SALE, ordersWithAmounts, toCond } from './sql.js';

const BUCKET: Readonly<Record<Granularity, string>> = {
  day: 'toDate(ordered_at)',
  week: 'toMonday(ordered_at)',
  month: 'toStartOfMonth(ordered_at)',
};

export async function chRevenueSeries(
  ch: ClickHouseStore,
  options: RevenueSeriesOptions = {},
): Promise<RevenueSeries> {
  const granularity = checkedGranularity(options);
  const period = resolvePeriod(options.period);
  const rows = await ch.rows<{
    bucket: string;
    orders: number;
    gross: number;
    undone: number;
    customers: number;
  }>(`
    SELECT toString(bucket) AS bucket,
           countIf(is_sale) AS orders,
           toFloat64(sumIf(amount, is_sale)) AS gross,
           toFloat64(sumIf(amount, NOT is_sale)) AS undone,
           uniqExactIf(customer_id, is_sale AND customer_id IS NOT NULL) AS customers
    FROM ${ordersWithAmounts(
      ch,
      `order_id, customer_id, ${BUCKET[granularity]} AS bucket, ${IS_SALE} AS is_sale`,
      `${fromCond('ordered_at', period)} AND ${toCond('ordered_at', period)}`,
    )}
    GROUP BY bucket ORDER BY bucket`);
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  const points: RevenueSeries['points'] = [];
  if (rows.length > 0) {
    const last = rows[rows.length - 1]!.bucket;
    for (let b = rows[0]!.bucket; b <= last; b = nextBucket(b, granularity)) {
      const r = byBucket.get(b);
      points.push({
        bucket: b,
        orders: Number(r?.orders ?? 0),
        ...revenueFields({ gross: Number(r?.gross ?? 0), undone: Number(r?.undone ?? 0) }),
        customers: Number(r?.customers ?? 0),
      });
    }
  }
  return { granularity, period, points };
}

/** The bucket after `day` ('YYYY-MM-DD', UTC). */
function nextBucket(day: string, granularity: Granularity): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (granularity === 'month') d.setUTCMonth(d.getUTCMonth() + 1);
  else d.setUTCDate(d.getUTCDate() + (granularity === 'week' ? 7 : 1));
  return d.toISOString().slice(0, 10);
}
