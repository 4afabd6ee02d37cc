/**
 * @module features/sales-series
 * Daily or weekly units or revenue per total, country, category or product, read from the
 * warehouse as one dense Float64Array (series x periods, zero-filled), the input of ml/forecast.
 *
 * @example
 *   const s = await loadSalesSeries(wh, { level: 'country', top: 5 });
 *   s.ids[0];                                  // 'United Kingdom' (largest first)
 *   seriesValues(s, 0);                         // its daily units, s.length days from s.start
 *
 * What counts (the option `undone`):
 * - `exclude` (default): lines of sales orders (status not cancelled or returned) with a positive
 *   quantity; cancellations, returns and negative quantities are left out, so the series is demand.
 * - `net`: sales lines minus the lines of cancelled and returned orders, on the cancelled order's
 *   own date (a credit note dated the day it was issued), so a day can be negative.
 * Postage, fees and vouchers (is_merchandise false) are left out unless `merchandiseOnly` is false.
 * Periods run from the store's first to its last order day (or week, Monday-based), UTC, the same
 * for every series, so a product launched late starts with zeros (`firstSale` says where it starts).
 * With `cutoff`, only orders strictly before it count, with their status as of it (point in time).
 * Country is the order's, category the product's; a missing one is `(unknown)` / `(none)`.
 */
import { asOf, isMerchandise, isSale, lineAmount, Params } from '../warehouse/analytics/sql.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export type SeriesLevel = 'total' | 'country' | 'category' | 'product';
export const SERIES_LEVELS: readonly SeriesLevel[] = ['total', 'country', 'category', 'product'];

export interface SalesSeriesOptions {
  readonly level: SeriesLevel;
  readonly granularity?: 'day' | 'week';
  readonly measure?: 'units' | 'revenue';
  readonly undone?: 'exclude' | 'net';
  /** Only these ids (in this order); an id with no sales is an error naming it. */
  readonly ids?: readonly string[];
  /** Only the largest `top` series by the measure's total. */
  readonly top?: number;
  readonly cutoff?: Date;
  readonly merchandiseOnly?: boolean;
}

export interface SalesSeries {
  readonly level: SeriesLevel;
  readonly granularity: 'day' | 'week';
  readonly measure: 'units' | 'revenue';
  /** The first period (a UTC day, or the Monday of the first week). */
  readonly start: Date;
  /** Periods per series. */
  readonly length: number;
  /** Series ids, largest total first (or in the order `ids` gave). */
  readonly ids: string[];
  /** Row-major: series i is values[i*length .. (i+1)*length). */
  readonly values: Float64Array;
  /** Per series, the index of its first period with a sale (length when it has none). */
  readonly firstSale: Int32Array;
}

/** Thrown when the store or an asked-for id has nothing to build a series from. */
export class SeriesInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeriesInputError';
  }
}

export function seriesValues(s: SalesSeries, i: number): Float64Array {
  return s.values.subarray(i * s.length, (i + 1) * s.length);
}

/** The date of period k of a series (UTC). */
export function periodDate(s: Pick<SalesSeries, 'start' | 'granularity'>, k: number): Date {
  return new Date(s.start.getTime() + k * (s.granularity === 'week' ? 7 : 1) * 86_400_000);
}

const KEY: Record<SeriesLevel, string> = {
  total: `'total'`,
  country: `coalesce(o.country, '(unknown)')`,
  category: `coalesce(p.category, '(none)')`,
  product: 'i.product_id',
};

export async function loadSalesSeries(wh: Warehouse, options: SalesSeriesOptions): Promise<SalesSeries> {
  const granularity = options.granularity ?? 'day';
  const measure = options.measure ?? 'units';
  const undone = options.undone ?? 'exclude';
  const params = new Params();
  const orders = asOf(options.cutoff, params);
  const before = options.cutoff ? `o.ordered_at < CAST(${params.add(options.cutoff)} AS TIMESTAMP)` : 'TRUE';
  const period =
    granularity === 'day' ? 'CAST(o.ordered_at AS DATE)' : `CAST(date_trunc('week', o.ordered_at) AS DATE)`;
  const amount = measure === 'units' ? 'i.quantity' : `CAST(${lineAmount('i')} AS DOUBLE)`;
  const sign = undone === 'net' ? `CASE WHEN ${isSale('o')} THEN 1 ELSE -1 END *` : '';
  const keep = undone === 'net' ? 'TRUE' : `${isSale('o')} AND i.quantity > 0`;
  const merch = options.merchandiseOnly === false ? 'TRUE' : isMerchandise('p');
  const range = await wh.rows<{ first: Date | null; last: Date | null }>(
    `SELECT CAST(min(${period}) AS TIMESTAMP) AS first, CAST(max(${period}) AS TIMESTAMP) AS last
     FROM ${orders} o WHERE ${before}`,
    params.values,
  );
  const first = range[0]?.first;
  const last = range[0]?.last;
  if (!first || !last) throw new SeriesInputError('the store has no orders to build a sales series from');
  const step = granularity === 'week' ? 7 : 1;
  const length = Math.round((last.getTime() - first.getTime()) / 86_400_000 / step) + 1;
  const startParam = params.add(first);
  const lines = `SELECT ${KEY[options.level]} AS key, ${period} AS period, ${sign} ${amount} AS v
    FROM order_items i JOIN ${orders} o ON o.order_id = i.order_id
    LEFT JOIN products p ON p.product_id = i.product_id
    WHERE ${before} AND ${keep} AND ${merch}`;
  const only =
    options.ids && options.ids.length > 0
      ? `WHERE key IN (${options.ids.map((id) => params.add(id)).join(', ')})`
      : '';
  const topParam = options.top !== undefined ? params.add(options.top) : null;
  const c = await wh.columns(
    `WITH lines AS (${lines}),
     per AS (SELECT key, period, sum(v) AS v FROM lines ${only} GROUP BY key, period),
     keys AS (SELECT key, sum(v) AS total FROM per GROUP BY key
              ORDER BY total DESC, key ${topParam ? `LIMIT ${topParam}` : ''}),
     ranked AS (SELECT key, row_number() OVER (ORDER BY total DESC, key) - 1 AS r FROM keys)
     SELECT ranked.key, CAST(ranked.r AS INTEGER) AS r,
            CAST(date_diff('day', CAST(${startParam} AS DATE), per.period) / ${step} AS INTEGER) AS k,
            CAST(per.v AS DOUBLE) AS v
     FROM per JOIN ranked ON ranked.key = per.key ORDER BY r, k`,
    { key: 'str', r: 'i32', k: 'i32', v: 'f64' },
    params.values,
  );
  let ids: string[] = [];
  for (let row = 0; row < c.length; row++) ids[c.r[row]!] = c.key[row] ?? '';
  let rank: Int32Array | null = null;
  if (options.ids) {
    const missing = options.ids.filter((id) => !ids.includes(id));
    if (missing.length > 0) {
      throw new SeriesInputError(
        `no ${options.level} ${missing.map((m) => JSON.stringify(m)).join(', ')} with sales in the store${options.cutoff ? ' before the cutoff' : ''}`,
      );
    }
    // Keep the caller's order.
    rank = Int32Array.from(ids, (id) => options.ids!.indexOf(id));
    ids = [...options.ids];
  }
  const values = new Float64Array(ids.length * length);
  const firstSale = new Int32Array(ids.length).fill(length);
  for (let row = 0; row < c.length; row++) {
    const i = rank ? rank[c.r[row]!]! : c.r[row]!;
    const k = c.k[row]!;
    values[i * length + k] = c.v[row]!;
    if (c.v[row]! > 0 && k < firstSale[i]!) firstSale[i] = k;
  }
  return { level: options.level, granularity, measure, start: first, length, ids, values, firstSale };
}
