/**
 * @module features/stock-levels-clickhouse
 * stock-levels.ts's rows on a ClickHouse cluster: each product's latest count (the `stock` table,
 * written whole to every node: clickhouse/schema.ts) and the units of sales lines (status as of the
 * cutoff, positive quantity) placed from the count's time on. The lines are gathered per shard
 * (order_items joined to each shard's orders as of the cutoff: clickhouse/orders-as-of.ts), only
 * for counted products and from the earliest count on, then joined to the counts on the entry node.
 */
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import { chOrdersAsOfLocal } from '../warehouse/clickhouse/orders-as-of.js';
import { CH_LINE_IS_SALE } from './sales-series-clickhouse.js';

export interface ChStockRow {
  readonly product_id: string;
  readonly on_hand: number;
  readonly as_of: Date;
  readonly sold: number;
}

export async function chStockRows(ch: ClickHouseStore, cutoff: Date | undefined): Promise<ChStockRow[]> {
  const stock = ch.nodeTable('stock');
  const counted = cutoff ? `WHERE as_of < ${chLiteral(cutoff)}` : '';
  const latest = `(SELECT product_id, argMax(on_hand, as_of) AS on_hand, max(as_of) AS s_as_of
                   FROM ${stock} ${counted} GROUP BY product_id)`;
  const rows = await ch.rows<{ product_id: string; on_hand: number; as_of: string; sold: number }>(
    `SELECT product_id, on_hand, toString(s_as_of) AS as_of, sold
     FROM ${latest} ANY LEFT JOIN (
       SELECT product_id, sum(quantity) AS sold
       FROM (
         SELECT product_id, quantity, o_at
         FROM order_items ANY INNER JOIN ${chOrdersAsOfLocal(ch, cutoff)} USING order_id
         WHERE ${CH_LINE_IS_SALE} AND quantity > 0 ${cutoff ? `AND o_at < ${chLiteral(cutoff)}` : ''}
           AND product_id IN (SELECT product_id FROM ${stock} ${counted})
           AND o_at >= (SELECT min(as_of) FROM ${stock} ${counted})
       ) ANY INNER JOIN ${latest} USING product_id
       WHERE o_at >= s_as_of
       GROUP BY product_id
     ) USING product_id`,
  );
  return rows.map((r) => ({
    product_id: r.product_id,
    on_hand: Number(r.on_hand),
    as_of: new Date(`${r.as_of.replace(' ', 'T')}Z`),
    sold: Number(r.sold),
  }));
}
