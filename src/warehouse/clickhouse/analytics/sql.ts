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
export const IS_SALE = `status NOT IN (${UNDONE_STATUSES.map(chString).join(', ')})`;

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
