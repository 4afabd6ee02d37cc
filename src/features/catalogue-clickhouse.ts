/**
 * @module features/catalogue-clickhouse
 * The catalogue reads of catalogue.ts and product-text.ts on a ClickHouse cluster: the entry node's
 * own copy of `products` (every node holds it whole), with FINAL so a product re-imported and not
 * yet merged is one row. 18.16 has no Bool: in_stock is a Nullable(UInt8); the stock code is the
 * same (1 in stock, 0 out, 2 unknown). Text rows come sorted by product_id, as DuckDB numbers them.
 */
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';

/** product_id, title, price and stock code of every product (catalogue.ts's query). */
export function chCatalogueRows(ch: ClickHouseStore) {
  return ch.columns(
    `SELECT product_id, title, toFloat64(price) AS price,
            multiIf(isNull(in_stock), 2, in_stock = 1, 1, 0) AS stock
     FROM ${ch.nodeTable('products')} FINAL`,
    { product_id: 'str', title: 'str', price: 'f64', stock: 'i32' },
  );
}

/** The text columns of the (merchandise) products, sorted by product_id (product-text.ts's query). */
export function chProductTextRows(ch: ClickHouseStore, merchandiseOnly: boolean) {
  return ch.columns(
    `SELECT product_id, title, description, category, brand
     FROM ${ch.nodeTable('products')} FINAL
     WHERE ${merchandiseOnly ? 'ifNull(is_merchandise, 1) = 1' : '1'}
     ORDER BY product_id`,
    { product_id: 'str', title: 'str', description: 'str', category: 'str', brand: 'str' },
  );
}
