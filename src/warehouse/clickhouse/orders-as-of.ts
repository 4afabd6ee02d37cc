/**
 * @module warehouse/clickhouse/orders-as-of
 * The ClickHouse spelling of analytics/sql.ts `ordersAsOf`: each order with the status it had at an
 * instant (its latest order_status_history row strictly before it; 'placed' when its history starts
 * at or after it; its own status when it has no history), read from ONE node's local tables. Meant
 * as the right side of a JOIN whose left side is a Distributed table of the same shard key
 * (order_items, orders): ClickHouse sends that SELECT to every shard and each shard joins its own
 * orders and history (schema.ts keeps an order, its lines and its history on one shard).
 *
 * Columns: order_id, and o_customer, o_at, o_status, o_country, o_total (prefixed so that a USING
 * join never meets a left column of the same name). 18.16 allows one JOIN per SELECT level, hence
 * the nesting; its ANY LEFT JOIN fills a missing right row with defaults, hence h_n (0 = no history).
 */
import type { ClickHouseStore } from './clickhouse-store.js';
import { chLiteral } from './format-value.js';

export function chOrdersAsOfLocal(ch: ClickHouseStore, at: Date | undefined): string {
  const status = at ? `if(h_n = 0, status, if(h_before > 0, h_status, 'placed'))` : 'status';
  const history = at
    ? `ANY LEFT JOIN (
        SELECT order_id, count() AS h_n, countIf(changed_at < ${chLiteral(at)}) AS h_before,
               argMaxIf(status, changed_at, changed_at < ${chLiteral(at)}) AS h_status
        FROM ${ch.localTable('order_status_history')} GROUP BY order_id
      ) USING order_id`
    : '';
  return `(
      SELECT order_id, customer_id AS o_customer, ordered_at AS o_at, ${status} AS o_status,
             country AS o_country, total AS o_total
      FROM ${ch.localTable('orders')} ${history}
    )`;
}
