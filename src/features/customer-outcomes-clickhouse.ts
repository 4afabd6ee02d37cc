/**
 * @module features/customer-outcomes-clickhouse
 * customer-outcomes.ts's window query on a ClickHouse cluster: per customer, the sales orders placed
 * in [cutoff, cutoff + horizon) with the status they had at cutoff + horizon, their count, exact
 * spend (decimal text) and the seconds from the cutoff to the first of them. The per-order and
 * per-customer work runs on each shard (sales-orders-clickhouse.ts; a customer's orders are on one
 * shard), the initiator merges the partial counts, sums and minimums.
 */
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import type { Columns } from '../warehouse/warehouse.js';
import type { OUTCOME_COLUMNS } from './customer-outcomes.js';
import { chSalesOrders } from './sales-orders-clickhouse.js';

const DAY_MS = 86_400_000;

export async function chOutcomeColumns(
  ch: ClickHouseStore,
  cutoff: Date,
  horizonDays: number,
): Promise<Columns<typeof OUTCOME_COLUMNS>> {
  const end = new Date(cutoff.getTime() + horizonDays * DAY_MS);
  const seconds = `toInt64(toUInt32(o_at)) - toInt64(toUInt32(${chLiteral(cutoff)}))`;
  return ch.columns(
    `SELECT o_customer AS customer_id, count() AS orders, toString(sum(amount)) AS spend,
            min(${seconds}) AS first_seconds
     FROM orders ANY INNER JOIN ${chSalesOrders(ch, end, { from: cutoff, to: end })} USING order_id
     GROUP BY o_customer`,
    { customer_id: 'str', orders: 'f64', spend: 'str', first_seconds: 'f64' },
  );
}
