/**
 * @module features/customer-profile
 * The SQL behind one customer's profile (tasks/customers/profile.ts assembles it): who they are,
 * their orders, favourite categories, prices paid against the category medians, channels and
 * recent activity. Every query reads rows strictly before the cutoff only, and orders carry the
 * status they had at the cutoff (analytics/sql.ts ordersAsOf), so a profile "as of" a day shows
 * what was known that day. The customers row's country is its current value (the table keeps no
 * history of it).
 *
 * Price ratio: each merchandise line of the customer's sales orders with a category is set against
 * the median unit price of all sales lines of that category in the same calendar month (UTC)
 * before the cutoff; ratio = sum(quantity x price paid) / sum(quantity x category median), i.e.
 * what they paid over what the same units cost at the month's typical category price.
 *
 * The identity carries the e-mail, the names and `attributes` as stored; the profile masks them on output.
 *
 * On a ClickHouse cluster each read hands over to customer-profile-clickhouse.ts, which gives the
 * same rows; what is made of them here is shared by both engines.
 *
 * @example
 *   const cut = new Date('2024-03-29T00:00:00Z');
 *   await customerIdentity(wh, 'c1', cut);      // { exists: true, firstSeenAt, country }
 *   await customerOrders(wh, 'c1', cut, 5);     // summary, channels and the last 5 orders
 */
import { isMerchandise, isSale, lineAmount, ordersAsOf } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import {
  chCategoryRows,
  chCustomerEvents,
  chIdentityRow,
  chLatestActivityDay,
  chOrderRows,
  type IdentityRow,
} from './customer-profile-clickhouse.js';

/** The bound parameters of every query here: $1 the customer id, $2 the cutoff instant. */
const ID = 'CAST($1 AS VARCHAR)';
const CUT = 'CAST($2 AS TIMESTAMP)';

export interface CustomerIdentity {
  /** A customers row first seen before the cutoff, or any order or event of the id before it. */
  readonly exists: boolean;
  readonly firstSeenAt: Date | null;
  readonly country: string | null;
  /** As stored (the surfaces mask it: ml/text/personal-fields.ts). */
  readonly email: string | null;
  /** The customers row's `attributes` JSON, as stored; null when there is none or it is not an object. */
  readonly attributes: Record<string, unknown> | null;
  /** As stored (the surfaces mask them). */
  readonly firstName: string | null;
  readonly lastName: string | null;
}

export async function customerIdentity(wh: Warehouse, id: string, cutoff: Date): Promise<CustomerIdentity> {
  const r =
    wh instanceof ClickHouseStore ? await chIdentityRow(wh, id, cutoff) : await identityRow(wh, id, cutoff);
  return {
    exists: r.rows > 0 || r.acts > 0,
    firstSeenAt: r.first_seen_at,
    country: r.country,
    email: r.email,
    attributes: jsonObject(r.attributes),
    firstName: r.first_name,
    lastName: r.last_name,
  };
}

async function identityRow(wh: Warehouse, id: string, cutoff: Date): Promise<IdentityRow> {
  const [r] = await wh.rows<IdentityRow & Record<string, unknown>>(
    `SELECT
       (SELECT count(*) FROM customers WHERE customer_id = ${ID}
          AND (first_seen_at IS NULL OR first_seen_at < ${CUT})) AS rows,
       (SELECT min(first_seen_at) FROM customers WHERE customer_id = ${ID} AND first_seen_at < ${CUT}) AS first_seen_at,
       (SELECT any_value(country) FROM customers WHERE customer_id = ${ID}
          AND (first_seen_at IS NULL OR first_seen_at < ${CUT})) AS country,
       (SELECT any_value(email) FROM customers WHERE customer_id = ${ID}
          AND (first_seen_at IS NULL OR first_seen_at < ${CUT})) AS email,
       (SELECT CAST(any_value(attributes) AS VARCHAR) FROM customers WHERE customer_id = ${ID}
          AND (first_seen_at IS NULL OR first_seen_at < ${CUT})) AS attributes,
       (SELECT any_value(first_name) FROM customers WHERE customer_id = ${ID}
          AND (first_seen_at IS NULL OR first_seen_at < ${CUT})) AS first_name,
       (SELECT any_value(last_name) FROM customers WHERE customer_id = ${ID}
          AND (first_seen_at IS NULL OR first_seen_at < ${CUT})) AS last_name,
       (SELECT count(*) FROM (
          SELECT 1 FROM orders WHERE customer_id = ${ID} AND ordered_at < ${CUT}
          UNION ALL SELECT 1 FROM events WHERE customer_id = ${ID} AND occurred_at < ${CUT} LIMIT 1)) AS acts`,
    [id, cutoff],
  );
  return {
    rows: r?.rows ?? 0,
    first_seen_at: r?.first_seen_at ?? null,
    country: r?.country ?? null,
    email: r?.email ?? null,
    attributes: r?.attributes ?? null,
    first_name: r?.first_name ?? null,
    last_name: r?.last_name ?? null,
    acts: r?.acts ?? 0,
  };
}

function jsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export interface ProfileOrder {
  readonly order_id: string;
  readonly ordered_at: Date;
  /** The status as of the cutoff. */
  readonly status: string;
  /** Sum of the line amounts (the order total when it has no lines). */
  readonly amount: number;
  readonly lines: number;
  readonly units: number;
  readonly channel: string | null;
}

export interface OrderSummary {
  /** Sales orders (status not cancelled or returned as of the cutoff). */
  readonly sales: number;
  readonly cancelled: number;
  readonly returned: number;
  readonly firstSaleAt: Date | null;
  readonly lastSaleAt: Date | null;
  /** Whole days from the last sale's day to the cutoff's day (as RFM recency). */
  readonly recencyDays: number | null;
  /** Whole days from the first sale's day to the cutoff's day. */
  readonly tenureDays: number | null;
  /** Gross amount of the sales orders. */
  readonly spend: number;
  /** Mean days between consecutive purchase days (null with fewer than two). */
  readonly meanGapDays: number | null;
  readonly purchaseDays: number;
}

export interface CustomerOrders {
  readonly summary: OrderSummary;
  /** Sales orders per channel, most first; empty when no order of the customer records one. */
  readonly channels: { readonly channel: string; readonly orders: number }[];
  /** The latest orders of any status, newest first. */
  readonly recent: ProfileOrder[];
}

const DAY_MS = 86_400_000;
const dayNumber = (d: Date): number => Math.floor(d.getTime() / DAY_MS);

type OrderRow = ProfileOrder & { is_sale: boolean };

/**
 * One query returns the customer's orders before the cutoff (status as of it, amount, lines, units);
 * the summary, the channel counts and the latest orders are taken from those few rows here, so the
 * order lines are joined once.
 */
export async function customerOrders(
  wh: Warehouse,
  id: string,
  cutoff: Date,
  recentLimit: number,
): Promise<CustomerOrders> {
  const rows =
    wh instanceof ClickHouseStore ? await chOrderRows(wh, id, cutoff) : await orderRows(wh, id, cutoff);
  const sales = rows.filter((r) => r.is_sale);
  const days = [...new Set(sales.map((r) => dayNumber(r.ordered_at)))].sort((x, y) => x - y);
  const cutDay = dayNumber(cutoff);
  const channels = new Map<string, number>();
  for (const r of sales) if (r.channel !== null) channels.set(r.channel, (channels.get(r.channel) ?? 0) + 1);
  return {
    summary: {
      sales: sales.length,
      cancelled: rows.filter((r) => r.status === 'cancelled').length,
      returned: rows.filter((r) => r.status === 'returned').length,
      firstSaleAt: sales.at(-1)?.ordered_at ?? null,
      lastSaleAt: sales[0]?.ordered_at ?? null,
      recencyDays: days.length ? cutDay - days.at(-1)! : null,
      tenureDays: days.length ? cutDay - days[0]! : null,
      spend: sales.reduce((t, r) => t + r.amount, 0),
      meanGapDays: days.length > 1 ? (days.at(-1)! - days[0]!) / (days.length - 1) : null,
      purchaseDays: days.length,
    },
    channels: [...channels]
      .map(([channel, orders]) => ({ channel, orders }))
      .sort((x, y) => y.orders - x.orders || (x.channel < y.channel ? -1 : 1)),
    recent: rows.slice(0, Math.max(0, Math.floor(recentLimit))).map(({ is_sale: _sale, ...order }) => order),
  };
}

/** The customer's orders before the cutoff (status as of it, amount, lines, units), newest first. */
async function orderRows(wh: Warehouse, id: string, cutoff: Date): Promise<OrderRow[]> {
  return wh.rows<OrderRow & Record<string, unknown>>(
    `WITH o AS (
       SELECT order_id, ordered_at, status, channel, total
       FROM ${ordersAsOf(CUT, `o.customer_id = ${ID} AND o.ordered_at < ${CUT}`)} o
     )
     SELECT o.order_id, any_value(o.ordered_at) AS ordered_at, any_value(o.status) AS status,
            any_value(o.channel) AS channel, any_value(${isSale('o')}) AS is_sale,
            coalesce(CAST(sum(${lineAmount('i')}) AS DOUBLE), CAST(any_value(o.total) AS DOUBLE), 0) AS amount,
            count(i.order_id) AS lines, CAST(coalesce(sum(i.quantity), 0) AS DOUBLE) AS units
     FROM o LEFT JOIN order_items i ON i.order_id = o.order_id
     GROUP BY o.order_id ORDER BY ordered_at DESC, o.order_id DESC`,
    [id, cutoff],
  );
}

export interface CategoryShare {
  readonly category: string;
  /** Amount of the customer's merchandise lines in the category. */
  readonly spend: number;
  /** spend / the customer's merchandise spend (uncategorised lines included in the whole). */
  readonly share: number;
  readonly units: number;
  readonly orders: number;
  /** Their price ratio in this category (see the module comment); null without a median to compare. */
  readonly price_ratio: number | null;
}

export interface PriceRatio {
  /** sum(quantity x price paid) / sum(quantity x category median of the month); null without lines. */
  readonly ratio: number | null;
  /** Lines compared (merchandise, with a category and a positive median). */
  readonly lines: number;
}

export interface CustomerCategories {
  /** Categories by spend, most first, at most `limit`. */
  readonly favourites: CategoryShare[];
  readonly price: PriceRatio;
}

/**
 * The customer's merchandise sales lines with the month's category median unit price beside each.
 * Only the months the customer bought in are read for the medians.
 */
function linesCte(): string {
  const lines = (only: string): string => `
      SELECT o.customer_id, o.order_id, date_trunc('month', o.ordered_at) AS m, p.category,
             CAST(i.quantity AS DOUBLE) AS quantity, CAST(i.unit_price AS DOUBLE) AS unit_price,
             CAST(${lineAmount('i')} AS DOUBLE) AS amount
      FROM ${ordersAsOf(CUT, only)} o JOIN order_items i ON i.order_id = o.order_id
      LEFT JOIN products p ON p.product_id = i.product_id
      WHERE ${isSale('o')} AND ${isMerchandise('p')}`;
  return `
    mine AS (${lines(`o.customer_id = ${ID} AND o.ordered_at < ${CUT}`)}),
    months AS (SELECT DISTINCT m FROM mine WHERE category IS NOT NULL),
    sl AS (${lines(`o.ordered_at < ${CUT} AND date_trunc('month', o.ordered_at) IN (SELECT m FROM months)`)}),
    med AS (
      SELECT category, m, median(unit_price) AS median_price FROM sl
      WHERE category IS NOT NULL
        AND EXISTS (SELECT 1 FROM mine WHERE mine.category = sl.category AND mine.m = sl.m)
      GROUP BY category, m
    ),
    priced AS (
      SELECT mine.*, med.median_price FROM mine
      LEFT JOIN med ON med.category = mine.category AND med.m = mine.m
    )`;
}

type CategoryRow = Omit<CategoryShare, 'category'> & {
  category: string | null;
  everything: boolean;
  compared: number;
};

export async function customerCategories(
  wh: Warehouse,
  id: string,
  cutoff: Date,
  limit: number,
): Promise<CustomerCategories> {
  // One pass: a row per category, and the grand total (GROUPING SETS ()) for the overall ratio.
  const rows: CategoryRow[] =
    wh instanceof ClickHouseStore ? await chCategoryRows(wh, id, cutoff) : await categoryRows(wh, id, cutoff);
  const all = rows.find((r) => r.everything);
  const favourites = rows
    .filter((r) => !r.everything)
    .sort((a, b) => b.spend - a.spend || (a.category! < b.category! ? -1 : 1))
    .slice(0, Math.max(0, Math.floor(limit)))
    .map((r) => ({
      category: r.category!,
      spend: r.spend,
      share: r.share,
      units: r.units,
      orders: r.orders,
      price_ratio: r.price_ratio,
    }));
  return { favourites, price: { ratio: all?.price_ratio ?? null, lines: all?.compared ?? 0 } };
}

/** A row per category of the customer's merchandise sales lines, and the grand total (`everything`). */
async function categoryRows(wh: Warehouse, id: string, cutoff: Date): Promise<CategoryRow[]> {
  return wh.rows<CategoryRow & Record<string, unknown>>(
    `WITH ${linesCte()}
     SELECT category, grouping(category) = 1 AS everything,
            sum(amount) AS spend, sum(amount) / (SELECT sum(amount) FROM mine) AS share,
            sum(quantity) AS units, count(DISTINCT order_id) AS orders,
            sum(quantity * unit_price) FILTER (WHERE median_price > 0)
              / sum(quantity * median_price) FILTER (WHERE median_price > 0) AS price_ratio,
            count(*) FILTER (WHERE median_price > 0) AS compared
     FROM priced WHERE category IS NOT NULL
     GROUP BY GROUPING SETS ((category), ())`,
    [id, cutoff],
  );
}

export interface ProfileEvent {
  readonly event_id: string;
  readonly type: string;
  readonly product_id: string | null;
  readonly session_id: string | null;
  readonly occurred_at: Date;
}

export interface CustomerEvents {
  /** The latest events, newest first. */
  readonly recent: ProfileEvent[];
  /** Events per type in the 30 days before the cutoff. */
  readonly last30Days: Record<string, number>;
}

export async function customerEvents(
  wh: Warehouse,
  id: string,
  cutoff: Date,
  recentLimit: number,
): Promise<CustomerEvents> {
  if (wh instanceof ClickHouseStore) return chCustomerEvents(wh, id, cutoff, recentLimit);
  const params = [id, cutoff];
  const recent = await wh.rows<ProfileEvent & Record<string, unknown>>(
    `SELECT event_id, type, product_id, session_id, occurred_at FROM events
     WHERE customer_id = ${ID} AND occurred_at < ${CUT}
     ORDER BY occurred_at DESC, event_id DESC LIMIT ${Math.max(0, Math.floor(recentLimit))}`,
    params,
  );
  const counts = await wh.rows<{ type: string; n: number }>(
    `SELECT type, count(*) AS n FROM events
     WHERE customer_id = ${ID} AND occurred_at < ${CUT} AND occurred_at >= ${CUT} - INTERVAL 30 DAY
     GROUP BY type ORDER BY type`,
    params,
  );
  return { recent, last30Days: Object.fromEntries(counts.map((c) => [c.type, c.n])) };
}

/**
 * The default "as of" of a profile: midnight UTC after the latest order or event, so everything
 * the store holds is seen; null for a store with neither.
 */
export async function latestActivityDay(wh: Warehouse): Promise<Date | null> {
  if (wh instanceof ClickHouseStore) return chLatestActivityDay(wh);
  const c = await wh.columns(
    `SELECT CAST(CAST(greatest((SELECT max(ordered_at) FROM orders), (SELECT max(occurred_at) FROM events)) AS DATE)
            + 1 AS TIMESTAMP) AS d`,
    { d: 'ts' },
  );
  const d = c.d[0];
  return d === undefined || Number.isNaN(d) ? null : new Date(d);
}
