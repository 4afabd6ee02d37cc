/**
 * @module features/store-country
 * The shop's home country as its orders say: the country with the most orders (ties: the first by
 * name), as the store records it (a name or a code); null when no order has one. The holidays of
 * the demand calendar are this country's (features/calendar.ts).
 */
import type { Warehouse } from '../warehouse/warehouse.js';

export async function storeCountry(wh: Warehouse): Promise<string | null> {
  const rows = await wh.rows<{ country: string }>(
    `SELECT country FROM orders WHERE country IS NOT NULL AND trim(country) <> ''
     GROUP BY country ORDER BY count(*) DESC, country LIMIT 1`,
  );
  return rows[0]?.country ?? null;
}
