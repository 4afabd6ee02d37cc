/**
 * @module features/price-observations
 * What a price elasticity is estimated from: per product and day with sales, the units sold and
 * the price that day, for every product of a category (one panel, ml/pricing/category-prior.ts).
 *
 * - Lines of sales orders (not cancelled or returned) with a positive quantity, merchandise only,
 *   as the demand series (sales-series.ts).
 * - The price of a day is the median over that day's lines of what a unit was charged (the line's
 *   amount / its quantity, so line discounts count). The median, not the unit-weighted mean: one
 *   wholesale line of thousands of units at a tier price would otherwise set the day's price, and
 *   a quantity discount would read as demand responding to price.
 * - Days are UTC, numbered from 1970-01-01; a product's category is the catalogue's, `(none)` when
 *   it has none (a store without categories is one category).
 * - With `cutoff`, only orders before it, with their status as of it.
 * On a ClickHouse cluster both reads run price-observations-clickhouse.ts.
 *
 * @example
 *   const p = await productForPricing(wh, '85123A');  // { category: '(none)', title, ... }
 *   const { ids, panel } = await loadPricePanel(wh, { category: p.category });
 */
import type { PricePanel } from '../ml/pricing/category-prior.js';
import { asOf, isMerchandise, isSale, lineAmount, Params } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Columns, Warehouse } from '../warehouse/warehouse.js';
import { chPricePanelColumns, chPricingFacts } from './price-observations-clickhouse.js';

export const NO_CATEGORY = '(none)';

export interface PricingProduct {
  readonly productId: string;
  readonly title: string | null;
  readonly category: string;
  /** The store's last order day (day number): "now" for the product's recent demand. */
  readonly lastStoreDay: number;
}

/** Thrown for a product the store has neither in its catalogue nor in its order lines. */
export class UnknownPricingProductError extends Error {
  constructor(readonly productId: string) {
    super(`no product ${JSON.stringify(productId)} in the catalogue or the order lines`);
    this.name = 'UnknownPricingProductError';
  }
}

export async function productForPricing(
  wh: Warehouse,
  productId: string,
  cutoff?: Date,
): Promise<PricingProduct> {
  const r =
    wh instanceof ClickHouseStore
      ? await chPricingFacts(wh, productId, cutoff)
      : await duckPricingFacts(wh, productId, cutoff);
  if (!r.known) throw new UnknownPricingProductError(productId);
  if (r.last === null) throw new Error('the store has no orders to estimate an elasticity from');
  return { productId, title: r.title, category: r.category ?? NO_CATEGORY, lastStoreDay: Number(r.last) };
}

async function duckPricingFacts(
  wh: Warehouse,
  productId: string,
  cutoff: Date | undefined,
): Promise<{ title: string | null; category: string | null; known: boolean; last: number | null }> {
  const params = new Params();
  const id = params.add(productId);
  const orders = asOf(cutoff, params);
  const before = cutoff ? `ordered_at < CAST(${params.add(cutoff)} AS TIMESTAMP)` : 'TRUE';
  const rows = await wh.rows<{
    title: string | null;
    category: string | null;
    known: boolean;
    last: number | null;
  }>(
    `SELECT (SELECT title FROM products WHERE product_id = ${id}) AS title,
            (SELECT category FROM products WHERE product_id = ${id}) AS category,
            EXISTS (SELECT 1 FROM products WHERE product_id = ${id})
              OR EXISTS (SELECT 1 FROM order_items WHERE product_id = ${id}) AS known,
            (SELECT CAST(date_diff('day', DATE '1970-01-01', CAST(max(ordered_at) AS DATE)) AS INTEGER)
             FROM ${orders} WHERE ${before}) AS last`,
    params.values,
  );
  return rows[0]!;
}

export async function loadPricePanel(
  wh: Warehouse,
  options: { readonly category: string; readonly cutoff?: Date },
): Promise<{ ids: string[]; panel: PricePanel }> {
  const c =
    wh instanceof ClickHouseStore
      ? await chPricePanelColumns(wh, options.category, NO_CATEGORY, options.cutoff)
      : await duckPricePanelColumns(wh, options);
  const ids: string[] = [];
  const offsets: number[] = [];
  for (let row = 0; row < c.length; row++) {
    const pid = c.pid[row] ?? '';
    if (ids.length === 0 || ids[ids.length - 1] !== pid) {
      ids.push(pid);
      offsets.push(row);
    }
  }
  offsets.push(c.length);
  return {
    ids,
    panel: { offsets: Int32Array.from(offsets), day: c.d, units: c.units, price: c.price },
  };
}

async function duckPricePanelColumns(
  wh: Warehouse,
  options: { readonly category: string; readonly cutoff?: Date },
): Promise<Columns<{ pid: 'str'; d: 'i32'; units: 'f64'; price: 'f64' }>> {
  const params = new Params();
  const orders = asOf(options.cutoff, params);
  const before = options.cutoff ? `o.ordered_at < CAST(${params.add(options.cutoff)} AS TIMESTAMP)` : 'TRUE';
  const category = params.add(options.category);
  return wh.columns(
    `WITH lines AS (
       SELECT i.product_id AS pid, CAST(o.ordered_at AS DATE) AS day, i.quantity AS q,
              CAST(${lineAmount('i')} AS DOUBLE) / i.quantity AS unit
       FROM order_items i JOIN ${orders} o ON o.order_id = i.order_id
       LEFT JOIN products p ON p.product_id = i.product_id
       WHERE ${before} AND ${isSale('o')} AND i.quantity > 0 AND ${isMerchandise('p')}
         AND coalesce(p.category, '${NO_CATEGORY}') = ${category})
     SELECT pid, CAST(date_diff('day', DATE '1970-01-01', day) AS INTEGER) AS d,
            CAST(sum(q) AS DOUBLE) AS units, CAST(median(unit) AS DOUBLE) AS price
     FROM lines GROUP BY pid, day HAVING median(unit) > 0
     ORDER BY pid, d`,
    { pid: 'str', d: 'i32', units: 'f64', price: 'f64' },
    params.values,
  );
}
