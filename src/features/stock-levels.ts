/**
 * @module features/stock-levels
 * Units on hand per product from the imported `stock` table: each product's latest count, and the
 * units sold since it (lines of sales orders with a positive quantity from the count's time on:
 * the demand series' definition), so the stock now is the count minus what has gone since (not
 * below 0). A product without a count has no row: its stock is unknown and nothing is claimed.
 *
 * Point in time: with `cutoff` (the reorder plan's forecast origin), only counts taken strictly
 * before it and orders placed strictly before it count, with their status as of it: a count dated
 * on or after the cutoff is not known yet, and neither is a sale after it.
 *
 * @example
 *   const levels = await loadStockLevels(wh);
 *   levels.get('85123A'); // { onHand: 400, asOf: 2011-12-01T00:00Z, soldSince: 120, now: 280 }
 *
 * On a ClickHouse cluster the rows come from stock-levels-clickhouse.ts.
 */
import { asOf, isSale, Params } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { chStockRows } from './stock-levels-clickhouse.js';

export interface StockLevel {
  readonly onHand: number;
  readonly asOf: Date;
  /** Units sold from asOf on. */
  readonly soldSince: number;
  /** max(0, onHand - soldSince). */
  readonly now: number;
}

export interface StockLevelOptions {
  /** Read nothing at or after this instant (counts, orders, status changes). */
  readonly cutoff?: Date;
}

export async function loadStockLevels(
  wh: Warehouse,
  options: StockLevelOptions = {},
): Promise<Map<string, StockLevel>> {
  const rows =
    wh instanceof ClickHouseStore ? await chStockRows(wh, options.cutoff) : await duckStockRows(wh, options);
  const out = new Map<string, StockLevel>();
  for (const r of rows) {
    out.set(r.product_id, {
      onHand: r.on_hand,
      asOf: r.as_of,
      soldSince: r.sold,
      now: Math.max(0, r.on_hand - r.sold),
    });
  }
  return out;
}

async function duckStockRows(
  wh: Warehouse,
  options: StockLevelOptions,
): Promise<{ product_id: string; on_hand: number; as_of: Date; sold: number }[]> {
  const params = new Params();
  const orders = asOf(options.cutoff, params);
  const at = options.cutoff ? `CAST(${params.add(options.cutoff)} AS TIMESTAMP)` : null;
  return wh.rows<{ product_id: string; on_hand: number; as_of: Date; sold: number }>(
    `WITH latest AS (
       SELECT product_id, arg_max(on_hand, as_of) AS on_hand, max(as_of) AS as_of FROM stock
       ${at ? `WHERE as_of < ${at}` : ''}
       GROUP BY product_id
     ),
     sold AS (
       SELECT i.product_id, sum(i.quantity) AS units
       FROM order_items i JOIN ${orders} o ON o.order_id = i.order_id
       JOIN latest l ON l.product_id = i.product_id
       WHERE o.ordered_at >= l.as_of ${at ? `AND o.ordered_at < ${at}` : ''} AND ${isSale('o')} AND i.quantity > 0
       GROUP BY i.product_id
     )
     SELECT l.product_id, CAST(l.on_hand AS DOUBLE) AS on_hand, l.as_of,
            CAST(coalesce(s.units, 0) AS DOUBLE) AS sold
     FROM latest l LEFT JOIN sold s ON s.product_id = l.product_id`,
    params.values,
  );
}
