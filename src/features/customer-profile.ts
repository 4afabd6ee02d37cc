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
 * @example
 *   const cut = new Date('2024-03-29T00:00:00Z');
 *   await customerIdentity(wh, 'c1', cut);      // { exists: true, firstSeenAt, country }
 *   await customerOrders(wh, 'c1', cut, 5);     // summary, channels and the last 5 orders
 */
import { isMerchandise, isSale, lineAmount, ordersAsOf } from '../warehouse/analytics/sql.js';
import type { Warehouse } from '../warehouse/warehouse.js';

/** The bound parameters of every query here: $1 the customer id, $2 the cutoff instant. */
const ID = 'CAST($1 AS VARCHAR)';
const CUT = 'CAST($2 AS TIMESTAMP)';

export interface CustomerIdentity {
  /** A customers row first seen before the cutoff, or any order or event of the id before it. */
  readonly exists: boolean;
  readonly firstSeenAt: Date | null;
  readonly country: string | null;
}

export async function customerIdentity(wh: Warehouse, id: string, cutoff: Date): Promise<CustomerIdentity> {
  const [r] = await wh.rows<{
    rows: number;
    first_seen_at: Date | null;
    country: string | null;
    acts: number;
  }>(
    `SELECT
       (SELECT count(*) FROM customers WHERE customer_id = ${ID}
          AND (first_seen_at IS NULL OR first_seen_at < ${CUT})) AS rows,
       (SELECT min(first_seen_at) FROM customers WHERE customer_id = ${ID} AND first_seen_at < ${CUT}) AS first_seen_at,
       (SELECT any_value(country) FROM customers WHERE customer_id = ${ID}
          AND (first_seen_at IS NULL OR first_seen_at < ${CUT})) AS country,
       (SELECT count(*) FROM (
          SELECT 1 FROM orders WHERE customer_id = ${ID} AND ordered_at < ${CUT}
          UNION ALL SELECT 1 FROM events WHERE customer_id = ${ID} AND occurred_at < ${CUT} LIMIT 1)) AS acts`,
    [id, cutoff],
  );
  return {
    exists: (r?.rows ?? 0) > 0 || (r?.acts ?? 0) > 0,
    firstSeenAt: r?.first_seen_at ?? null,
    country: r?.country ?? null,
  };
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

/** Per order of the customer before the cutoff: status as of it, amount, lines, units, day. */
function ordersCte(): string {
  return `
    o AS (
      SELECT order_id, ordered_at, status, channel, total FROM ${ordersAsOf(CUT)} o
      WHERE o.customer_id = ${ID} AND o.ordered_at < ${CUT}
    ),
    a AS (
      SELECT o.order_id, any_value(o.ordered_at) AS ordered_at, any_value(o.status) AS status,
             any_value(o.channel) AS channel, any_value(${isSale('o')}) AS is_sale,
             coalesce(CAST(sum(${lineAmount('i')}) AS DOUBLE), CAST(any_value(o.total) AS DOUBLE), 0) AS amount,
             count(i.order_id) AS lines, coalesce(sum(i.quantity), 0) AS units
      FROM o LEFT JOIN order_items i ON i.order_id = o.order_id GROUP BY o.order_id
    )`;
}

type SummaryRow = {
  sales: number;
  cancelled: number;
  returned: number;
  first_sale: Date | null;
  last_sale: Date | null;
  recency_days: number | null;
  tenure_days: number | null;
  spend: number | null;
  mean_gap: number | null;
  purchase_days: number;
};

export async function customerOrders(
  wh: Warehouse,
  id: string,
  cutoff: Date,
  recentLimit: number,
): Promise<CustomerOrders> {
  const params = [id, cutoff];
  const [s] = await wh.rows<SummaryRow>(
    `WITH ${ordersCte()},
     d AS (SELECT DISTINCT CAST(ordered_at AS DATE) AS d FROM a WHERE is_sale)
     SELECT count(*) FILTER (WHERE is_sale) AS sales,
            count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
            count(*) FILTER (WHERE status = 'returned') AS returned,
            min(ordered_at) FILTER (WHERE is_sale) AS first_sale,
            max(ordered_at) FILTER (WHERE is_sale) AS last_sale,
            date_diff('day', CAST(max(ordered_at) FILTER (WHERE is_sale) AS DATE), CAST(${CUT} AS DATE)) AS recency_days,
            date_diff('day', CAST(min(ordered_at) FILTER (WHERE is_sale) AS DATE), CAST(${CUT} AS DATE)) AS tenure_days,
            sum(amount) FILTER (WHERE is_sale) AS spend,
            (SELECT CASE WHEN count(*) > 1 THEN date_diff('day', min(d), max(d)) / (count(*) - 1) END FROM d) AS mean_gap,
            (SELECT count(*) FROM d) AS purchase_days
     FROM a`,
    params,
  );
  const channels = await wh.rows<{ channel: string; orders: number }>(
    `WITH ${ordersCte()}
     SELECT channel, count(*) AS orders FROM a WHERE is_sale AND channel IS NOT NULL
     GROUP BY channel ORDER BY orders DESC, channel`,
    params,
  );
  const recent = await wh.rows<ProfileOrder & Record<string, unknown>>(
    `WITH ${ordersCte()}
     SELECT order_id, ordered_at, status, amount, lines, CAST(units AS DOUBLE) AS units, channel
     FROM a ORDER BY ordered_at DESC, order_id DESC LIMIT ${Math.max(0, Math.floor(recentLimit))}`,
    params,
  );
  return {
    summary: {
      sales: s?.sales ?? 0,
      cancelled: s?.cancelled ?? 0,
      returned: s?.returned ?? 0,
      firstSaleAt: s?.first_sale ?? null,
      lastSaleAt: s?.last_sale ?? null,
      recencyDays: s?.recency_days ?? null,
      tenureDays: s?.tenure_days ?? null,
      spend: s?.spend ?? 0,
      meanGapDays: s?.mean_gap ?? null,
      purchaseDays: s?.purchase_days ?? 0,
    },
    channels,
    recent,
  };
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

/** The customer's merchandise sales lines with the month's category median unit price beside each. */
function linesCte(): string {
  return `
    sl AS (
      SELECT o.customer_id, o.order_id, date_trunc('month', o.ordered_at) AS m, p.category,
             CAST(i.quantity AS DOUBLE) AS quantity, CAST(i.unit_price AS DOUBLE) AS unit_price,
             CAST(${lineAmount('i')} AS DOUBLE) AS amount
      FROM ${ordersAsOf(CUT)} o JOIN order_items i ON i.order_id = o.order_id
      LEFT JOIN products p ON p.product_id = i.product_id
      WHERE o.ordered_at < ${CUT} AND ${isSale('o')} AND ${isMerchandise('p')}
    ),
    mine AS (SELECT * FROM sl WHERE customer_id = ${ID}),
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

export async function customerCategories(
  wh: Warehouse,
  id: string,
  cutoff: Date,
  limit: number,
): Promise<CustomerCategories> {
  const params = [id, cutoff];
  const favourites = await wh.rows<CategoryShare & Record<string, unknown>>(
    `WITH ${linesCte()}
     SELECT category, sum(amount) AS spend, sum(amount) / (SELECT sum(amount) FROM mine) AS share,
            sum(quantity) AS units, count(DISTINCT order_id) AS orders,
            sum(quantity * unit_price) FILTER (WHERE median_price > 0)
              / sum(quantity * median_price) FILTER (WHERE median_price > 0) AS price_ratio
     FROM priced WHERE category IS NOT NULL
     GROUP BY category ORDER BY spend DESC, category LIMIT ${Math.max(0, Math.floor(limit))}`,
    params,
  );
  const [p] = await wh.rows<{ ratio: number | null; lines: number }>(
    `WITH ${linesCte()}
     SELECT sum(quantity * unit_price) / sum(quantity * median_price) AS ratio, count(*) AS lines
     FROM priced WHERE median_price > 0`,
    params,
  );
  return { favourites, price: { ratio: p?.ratio ?? null, lines: p?.lines ?? 0 } };
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
  const c = await wh.columns(
    `SELECT CAST(CAST(greatest((SELECT max(ordered_at) FROM orders), (SELECT max(occurred_at) FROM events)) AS DATE)
            + 1 AS TIMESTAMP) AS d`,
    { d: 'ts' },
  );
  const d = c.d[0];
  return d === undefined || Number.isNaN(d) ? null : new Date(d);
}
