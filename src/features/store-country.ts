/**
 * @module features/store-country
 * The shop's home country as its orders say: the country with the most orders (ties: the first by
 * name), as the store records it (a name or a code); null when no order has one. The holidays of
 * the demand calendar are this country's (features/calendar.ts). With a cutoff, only orders placed
 * before it count, so a backtest origin reads nothing after itself.
 */
import { Params } from '../warehouse/analytics/sql.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export async function storeCountry(wh: Warehouse, cutoff?: Date): Promise<string | null> {
  const params = new Params();
  const before = cutoff ? `AND ordered_at < CAST(${params.add(cutoff)} AS TIMESTAMP)` : '';
  const rows = await wh.rows<{ country: string }>(
    `SELECT country FROM orders WHERE country IS NOT NULL AND trim(country) <> '' ${before}
     GROUP BY country ORDER BY count(*) DESC, country LIMIT 1`,
    params.values,
  );
  return rows[0]?.country ?? null;
}
