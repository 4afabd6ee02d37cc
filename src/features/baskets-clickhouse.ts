/**
 * @module features/baskets-clickhouse
 * baskets.ts's (order, product) pairs on a ClickHouse cluster: the distinct merchandise products of
 * each sales order (its status as of the cutoff when there is one), in SQL 18.16 runs. The
 * Distributed order_items is the left side, each shard's own orders and status history the right
 * (warehouse/clickhouse/orders-as-of.ts), one JOIN per level, and each node's copy of the catalogue;
 * a product missing from the catalogue, or with no merchandise flag, counts as merchandise (DuckDB's
 * `coalesce(p.is_merchandise, true)`). baskets.ts numbers the ids as DuckDB does.
 */
import { UNDONE_STATUSES } from '../warehouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import { chOrdersAsOfLocal } from '../warehouse/clickhouse/orders-as-of.js';
import type { BasketOptions } from './baskets.js';

export async function chBasketPairs(
  ch: ClickHouseStore,
  options: BasketOptions,
): Promise<{ orderIds: string[]; productIds: string[] }> {
  const window = [
    options.from ? `o_at >= ${chLiteral(options.from)}` : '1',
    options.cutoff ? `o_at < ${chLiteral(options.cutoff)}` : '1',
  ].join(' AND ');
  const c = await ch.columns(
    `SELECT DISTINCT order_id, product_id FROM (
       SELECT order_id, product_id
       FROM order_items ANY INNER JOIN ${chOrdersAsOfLocal(ch, options.cutoff)} USING order_id
       WHERE o_status NOT IN (${UNDONE_STATUSES.map(chLiteral).join(', ')}) AND ${window}
     )
     ANY LEFT JOIN (
       SELECT product_id, is_merchandise, toUInt8(1) AS p_found FROM ${ch.nodeTable('products')}
     ) USING product_id
     WHERE p_found = 0 OR ifNull(is_merchandise, 1) = 1`,
    { order_id: 'str', product_id: 'str' },
  );
  return {
    orderIds: c.order_id.map((id) => id ?? ''),
    productIds: c.product_id.map((id) => id ?? ''),
  };
}
