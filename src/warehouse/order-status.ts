/**
 * @module warehouse/order-status
 * Writes order status changes with their time, so features "as of" a cutoff can read the status an
 * order had then (analytics/sql.ts `ordersAsOf`). `order_status_history` is the record; `orders.status`
 * and `orders.status_changed_at` are kept equal to each order's latest history row.
 *
 * When is a status known?
 * - the source gives the time (`status_changed_at` mapped): that time;
 * - an order seen for the first time without one: at ordered_at (the status is taken as the order's
 *   own: what Online Retail's separate C-invoices and CDNOW's sales mean);
 * - a later import that shows a different status without a time: the import's time, when the change
 *   became known. Dating it at ordered_at would rewrite the past a model was trained on.
 * The same file imported twice adds nothing: a change is recorded only when it is new.
 *
 * @example
 *   await updateOrderStatus(wh, { orderId: 'O0000042', status: 'returned', changedAt: new Date() });
 */
import { ORDER_STATUSES, type OrderStatus } from '../schema/tables.js';
import type { Warehouse } from './warehouse.js';

/**
 * Sets orders.status / status_changed_at from the latest history row of the orders `ids` selects.
 * A status held since ordered_at leaves status_changed_at empty (as the column's doc says), which
 * also spares a first import from rewriting every order it just wrote.
 */
async function syncOrders(wh: Warehouse, ids: string, params: readonly (string | Date)[]): Promise<void> {
  await wh.exec(
    `UPDATE orders SET status = h.status, status_changed_at = h.changed_at
     FROM (SELECT s.order_id, s.status, nullif(s.changed_at, o.ordered_at) AS changed_at
           FROM (SELECT order_id, arg_max(status, changed_at) AS status, max(changed_at) AS changed_at
                 FROM order_status_history WHERE order_id IN (${ids}) GROUP BY order_id) s
           JOIN orders o ON o.order_id = s.order_id) h
     WHERE orders.order_id = h.order_id
       AND (orders.status <> h.status OR orders.status_changed_at IS DISTINCT FROM h.changed_at)`,
    params,
  );
}

/**
 * Records the statuses an import brought for its orders. `frame` is the import's frame table with
 * `order_id`, `status` and, when `withTimes`, `status_changed_at`; `usable` selects its rows whose
 * order was loaded. Runs after the orders are upserted. Returns the history rows written.
 */
export async function recordImportedStatuses(
  wh: Warehouse,
  frame: string,
  usable: string,
  withTimes: boolean,
  observedAt: Date,
): Promise<number> {
  // One row per order, computed once: the frame has a row per line for order_lines.
  await wh.exec(
    `CREATE OR REPLACE TEMP TABLE ss_status_in AS
     SELECT order_id, arg_min(status, _row) AS status,
            ${withTimes ? 'arg_min(status_changed_at, _row)' : 'CAST(NULL AS TIMESTAMP)'} AS changed_at
     FROM ${frame} WHERE ${usable} GROUP BY order_id`,
  );
  const [before] = await wh.rows<{ n: number }>('SELECT count(*) AS n FROM order_status_history');
  await wh.exec(
    `INSERT INTO order_status_history (order_id, status, changed_at)
     SELECT f.order_id, f.status,
            coalesce(f.changed_at, CASE WHEN h.order_id IS NULL THEN o.ordered_at ELSE CAST($1 AS TIMESTAMP) END)
     FROM ss_status_in f
     JOIN orders o ON o.order_id = f.order_id
     LEFT JOIN (SELECT order_id, arg_max(status, changed_at) AS status FROM order_status_history
                WHERE order_id IN (SELECT order_id FROM ss_status_in) GROUP BY order_id) h
       ON h.order_id = f.order_id
     WHERE h.order_id IS NULL
        OR (f.changed_at IS NULL AND h.status <> f.status)
        OR (f.changed_at IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM order_status_history x
              WHERE x.order_id = f.order_id AND x.changed_at = f.changed_at AND x.status = f.status))
     ON CONFLICT (order_id, changed_at) DO UPDATE SET status = excluded.status`,
    [observedAt],
  );
  const [after] = await wh.rows<{ n: number }>('SELECT count(*) AS n FROM order_status_history');
  await syncOrders(wh, 'SELECT order_id FROM ss_status_in', []);
  await wh.exec('DROP TABLE ss_status_in');
  return (after?.n ?? 0) - (before?.n ?? 0);
}

export interface StatusChange {
  readonly orderId: string;
  readonly status: OrderStatus;
  /** When the order took the status; not before the order was placed. */
  readonly changedAt: Date;
}

/**
 * What an order update (the API's, or a store's webhook) calls: records the change with its time and
 * brings orders.status up to the latest known change. A change dated before the latest one is kept
 * in the history (features as of that time read it) without changing the current status. Repeating a
 * call changes nothing. Returns the order's current status.
 */
export async function updateOrderStatus(wh: Warehouse, change: StatusChange): Promise<OrderStatus> {
  const { orderId, status, changedAt } = change;
  if (!(ORDER_STATUSES as readonly string[]).includes(status))
    throw new RangeError(`order status must be one of ${ORDER_STATUSES.join(', ')}, got '${status}'`);
  if (Number.isNaN(changedAt.getTime()))
    throw new RangeError(`order ${orderId}: the change time is not a date`);
  return wh.transaction(async () => {
    const [order] = await wh.rows<{ ordered_at: Date }>('SELECT ordered_at FROM orders WHERE order_id = ?', [
      orderId,
    ]);
    if (!order) throw new Error(`order ${orderId} is not in the warehouse`);
    if (changedAt.getTime() < order.ordered_at.getTime())
      throw new RangeError(
        `order ${orderId}: a status change at ${changedAt.toISOString()} is before the order (${order.ordered_at.toISOString()})`,
      );
    // An order written before any history (straight into orders) keeps what it had, from ordered_at.
    await wh.exec(
      `INSERT INTO order_status_history (order_id, status, changed_at)
       SELECT order_id, status, ordered_at FROM orders
       WHERE order_id = $1 AND NOT EXISTS (SELECT 1 FROM order_status_history WHERE order_id = $1)`,
      [orderId],
    );
    await wh.exec(
      `INSERT INTO order_status_history (order_id, status, changed_at) VALUES ($1, $2, CAST($3 AS TIMESTAMP))
       ON CONFLICT (order_id, changed_at) DO UPDATE SET status = excluded.status`,
      [orderId, status, changedAt],
    );
    await syncOrders(wh, '$1', [orderId]);
    const [now] = await wh.rows<{ status: OrderStatus }>('SELECT status FROM orders WHERE order_id = ?', [
      orderId,
    ]);
    return now!.status;
  });
}

/** The status an order has now, or undefined when the store has no such order. */
export async function currentOrderStatus(wh: Warehouse, orderId: string): Promise<OrderStatus | undefined> {
  const [row] = await wh.rows<{ status: OrderStatus }>('SELECT status FROM orders WHERE order_id = ?', [
    orderId,
  ]);
  return row?.status;
}
