/**
 * @module warehouse/clickhouse/analytics/sql
 * The ClickHouse spelling of the fragments analytics/sql.ts and period.ts give DuckDB: what a sale
 * is, what a line is worth, the period bounds, and each order with its amount, so the per-engine
 * queries share one definition of each.
 */
import type { ResolvedPeriod } from '../../analytics/period.js';
import { UNDONE_STATUSES } from '../../analytics/sql.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { chString } from '../format-value.js';

/** A sale: status not one that undoes the order (analytics/sql.ts isSale). */
export const IS_SALE = isSaleStatus('status');

/**
 * A line's amount (analytics/sql.ts lineAmount): the given total, else quantity x unit price, exact.
 * Both branches at scale 8 (18.16 refuses ifNull over Decimals of different scales).
 */
export const LINE_AMOUNT = 'ifNull(line_total * toDecimal64(1, 4), toDecimal64(quantity, 4) * unit_price)';

const at = (instant: string): string => `toDateTime(${chString(instant)}, 'UTC')`;

/** `column >= from`, or 1 without a start. */
export function fromCond(column: string, p: ResolvedPeriod): string {
  return p.from ? `${column} >= ${at(p.from)}` : '1';
}

/** `column < to`, or 1 without an end. */
export function toCond(column: string, p: ResolvedPeriod): string {
  return p.to ? `${column} < ${at(p.to)}` : '1';
}

/**
 * Orders with their `amount` (Decimal) and `units`, as a subquery: the Distributed `orders` is the
 * left side of the JOIN, so ClickHouse runs this SELECT on every shard and each shard joins its own
 * order lines (schema.ts keeps an order's lines on its shard). `columns` are orders columns or
 * expressions over them; `where` filters the orders.
 */
export function ordersWithAmounts(ch: ClickHouseStore, columns: string, where: string): string {
  return `(
      SELECT ${columns}, amount, units
      FROM orders
      ANY LEFT JOIN (
        SELECT order_id, sum(${LINE_AMOUNT}) AS amount, sum(quantity) AS units
        FROM ${ch.localTable('order_items')} GROUP BY order_id
      ) USING order_id
      WHERE ${where}
    )`;
}

/**
 * Orders with their status as of `at` (a 'YYYY-MM-DD HH:MM:SS' UTC instant) in `status_as_of`, as
 * analytics/sql.ts ordersAsOf defines it (the latest history row before `at`; 'placed' when the
 * history starts later; the order's own status without history), and their `amount` and `units`.
 * 18.16 allows one JOIN per level and a shard must join only its own rows, so the lines and the
 * history are gathered in one right side (UNION ALL, grouped by order) joined to the orders.
 * `scope.orders` is the Distributed table (default: the SELECT then runs on every shard) or, inside
 * a query that already runs per shard, ch.localTable('orders'). `where` filters the orders.
 * `scope.customerId` keeps one customer's orders, and their lines and history only: 18.16 does not
 * push the orders' filter into the right side, which would otherwise gather every order of a shard.
 */
export function ordersAsOfWithAmounts(
  ch: ClickHouseStore,
  at: string,
  columns: string,
  where: string,
  scope: { readonly orders?: string; readonly customerId?: string } = {},
): string {
  const cut = `toDateTime(${chString(at)}, 'UTC')`;
  // order_items and order_status_history carry their order's customer on ClickHouse (schema.ts).
  const whose = scope.customerId === undefined ? '1' : `customer_id = ${chString(scope.customerId)}`;
  return `(
      SELECT ${columns},
             if(h_rows = 0, status, if(h_before = 0, 'placed', h_status)) AS status_as_of, amount, units
      FROM ${scope.orders ?? 'orders'}
      ANY LEFT JOIN (
        SELECT order_id, sum(amount) AS amount, sum(units) AS units, sum(h) AS h_rows,
               sumIf(h, changed_at < ${cut}) AS h_before,
               argMaxIf(h_status, changed_at, h = 1 AND changed_at < ${cut}) AS h_status
        FROM (
          SELECT order_id, ${LINE_AMOUNT} AS amount, quantity AS units, toUInt8(0) AS h,
                 '' AS h_status, toDateTime(0, 'UTC') AS changed_at
          FROM ${ch.localTable('order_items')} WHERE ${whose}
          UNION ALL
          SELECT order_id, toDecimal64(0, 8) AS amount, toFloat64(0) AS units, toUInt8(1) AS h,
                 status AS h_status, changed_at
          FROM ${ch.localTable('order_status_history')} WHERE ${whose}
        )
        GROUP BY order_id
      ) USING order_id
      WHERE (${where}) AND ${whose}
    )`;
}

/** A sale by the status in `column` (IS_SALE for another column than `status`). */
export function isSaleStatus(column: string): string {
  return `${column} NOT IN (${UNDONE_STATUSES.map(chString).join(', ')})`;
}
