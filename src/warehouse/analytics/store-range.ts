/**
 * @module warehouse/analytics/store-range
 * What a dashboard needs before it asks anything else: the span of the store's orders (to choose a
 * default period and the one before it for period-over-period change) and the currency most orders
 * are in (to format money).
 *
 * @example
 *   await storeRange(wh); // { firstOrderAt: '2010-12-01 08:26:00', lastOrderAt: '2011-12-09 12:50:00', orders: 25900, currency: 'GBP' }
 */
import type { Warehouse } from '../warehouse.js';

export interface StoreRange {
  /** 'YYYY-MM-DD HH:MM:SS' UTC, null for a store without orders. */
  readonly firstOrderAt: string | null;
  readonly lastOrderAt: string | null;
  /** Orders of every status. */
  readonly orders: number;
  /** The ISO 4217 code most orders carry; null when none carries one. */
  readonly currency: string | null;
}

export async function storeRange(wh: Warehouse): Promise<StoreRange> {
  const [row] = await wh.rows<{
    first: string | null;
    last: string | null;
    orders: number;
    currency: string | null;
  }>(
    `SELECT strftime(min(ordered_at), '%Y-%m-%d %H:%M:%S') AS first,
            strftime(max(ordered_at), '%Y-%m-%d %H:%M:%S') AS last,
            count(*)::INTEGER AS orders,
            mode(currency) AS currency
     FROM orders`,
  );
  return {
    firstOrderAt: row?.first ?? null,
    lastOrderAt: row?.last ?? null,
    orders: row?.orders ?? 0,
    currency: row?.currency ?? null,
  };
}
