/**
 * @module features/product-text
 * The catalogue's text fields per product, for content similarity (products nobody has bought yet
 * still have a title). Merchandise only by default: postage and fee codes have no description worth
 * matching.
 *
 * @example
 *   const t = await loadProductText(wh);
 *   t.productIds[0]; t.title[0];   // '10002', 'INFLATABLE POLITICAL GLOBE'
 *   productDocument(t, 0);         // title, description, category and brand in one string
 */
import { isMerchandise } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { chProductTextRows } from './catalogue-clickhouse.js';

export interface ProductText {
  /** Ascending by product_id; the other arrays are parallel to it (null when the field is empty). */
  readonly productIds: string[];
  readonly title: (string | null)[];
  readonly description: (string | null)[];
  readonly category: (string | null)[];
  readonly brand: (string | null)[];
}

export interface ProductTextOptions {
  /** Leave out non-merchandise codes (default true). */
  readonly merchandiseOnly?: boolean;
}

export async function loadProductText(wh: Warehouse, options: ProductTextOptions = {}): Promise<ProductText> {
  if (wh instanceof ClickHouseStore) {
    const t = await chProductTextRows(wh, options.merchandiseOnly ?? true);
    return {
      productIds: t.product_id.map((id) => id ?? ''),
      title: t.title,
      description: t.description,
      category: t.category,
      brand: t.brand,
    };
  }
  const where = (options.merchandiseOnly ?? true) ? isMerchandise('p') : 'TRUE';
  const c = await wh.columns(
    `SELECT product_id, title, description, category, brand, row_number() OVER (ORDER BY product_id) - 1 AS n
     FROM products p WHERE ${where}`,
    { product_id: 'str', title: 'str', description: 'str', category: 'str', brand: 'str', n: 'i32' },
  );
  // Placed by row number, so the result does not depend on the order rows arrive in.
  const place = <T>(values: T[]): T[] => {
    const out = new Array<T>(c.length);
    for (let k = 0; k < c.length; k++) out[c.n[k]!] = values[k]!;
    return out;
  };
  return {
    productIds: place(c.product_id.map((id) => id ?? '')),
    title: place(c.title),
    description: place(c.description),
    category: place(c.category),
    brand: place(c.brand),
  };
}

/** Product i's text fields in one string (title, description, category, brand; empty ones skipped). */
export function productDocument(t: ProductText, i: number): string {
  return [t.title[i], t.description[i], t.category[i], t.brand[i]].filter((s) => s).join(' ');
}
