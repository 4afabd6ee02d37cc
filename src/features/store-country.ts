/**
 * @module features/store-country
 * The shop's home country as its orders say: the country with the most orders (ties: the first by
 * name), as the store records it (a name or a code); null when no order has one. The holidays of
 * the demand calendar are this country's (features/calendar.ts). With a cutoff, only orders placed
 * before it count, so a backtest origin reads nothing after itself. On ClickHouse the same query in
 * its spelling (18.16 has no trim: a country of spaces only has no character other than a space).
 */
import { Params } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export async function storeCountry(wh: Warehouse, cutoff?: Date): Promise<string | null> {
  if (wh instanceof ClickHouseStore) {
    const [row] = await wh.rows<{ country: string }>(
      `SELECT country FROM orders WHERE country IS NOT NULL AND match(country, '[^ ]')
       ${cutoff ? `AND ordered_at < ${chLiteral(cutoff)}` : ''}
       GROUP BY country ORDER BY count() DESC, country LIMIT 1`,
    );
    return row?.country ?? null;
  }
  const params = new Params();
  const before = cutoff ? `AND ordered_at < CAST(${params.add(cutoff)} AS TIMESTAMP)` : '';
  const rows = await wh.rows<{ country: string }>(
    `SELECT country FROM orders WHERE country IS NOT NULL AND trim(country) <> '' ${before}
     GROUP BY country ORDER BY count(*) DESC, country LIMIT 1`,
    params.values,
  );
  return rows[0]?.country ?? null;
}
