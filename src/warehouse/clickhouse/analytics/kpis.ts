/**
 * @module warehouse/clickhouse/analytics/kpis
 * The same headline numbers as analytics/kpis.ts (same definitions, docs/analytics.md), in SQL that
 * ClickHouse 18.16 runs on a sharded store: no CTEs and no FILTER (sumIf/countIf), one JOIN per
 * level. Two statements:
 *  - orders: the Distributed `orders` is the left side, so the whole SELECT runs on every shard and
 *    each shard joins its own `order_items_local` (an order's lines live on its shard, schema.ts);
 *    the initiator merges the partial sums.
 *  - customers: the per-customer history is grouped through the Distributed table (a customer lives
 *    on one shard), the outer count runs on the initiator.
 * Money is summed as Decimal and cast to Float64 at the end, like DuckDB's, so totals agree to the cent.
 */
import { resolvePeriod } from '../../analytics/period.js';
import { kpisFromRow, type KpiOptions, type KpiRow, type Kpis } from '../../analytics/kpis.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { fromCond, IS_SALE, ordersWithAmounts, toCond } from './sql.js';

export async function chKpis(ch: ClickHouseStore, options: KpiOptions = {}): Promise<Kpis> {
  const period = resolvePeriod(options.period);
  const [o] = await ch.rows(`
    SELECT toFloat64(sumIf(amount, is_sale)) AS gross,
           toFloat64(sumIf(amount, NOT is_sale)) AS undone,
           countIf(is_sale) AS orders,
           countIf(status = 'cancelled') AS cancelled_orders,
           countIf(status = 'returned') AS returned_orders,
           countIf(is_sale AND customer_id IS NULL) AS guest_orders,
           sumIf(units, is_sale) AS units
    FROM ${ordersWithAmounts(
      ch,
      `order_id, customer_id, status, ${IS_SALE} AS is_sale`,
      `${fromCond('ordered_at', period)} AND ${toCond('ordered_at', period)}`,
    )}`);
  const [c] = await ch.rows(`
    SELECT count() AS customers,
           countIf(${fromCond('first_at', period)}) AS new_customers,
           countIf(n >= 2) AS repeat_customers
    FROM (
      SELECT customer_id, min(ordered_at) AS first_at, count() AS n,
             countIf(${fromCond('ordered_at', period)}) AS in_period
      FROM orders
      WHERE ${IS_SALE} AND customer_id IS NOT NULL AND ${toCond('ordered_at', period)}
      GROUP BY customer_id
    )
    WHERE in_period > 0`);
  if (!o || !c) throw new Error('kpis: the query returned no row');
  // Every field is a number; Number() also takes a 64-bit count a server sends as a string.
  const row = Object.fromEntries(Object.entries({ ...o, ...c }).map(([k, v]) => [k, Number(v)]));
  return kpisFromRow(period, row as KpiRow);
}
