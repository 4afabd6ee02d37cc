/**
 * @module features/sales-orders-clickhouse
 * The per-order step the labels (customer-outcomes.ts) and the BTYD summaries (btyd-summary.ts)
 * share on a ClickHouse cluster: each sales order with a customer, its status as of an instant
 * (warehouse/clickhouse/orders-as-of.ts, the rule analytics/sql.ts ordersAsOf gives DuckDB) and its
 * exact amount (Decimal: the sum of its lines, else the order's total, else 0, as DuckDB's
 * `coalesce(sum(lineAmount), total, 0)`).
 *
 * Used as the right side of `FROM orders ANY INNER JOIN <this> USING order_id`: the Distributed
 * `orders` on the left sends the SELECT to every shard and each shard joins its own orders, history
 * and lines (one shard per customer, schema.ts). Columns: order_id, o_customer, o_at, amount.
 * 18.16 allows one JOIN per SELECT level, hence the nesting; its ANY LEFT JOIN fills a missing right
 * row with defaults (0, not NULL), hence l_found; `if` over Decimals of different scales is refused,
 * hence both branches at scale 8 in a Decimal128.
 */
import { UNDONE_STATUSES } from '../warehouse/analytics/sql.js';
import { LINE_AMOUNT } from '../warehouse/clickhouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import { chOrdersAsOfLocal } from '../warehouse/clickhouse/orders-as-of.js';

/** Decimal scale of `amount` (LINE_AMOUNT's, kept by the sums): exact text parses to the same double on both engines. */
export const SALES_AMOUNT_SCALE = 8;

/** Sales orders with a customer, status as of `statusAt`, placed in [from, to) (either bound optional). */
export function chSalesOrders(
  ch: ClickHouseStore,
  statusAt: Date,
  placed: { readonly from?: Date; readonly to: Date },
): string {
  const undone = UNDONE_STATUSES.map(chLiteral).join(', ');
  const from = placed.from ? `AND o_at >= ${chLiteral(placed.from)}` : '';
  return `(
      SELECT order_id, o_customer, o_at,
             if(l_found = 1, l_amount, toDecimal128(ifNull(o_total, toDecimal64(0, 4)), 8)) AS amount
      FROM ${chOrdersAsOfLocal(ch, statusAt)} ANY LEFT JOIN (
        SELECT order_id, toUInt8(1) AS l_found, toDecimal128(sum(${LINE_AMOUNT}), 8) AS l_amount
        FROM ${ch.localTable('order_items')} GROUP BY order_id
      ) USING order_id
      WHERE o_customer IS NOT NULL AND o_status NOT IN (${undone})
        ${from} AND o_at < ${chLiteral(placed.to)}
    )`;
}
