/**
 * @module features/btyd-summary-clickhouse
 * btyd-summary.ts's query on a ClickHouse cluster: the sales orders before the cutoff with their
 * status then (sales-orders-clickhouse.ts), summed per customer and UTC day on each shard (a
 * customer's orders are on one shard), then per customer: purchase days - 1, first to last day,
 * first day to the cutoff's day, and the exact spend of the repeat days (decimal text). DuckDB
 * numbers the days with row_number() and sums those after the first; 18.16 has no window
 * functions, so the first day's spend (argMin over the distinct days) is taken off the total.
 */
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import type { Columns } from '../warehouse/warehouse.js';
import type { BTYD_COLUMNS } from './btyd-summary.js';
import { chSalesOrders } from './sales-orders-clickhouse.js';

export async function chBtydColumns(
  ch: ClickHouseStore,
  cutoff: Date,
): Promise<Columns<typeof BTYD_COLUMNS>> {
  return ch.columns(
    `SELECT cust AS customer_id, count() - 1 AS frequency, toInt32(max(d) - min(d)) AS recency,
            toInt32(toDate(${chLiteral(cutoff)}) - min(d)) AS t,
            toString(sum(amount) - argMin(amount, d)) AS repeat_spend
     FROM (
       SELECT o_customer AS cust, toDate(o_at) AS d, sum(amount) AS amount
       FROM orders ANY INNER JOIN ${chSalesOrders(ch, cutoff, { to: cutoff })} USING order_id
       GROUP BY o_customer, toDate(o_at)
     )
     GROUP BY cust`,
    { customer_id: 'str', frequency: 'f64', recency: 'f64', t: 'f64', repeat_spend: 'str' },
  );
}
