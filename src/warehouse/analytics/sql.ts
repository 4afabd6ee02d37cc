/**
 * @module warehouse/analytics/sql
 * SQL fragments every analytics query shares, so "what counts as a sale" and "what a line is worth"
 * are written once. Also the small placeholder builder the queries use to bind values.
 */
import type { SqlValue } from '../warehouse.js';

/** Statuses that undo an order: their lines are reported as cancelled/returned value, never as sales. */
export const UNDONE_STATUSES = ['cancelled', 'returned'] as const;

/** True for a sales order. `alias` is the orders table alias in the query. */
export function isSale(alias: string): string {
  return `${alias}.status NOT IN (${UNDONE_STATUSES.map((s) => `'${s}'`).join(', ')})`;
}

/**
 * The orders table with each order's status as of `at` (a SQL TIMESTAMP expression), to use in place
 * of `orders` wherever a status is read "as of" a cutoff, so a pre-cutoff order returned after the
 * cutoff is still a sale. The status is the order's latest order_status_history row strictly before
 * `at`; `placed` when its history starts at or after `at` (before its first known change an order is
 * placed); `orders.status` when it has no history at all (rows written straight into `orders`, which
 * neither imports nor updateOrderStatus do: taken as held since ordered_at). status_changed_at
 * follows, so no column of the result tells what happened at or after `at`.
 *
 * `only`, a predicate over the orders row aliased `o`, narrows both the orders and the history read
 * (e.g. one customer's orders for a profile), so a small question does not group the whole history.
 */
export function ordersAsOf(at: string, only?: string): string {
  return `(SELECT o.* REPLACE (
      CASE WHEN h.order_id IS NULL THEN o.status ELSE coalesce(h.status, 'placed') END AS status,
      CASE WHEN h.order_id IS NULL THEN o.status_changed_at ELSE h.changed_at END AS status_changed_at)
    FROM orders o LEFT JOIN (
      SELECT order_id, arg_max(status, changed_at) FILTER (WHERE changed_at < ${at}) AS status,
             max(changed_at) FILTER (WHERE changed_at < ${at}) AS changed_at
      FROM order_status_history
      ${only ? `WHERE order_id IN (SELECT o.order_id FROM orders o WHERE ${only})` : ''}
      GROUP BY order_id
    ) h ON h.order_id = o.order_id
    ${only ? `WHERE ${only}` : ''})`;
}

/** `orders` as of an optional cutoff bound through `params`: the current table when there is none. */
export function asOf(cutoff: Date | undefined, params: Params): string {
  return cutoff ? ordersAsOf(`CAST(${params.add(cutoff)} AS TIMESTAMP)`) : 'orders';
}

/**
 * A line's amount: the line total the source gave, else quantity * unit_price, as an exact DECIMAL.
 * quantity is stored as DOUBLE; casting it to DECIMAL first keeps sums of money exact (a DOUBLE sum
 * of 0.1s drifts), and the caller casts the final sum back to DOUBLE for JavaScript.
 */
export function lineAmount(alias: string): string {
  return `coalesce(${alias}.line_total, CAST(${alias}.quantity AS DECIMAL(18,4)) * ${alias}.unit_price)`;
}

/** A product is merchandise unless the catalogue says otherwise (a line with no catalogue row counts). */
export function isMerchandise(alias: string): string {
  return `coalesce(${alias}.is_merchandise, true)`;
}

/** Collects bound values and hands out `$n` placeholders, so a value can be referenced more than once. */
export class Params {
  readonly values: SqlValue[] = [];
  add(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** `a / b`, or null when b is 0 (a rate over nothing is unknown, not zero). */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null;
}

/** Round money to 4 decimals (the warehouse's DECIMAL scale) to drop float noise from derived values. */
export function money(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** The three revenue figures every breakdown reports, from a row's gross and undone sums. */
export function revenueFields(r: { readonly gross: number; readonly undone: number }): {
  grossRevenue: number;
  cancelledReturnedValue: number;
  netRevenue: number;
} {
  return {
    grossRevenue: money(r.gross),
    cancelledReturnedValue: money(r.undone),
    netRevenue: money(r.gross - r.undone),
  };
}
