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
import type { KpiOptions, Kpis } from '../../analytics/kpis.js';
import { money, ratio } from '../../analytics/sql.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { fromCond, IS_SALE, ordersWithAmounts, toCond } from './sql.js';

export async function chKpis(ch: ClickHouseStore, options: KpiOptions = {}): Promise<Kpis> {
  const period = resolvePeriod(options.period);
  const [o] = await ch.rows<{
    gross: number;
    undone: number;
    orders: number;
    cancelled_orders: number;
    returned_orders: number;
    guest_orders: number;
    units: number;
  }>(`
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
  const [c] = await ch.rows<{ customers: number; new_customers: number; repeat_customers: number }>(`
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
  const gross = money(Number(o.gross));
  const undone = money(Number(o.undone));
  const orders = Number(o.orders);
  const units = Number(o.units);
  const customers = Number(c.customers);
  return {
    period,
    grossRevenue: gross,
    cancelledReturnedValue: undone,
    netRevenue: money(gross - undone),
    orders,
    cancelledOrders: Number(o.cancelled_orders),
    returnedOrders: Number(o.returned_orders),
    aov: ratio(gross, orders),
    units,
    itemsPerOrder: ratio(units, orders),
    customers,
    newCustomers: Number(c.new_customers),
    returningCustomers: customers - Number(c.new_customers),
    repeatCustomers: Number(c.repeat_customers),
    repeatPurchaseRate: ratio(Number(c.repeat_customers), customers),
    guestOrders: Number(o.guest_orders),
    guestOrderShare: ratio(Number(o.guest_orders), orders),
  };
}
