/**
 * @module features/catalogue
 * What serving needs to know about each item a recommender ranks: its title (for reasons), price
 * and stock (for the business rules), aligned to the model's dense item indices. Read fresh from the
 * products table when a model is loaded, so a price or stock change applies without retraining.
 *
 * @example
 *   const c = await loadCatalogue(wh, bundle.itemIds);
 *   c.titles[3]; c.price[3]; c.inStock[3]; // 1 in stock, 0 out, 2 unknown
 */
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { chCatalogueRows } from './catalogue-clickhouse.js';

export interface ItemCatalogue {
  readonly items: number;
  readonly titles: readonly (string | null)[];
  /** NaN when the product has no price. */
  readonly price: Float64Array;
  /** 1 in stock, 0 out of stock, 2 unknown (no catalogue row, or in_stock NULL). */
  readonly inStock: Uint8Array;
}

export async function loadCatalogue(wh: Warehouse, itemIds: readonly string[]): Promise<ItemCatalogue> {
  const index = new Map<string, number>();
  itemIds.forEach((id, j) => index.set(id, j));
  const p =
    wh instanceof ClickHouseStore
      ? await chCatalogueRows(wh)
      : await wh.columns(
          `SELECT product_id, title, price,
            CASE WHEN in_stock IS NULL THEN 2 WHEN in_stock THEN 1 ELSE 0 END AS stock
     FROM products`,
          { product_id: 'str', title: 'str', price: 'f64', stock: 'i32' },
        );
  const titles: (string | null)[] = new Array<string | null>(itemIds.length).fill(null);
  const price = new Float64Array(itemIds.length).fill(NaN);
  const inStock = new Uint8Array(itemIds.length).fill(2);
  for (let r = 0; r < p.length; r++) {
    const j = index.get(p.product_id[r]!);
    if (j === undefined) continue;
    titles[j] = p.title[r] ?? null;
    price[j] = p.price[r]!;
    inStock[j] = p.stock[r]!;
  }
  return { items: itemIds.length, titles, price, inStock };
}

/** Every product id in the catalogue (products table), merchandise or not: "does this product exist?". */
export async function loadProductIds(wh: Warehouse): Promise<string[]> {
  const c = await wh.columns('SELECT product_id FROM products', { product_id: 'str' });
  return c.product_id.filter((id): id is string => id !== null);
}
