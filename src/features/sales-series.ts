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
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Columns, Warehouse } from '../warehouse/warehouse.js';
import { chSeriesCells } from './sales-series-clickhouse.js';

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

/**
 * What one engine reads for a series: the first and last period as day numbers (days since
 * 1970-01-01; null for a store with no orders before the cutoff) and, per series id and period with
 * lines, the measure's sum as exact text (units: the sum of the quantities; revenue: the DECIMAL sum
 * of the line amounts), so both engines hand the same doubles to the shared code below.
 */
export interface SeriesCells {
  readonly firstDay: number | null;
  readonly lastDay: number | null;
  readonly cells: Columns<{ key: 'str'; d: 'i32'; v: 'str' }>;
}

/** The resolved options an engine's reader takes (sales-series-clickhouse.ts for ClickHouse). */
export interface SeriesQuery {
  readonly level: SeriesLevel;
  readonly granularity: 'day' | 'week';
  readonly measure: 'units' | 'revenue';
  readonly undone: 'exclude' | 'net';
  readonly ids?: readonly string[] | undefined;
  readonly cutoff?: Date | undefined;
  readonly merchandiseOnly: boolean;
}

export async function loadSalesSeries(wh: Warehouse, options: SalesSeriesOptions): Promise<SalesSeries> {
  const q: SeriesQuery = {
    level: options.level,
    granularity: options.granularity ?? 'day',
    measure: options.measure ?? 'units',
    undone: options.undone ?? 'exclude',
    ids: options.ids && options.ids.length > 0 ? options.ids : undefined,
    cutoff: options.cutoff,
    merchandiseOnly: options.merchandiseOnly !== false,
  };
  const {
    firstDay,
    lastDay,
    cells: c,
  } = wh instanceof ClickHouseStore ? await chSeriesCells(wh, q) : await duckSeriesCells(wh, q);
  if (firstDay === null || lastDay === null) {
    throw new SeriesInputError('the store has no orders to build a sales series from');
  }
  const { granularity, measure } = q;
  const step = granularity === 'week' ? 7 : 1;
  const length = Math.round((lastDay - firstDay) / step) + 1;
  const first = new Date(firstDay * 86_400_000);
  // Series ranked by their total (largest first, ties by id), summed in period order on both engines.
  const v = Float64Array.from(c.v, (x) => Number(x));
  const totals = new Map<string, number>();
  const order = Array.from({ length: c.length }, (_, row) => row).sort((a, b) => c.d[a]! - c.d[b]!);
  for (const row of order) {
    const key = c.key[row] ?? '';
    totals.set(key, (totals.get(key) ?? 0) + v[row]!);
  }
  let ids = [...totals.keys()].sort(
    (a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : a > b ? 1 : 0),
  );
  if (options.top !== undefined) ids = ids.slice(0, Math.max(0, options.top));
  if (options.ids) {
    const missing = options.ids.filter((id) => !ids.includes(id));
    if (missing.length > 0) {
      throw new SeriesInputError(
        `no ${options.level} ${missing.map((m) => JSON.stringify(m)).join(', ')} with sales in the store${options.cutoff ? ' before the cutoff' : ''}`,
      );
    }
    // Keep the caller's order.
    ids = [...options.ids];
  }
  const index = new Map(ids.map((id, i) => [id, i]));
  const values = new Float64Array(ids.length * length);
  const firstSale = new Int32Array(ids.length).fill(length);
  for (let row = 0; row < c.length; row++) {
    const i = index.get(c.key[row] ?? '');
    if (i === undefined) continue;
    const k = Math.round((c.d[row]! - firstDay) / step);
    values[i * length + k] = v[row]!;
    if (v[row]! > 0 && k < firstSale[i]!) firstSale[i] = k;
  }
  return { level: options.level, granularity, measure, start: first, length, ids, values, firstSale };
}

/** DuckDB's reader (ClickHouse's: sales-series-clickhouse.ts). */
async function duckSeriesCells(wh: Warehouse, q: SeriesQuery): Promise<SeriesCells> {
  const params = new Params();
  const orders = asOf(q.cutoff, params);
  const before = q.cutoff ? `o.ordered_at < CAST(${params.add(q.cutoff)} AS TIMESTAMP)` : 'TRUE';
  const period =
    q.granularity === 'day' ? 'CAST(o.ordered_at AS DATE)' : `CAST(date_trunc('week', o.ordered_at) AS DATE)`;
  const dayNumber = (date: string): string => `CAST(date_diff('day', DATE '1970-01-01', ${date}) AS INTEGER)`;
  // Revenue stays DECIMAL until summed, read as text: exact, whatever order the lines are summed in.
  const amount = q.measure === 'units' ? 'i.quantity' : lineAmount('i');
  const sign = q.undone === 'net' ? `CASE WHEN ${isSale('o')} THEN 1 ELSE -1 END *` : '';
  const keep = q.undone === 'net' ? 'TRUE' : `${isSale('o')} AND i.quantity > 0`;
  const merch = q.merchandiseOnly ? isMerchandise('p') : 'TRUE';
  const range = await wh.rows<{ first: number | null; last: number | null }>(
    `SELECT ${dayNumber(`min(${period})`)} AS first, ${dayNumber(`max(${period})`)} AS last
     FROM ${orders} o WHERE ${before}`,
    params.values,
  );
  const only = q.ids ? `WHERE key IN (${q.ids.map((id) => params.add(id)).join(', ')})` : '';
  const cells = await wh.columns(
    `SELECT key, ${dayNumber('period')} AS d,
            CAST(${q.measure === 'units' ? 'CAST(sum(v) AS DOUBLE)' : 'sum(v)'} AS VARCHAR) AS v
     FROM (SELECT ${KEY[q.level]} AS key, ${period} AS period, ${sign} ${amount} AS v
           FROM order_items i JOIN ${orders} o ON o.order_id = i.order_id
           LEFT JOIN products p ON p.product_id = i.product_id
           WHERE ${before} AND ${keep} AND ${merch})
     ${only} GROUP BY key, period`,
    { key: 'str', d: 'i32', v: 'str' },
    params.values,
  );
  const r = range[0];
  return { firstDay: r?.first ?? null, lastDay: r?.last ?? null, cells };
}
