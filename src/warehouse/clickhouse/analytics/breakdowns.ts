/**
 * @module warehouse/clickhouse/analytics/breakdowns
 * analytics/breakdowns.ts on ClickHouse: revenue by country and by category, and the top products,
 * with the same labels, totals and order, assembled by DuckDB's own functions.
 *  - countries: per order (orders on the left, each shard joins its own lines), then per country.
 *  - categories and products: the Distributed order_items on the left, so each shard keeps the lines
 *    of its own sales orders (`IN` its local orders: an order's lines live on its shard) and joins
 *    its own full copy of the catalogue (products are on every node: no GLOBAL JOIN).
 * 18.16 has no trim() and ANY LEFT JOIN fills a missing product with defaults rather than NULLs, so
 * a line without a catalogue row is recognised by a marker column (it counts as merchandise, as
 * DuckDB's coalesce(is_merchandise, true) has it).
 */
import {
  categoryBreakdown,
  countryBreakdown,
  NON_MERCHANDISE,
  productSales,
  topLimit,
  UNCATEGORISED,
  UNKNOWN_COUNTRY,
  type BreakdownOptions,
  type CategoryBreakdown,
  type CountryBreakdown,
  type ProductTotalsRow,
  type TopProducts,
  type TopProductsOptions,
} from '../../analytics/breakdowns.js';
import { resolvePeriod, type ResolvedPeriod } from '../../analytics/period.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { chString } from '../format-value.js';
import { fromCond, IS_SALE, LINE_AMOUNT, ordersWithAmounts, toCond } from './sql.js';

/** DuckDB's trim(): spaces off both ends. */
const trim = (column: string): string => `replaceRegexpAll(${column}, '^ +| +$', '')`;

/** `ifNull(nullIf(trim(column), ''), label)`. */
const labelled = (column: string, label: string): string =>
  `ifNull(nullIf(${trim(column)}, ''), ${chString(label)})`;

export async function chRevenueByCountry(
  ch: ClickHouseStore,
  options: BreakdownOptions = {},
): Promise<CountryBreakdown> {
  const period = resolvePeriod(options.period);
  const rows = await ch.rows<Record<string, string | number>>(`
    SELECT country_label AS country,
           countIf(is_sale) AS orders,
           toFloat64(sumIf(amount, is_sale)) AS gross,
           toFloat64(sumIf(amount, NOT is_sale)) AS undone,
           uniqExactIf(customer_id, is_sale AND customer_id IS NOT NULL) AS customers
    FROM ${ordersWithAmounts(
      ch,
      `order_id, customer_id, ${labelled('country', UNKNOWN_COUNTRY)} AS country_label, ${IS_SALE} AS is_sale`,
      `${fromCond('ordered_at', period)} AND ${toCond('ordered_at', period)}`,
    )}
    GROUP BY country_label
    ORDER BY gross DESC, country`);
  return countryBreakdown(
    period,
    rows.map((r) => ({
      country: String(r.country),
      orders: Number(r.orders),
      gross: Number(r.gross),
      undone: Number(r.undone),
      customers: Number(r.customers),
    })),
  );
}

/**
 * The lines of the period's sales orders with their catalogue row: order_id, product_id, quantity,
 * amount (exact), in_catalogue (0 when the product has no row), is_merchandise, title, category.
 */
function saleLines(ch: ClickHouseStore, period: ResolvedPeriod): string {
  return `(
      SELECT order_id, product_id, quantity, ${LINE_AMOUNT} AS amount,
             in_catalogue, is_merchandise, title, category
      FROM order_items
      ANY LEFT JOIN (
        SELECT product_id, toUInt8(1) AS in_catalogue, is_merchandise, title, category
        FROM ${ch.nodeTable('products')}
      ) USING product_id
      WHERE order_id IN (
        SELECT order_id FROM ${ch.localTable('orders')}
        WHERE ${IS_SALE} AND ${fromCond('ordered_at', period)} AND ${toCond('ordered_at', period)}
      )
    )`;
}

/** DuckDB's coalesce(is_merchandise, true) over saleLines. */
const IS_MERCHANDISE = '(in_catalogue = 0 OR is_merchandise = 1)';

export async function chRevenueByCategory(
  ch: ClickHouseStore,
  options: BreakdownOptions = {},
): Promise<CategoryBreakdown> {
  const period = resolvePeriod(options.period);
  const rows = await ch.rows<Record<string, string | number>>(`
    SELECT category_label AS category, merchandise, toFloat64(sum(amount)) AS gross, sum(quantity) AS units,
           uniqExact(order_id) AS orders
    FROM (
      SELECT order_id, quantity, amount, ${IS_MERCHANDISE} AS merchandise,
             if(merchandise, ${labelled("ifNull(category, '')", UNCATEGORISED)}, ${chString(NON_MERCHANDISE)})
               AS category_label
      FROM ${saleLines(ch, period)}
    )
    GROUP BY category_label, merchandise
    ORDER BY gross DESC, category`);
  return categoryBreakdown(
    period,
    rows.map((r) => ({
      category: String(r.category),
      merchandise: Number(r.merchandise) === 1,
      gross: Number(r.gross),
      units: Number(r.units),
      orders: Number(r.orders),
    })),
  );
}

/**
 * Best sellers by revenue and by units, merchandise only, ties broken by product_id: the per-product
 * totals are merged from every shard, then each list is one ORDER BY ... LIMIT (no window functions
 * in 18.16; DuckDB's row_number() ranks the same order).
 */
export async function chTopProducts(
  ch: ClickHouseStore,
  options: TopProductsOptions = {},
): Promise<TopProducts> {
  const limit = topLimit(options);
  const period = resolvePeriod(options.period);
  const list = async (orderBy: string): Promise<ProductTotalsRow[]> => {
    const rows = await ch.rows<Record<string, string | number | null>>(`
      SELECT product_id, title, category, toFloat64(gross) AS gross, units, orders
      FROM (
        SELECT product_id, any(if(in_catalogue = 0, NULL, title)) AS title,
               any(if(in_catalogue = 0, NULL, category)) AS category,
               sum(amount) AS gross, sum(quantity) AS units, uniqExact(order_id) AS orders
        FROM ${saleLines(ch, period)}
        WHERE ${IS_MERCHANDISE}
        GROUP BY product_id
        ORDER BY ${orderBy}, product_id
        LIMIT ${limit}
      )
      ORDER BY ${orderBy}, product_id`);
    return rows.map((r) => ({
      product_id: String(r.product_id),
      title: r.title === null ? null : String(r.title),
      category: r.category === null ? null : String(r.category),
      gross: Number(r.gross),
      units: Number(r.units),
      orders: Number(r.orders),
    }));
  };
  return {
    period,
    byRevenue: (await list('gross DESC')).map(productSales),
    byUnits: (await list('units DESC')).map(productSales),
  };
}
