/**
 * @module warehouse/clickhouse/analytics/store-range
 * analytics/store-range.ts on ClickHouse: the span of the orders and the currency most orders carry.
 * An empty MergeTree's min()/max() is 1970-01-01, not NULL, so a store without orders answers nulls
 * from its count. DuckDB's `mode` is spelled as the most frequent non-NULL currency (ties: the
 * smallest code), read from the Distributed `orders`; a row written without a currency may hold ''
 * rather than NULL there (seen on 18.16 for an INSERT that leaves the column out), so '' counts as none.
 */
import type { StoreRange } from '../../analytics/store-range.js';
import type { ClickHouseStore } from '../clickhouse-store.js';

export async function chStoreRange(ch: ClickHouseStore): Promise<StoreRange> {
  const [row] = await ch.rows<{ first: string; last: string; orders: string | number }>(
    'SELECT toString(min(ordered_at)) AS first, toString(max(ordered_at)) AS last, count() AS orders FROM orders',
  );
  const orders = Number(row?.orders ?? 0);
  const [top] = await ch.rows<{ code: string }>(
    `SELECT ifNull(currency, '') AS code FROM orders WHERE code != ''
     GROUP BY code ORDER BY count() DESC, code LIMIT 1`,
  );
  return {
    firstOrderAt: orders ? row!.first : null,
    lastOrderAt: orders ? row!.last : null,
    orders,
    currency: top?.code ?? null,
  };
}
