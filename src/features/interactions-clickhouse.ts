/**
 * @module features/interactions-clickhouse
 * interactions.ts's rows on a ClickHouse cluster: the same definition (sales order lines as of the
 * cutoff, product events, weights, merchandise only, the same order within a user), in SQL that
 * ClickHouse 18.16 runs: order lines join their order per shard (the Distributed order_items on the
 * left, each shard's orders and status history on the right: warehouse/clickhouse/orders-as-of.ts),
 * one JOIN per level, `multiIf` for the event weights, and each node's own copy of the catalogue.
 * UNION ALL branches carry identical types (18.16 insists), hence the casts.
 */
import { UNDONE_STATUSES } from '../warehouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import { chOrdersAsOfLocal } from '../warehouse/clickhouse/orders-as-of.js';
import type { InteractionOptions, InteractionRows, InteractionWeights } from './interactions.js';

export async function chInteractionRows(
  ch: ClickHouseStore,
  w: InteractionWeights,
  options: InteractionOptions,
): Promise<InteractionRows> {
  const window = (col: string): string =>
    [
      options.from ? `${col} >= ${chLiteral(options.from)}` : '1',
      options.cutoff ? `${col} < ${chLiteral(options.cutoff)}` : '1',
    ].join(' AND ');
  const num = (x: number): string => `toFloat64(${chLiteral(x)})`;
  const eventWeight = `multiIf(type = 'purchase', ${num(w.purchaseEvent)}, type = 'add_to_cart', ${num(w.addToCart)},
      type = 'view', ${num(w.view)}, type = 'recommendation_click', ${num(w.recommendationClick)}, toFloat64(0))`;
  const raw = `(
    SELECT uid, pid, t, src, k1, k2, w, category, p_found FROM (
      SELECT assumeNotNull(o_customer) AS uid, product_id AS pid, o_at AS t, toUInt8(0) AS src,
             order_id AS k1, toInt64(line_no) AS k2, ${num(w.orderLine)} AS w
      FROM order_items ANY INNER JOIN ${chOrdersAsOfLocal(ch, options.cutoff)} USING order_id
      WHERE o_status NOT IN (${UNDONE_STATUSES.map(chLiteral).join(', ')}) AND o_customer IS NOT NULL
        AND ${window('o_at')}
      UNION ALL
      SELECT assumeNotNull(ifNull(customer_id, concat('anon:', anonymous_id))), assumeNotNull(product_id),
             occurred_at, toUInt8(1), event_id, toInt64(0), ${eventWeight}
      FROM events
      WHERE product_id IS NOT NULL AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL)
        AND ${window('occurred_at')}
    )
    ANY LEFT JOIN (
      SELECT product_id AS pid, category, is_merchandise, toUInt8(1) AS p_found FROM ${ch.nodeTable('products')}
    ) USING pid
    WHERE w > 0 AND (p_found = 0 OR is_merchandise = 1)
  )`;
  // A product missing from the catalogue counts as merchandise (p_found = 0: the join's default row).
  const c = await ch.columns(`SELECT uid, pid, t, w FROM ${raw} ORDER BY uid, t, src, k1, k2`, {
    uid: 'str',
    pid: 'str',
    t: 'ts',
    w: 'f32',
  });
  const items = await ch.columns(
    `SELECT pid, any(if(p_found = 1, category, NULL)) AS category FROM ${raw} GROUP BY pid ORDER BY pid`,
    { pid: 'str', category: 'str' },
  );
  // Users are the distinct uids in the order the rows arrive (sorted by uid, as DuckDB's dense_rank).
  const userIds: string[] = [];
  const u = new Int32Array(c.length);
  for (let k = 0; k < c.length; k++) {
    const id = c.uid[k] ?? '';
    if (userIds.length === 0 || userIds[userIds.length - 1] !== id) userIds.push(id);
    u[k] = userIds.length - 1;
  }
  const itemIds = items.pid.map((x) => x ?? '');
  const itemIndex = new Map(itemIds.map((id, j) => [id, j]));
  const item = new Int32Array(c.length);
  for (let k = 0; k < c.length; k++) item[k] = itemIndex.get(c.pid[k] ?? '')!;
  return { u, item, t: c.t, w: c.w, userIds, itemIds, itemCategories: items.category };
}
