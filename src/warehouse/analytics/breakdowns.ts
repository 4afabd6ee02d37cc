/**
 * @module warehouse/analytics/breakdowns
 * Revenue split by country and by category, and the best-selling products.
 * Country and category splits add up to the period's gross revenue: postage and fees are revenue,
 * so categories carry them in a separate row flagged `merchandise: false` rather than dropping them.
 * Top products are product analytics and leave non-merchandise out entirely.
 *
 * @example
 *   (await revenueByCountry(wh)).rows[0]; // { country: 'United Kingdom', grossRevenue: ..., share: 0.84, ... }
 *   (await topProducts(wh, { limit: 5 })).byUnits;
 */
import type { Warehouse } from '../warehouse.js';
import { periodClause, resolvePeriod, type Period, type ResolvedPeriod } from './period.js';
import { isMerchandise, isSale, lineAmount, money, Params, ratio, revenueFields } from './sql.js';

export interface BreakdownOptions {
  readonly period?: Period;
}

/** Label for orders whose country is empty. */
export const UNKNOWN_COUNTRY = 'unknown';
/** Label for merchandise with no category. */
export const UNCATEGORISED = 'uncategorised';
/** Label of the row that gathers postage, fees and other non-merchandise lines. */
export const NON_MERCHANDISE = 'non-merchandise';

export interface CountryRevenue {
  readonly country: string;
  readonly orders: number;
  readonly grossRevenue: number;
  readonly cancelledReturnedValue: number;
  readonly netRevenue: number;
  readonly customers: number;
  /** grossRevenue / total gross revenue of the period. */
  readonly share: number | null;
}

export interface CountryBreakdown {
  readonly period: ResolvedPeriod;
  readonly rows: CountryRevenue[];
}

export type CountryRow = {
  country: string;
  orders: number;
  gross: number;
  undone: number;
  customers: number;
};

/** Sales by orders.country, largest gross revenue first. */
export async function revenueByCountry(
  wh: Warehouse,
  options: BreakdownOptions = {},
): Promise<CountryBreakdown> {
  const period = resolvePeriod(options.period);
  const params = new Params();
  const sql = `
    WITH p AS (
      SELECT o.order_id, any_value(coalesce(nullif(trim(o.country), ''), '${UNKNOWN_COUNTRY}')) AS country,
             any_value(o.customer_id) AS customer_id, any_value(${isSale('o')}) AS is_sale,
             coalesce(sum(${lineAmount('i')}), 0) AS amount
      FROM orders o LEFT JOIN order_items i ON i.order_id = o.order_id
      WHERE ${periodClause('o.ordered_at', period, params)}
      GROUP BY o.order_id
    )
    SELECT country,
           count(*) FILTER (WHERE is_sale) AS orders,
           CAST(coalesce(sum(amount) FILTER (WHERE is_sale), 0) AS DOUBLE) AS gross,
           CAST(coalesce(sum(amount) FILTER (WHERE NOT is_sale), 0) AS DOUBLE) AS undone,
           count(DISTINCT customer_id) FILTER (WHERE is_sale) AS customers
    FROM p GROUP BY country
    ORDER BY gross DESC, country`;
  return countryBreakdown(period, await wh.rows<CountryRow>(sql, params.values));
}

/** The breakdown from the engine's rows (largest gross first), shared by both engines. */
export function countryBreakdown(period: ResolvedPeriod, rows: readonly CountryRow[]): CountryBreakdown {
  const total = rows.reduce((s, r) => s + r.gross, 0);
  return {
    period,
    rows: rows.map((r) => ({
      country: r.country,
      orders: r.orders,
      ...revenueFields(r),
      customers: r.customers,
      share: ratio(r.gross, total),
    })),
  };
}

export interface CategoryRevenue {
  /** products.category; 'uncategorised' when empty; 'non-merchandise' for postage/fees. */
  readonly category: string;
  /** False only for the row gathering non-merchandise lines. */
  readonly merchandise: boolean;
  readonly grossRevenue: number;
  readonly units: number;
  /** Sales orders with at least one line in the category. */
  readonly orders: number;
  readonly share: number | null;
}

export interface CategoryBreakdown {
  readonly period: ResolvedPeriod;
  readonly rows: CategoryRevenue[];
}

export type CategoryRow = {
  category: string;
  merchandise: boolean;
  gross: number;
  units: number;
  orders: number;
};

/** Sales lines by products.category, largest gross revenue first. */
export async function revenueByCategory(
  wh: Warehouse,
  options: BreakdownOptions = {},
): Promise<CategoryBreakdown> {
  const period = resolvePeriod(options.period);
  const params = new Params();
  const sql = `
    WITH l AS (
      SELECT i.order_id, i.quantity, ${lineAmount('i')} AS amount, ${isMerchandise('p')} AS merchandise,
             CASE WHEN ${isMerchandise('p')} THEN coalesce(nullif(trim(p.category), ''), '${UNCATEGORISED}')
                  ELSE '${NON_MERCHANDISE}' END AS category
      FROM orders o
      JOIN order_items i ON i.order_id = o.order_id
      LEFT JOIN products p ON p.product_id = i.product_id
      WHERE ${isSale('o')} AND ${periodClause('o.ordered_at', period, params)}
    )
    SELECT category, merchandise, CAST(sum(amount) AS DOUBLE) AS gross, sum(quantity) AS units,
           count(DISTINCT order_id) AS orders
    FROM l GROUP BY category, merchandise
    ORDER BY gross DESC, category`;
  return categoryBreakdown(period, await wh.rows<CategoryRow>(sql, params.values));
}

/** The breakdown from the engine's rows (largest gross first), shared by both engines. */
export function categoryBreakdown(period: ResolvedPeriod, rows: readonly CategoryRow[]): CategoryBreakdown {
  const total = rows.reduce((s, r) => s + r.gross, 0);
  return {
    period,
    rows: rows.map((r) => ({
      category: r.category,
      merchandise: r.merchandise,
      grossRevenue: money(r.gross),
      units: r.units,
      orders: r.orders,
      share: ratio(r.gross, total),
    })),
  };
}

export interface TopProductsOptions {
  readonly period?: Period;
  /** How many products per list (default 10). */
  readonly limit?: number;
}

export interface ProductSales {
  readonly productId: string;
  readonly title: string | null;
  readonly category: string | null;
  readonly grossRevenue: number;
  readonly units: number;
  /** Sales orders containing the product. */
  readonly orders: number;
}

export interface TopProducts {
  readonly period: ResolvedPeriod;
  readonly byRevenue: ProductSales[];
  readonly byUnits: ProductSales[];
}

/** A product's totals as an engine returns them. */
export type ProductTotalsRow = {
  product_id: string;
  title: string | null;
  category: string | null;
  gross: number;
  units: number;
  orders: number;
};

type ProductRow = ProductTotalsRow & { rank_revenue: number; rank_units: number };

/** One entry of a top list (shared by both engines). */
export function productSales(r: ProductTotalsRow): ProductSales {
  return {
    productId: r.product_id,
    title: r.title,
    category: r.category,
    grossRevenue: money(r.gross),
    units: r.units,
    orders: r.orders,
  };
}

/** options.limit checked (default 10). */
export function topLimit(options: TopProductsOptions): number {
  const limit = options.limit ?? 10;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return limit;
}

/**
 * Best sellers by revenue and by units, merchandise only. Both rankings come from one aggregate:
 * the two row_number()s rank the same per-product totals and QUALIFY keeps the union of both tops.
 * Ties are broken by product_id so the lists are stable.
 */
export async function topProducts(wh: Warehouse, options: TopProductsOptions = {}): Promise<TopProducts> {
  const limit = topLimit(options);
  const period = resolvePeriod(options.period);
  const params = new Params();
  const sql = `
    WITH agg AS (
      SELECT i.product_id, any_value(p.title) AS title, any_value(p.category) AS category,
             sum(${lineAmount('i')}) AS gross, sum(i.quantity) AS units, count(DISTINCT i.order_id) AS orders
      FROM orders o
      JOIN order_items i ON i.order_id = o.order_id
      LEFT JOIN products p ON p.product_id = i.product_id
      WHERE ${isSale('o')} AND ${isMerchandise('p')} AND ${periodClause('o.ordered_at', period, params)}
      GROUP BY i.product_id
    )
    SELECT product_id, title, category, CAST(gross AS DOUBLE) AS gross, units, orders,
           row_number() OVER (ORDER BY gross DESC, product_id) AS rank_revenue,
           row_number() OVER (ORDER BY units DESC, product_id) AS rank_units
    FROM agg
    QUALIFY rank_revenue <= ${params.add(limit)} OR rank_units <= ${params.add(limit)}`;
  const rows = await wh.rows<ProductRow>(sql, params.values);
  const pick = (key: 'rank_revenue' | 'rank_units'): ProductSales[] =>
    rows
      .filter((r) => r[key] <= limit)
      .sort((a, b) => a[key] - b[key])
      .map(productSales);
  return { period, byRevenue: pick('rank_revenue'), byUnits: pick('rank_units') };
}
