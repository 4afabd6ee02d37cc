/**
 * @module features/customer-features
 * Point-in-time customer features: one row per customer with at least one sales order strictly
 * before the cutoff, computed in one SQL query that reads nothing at or after the cutoff, then read
 * column by column into a row-major Float32Array (NaN = missing).
 *
 * Who is in: customers (non-null customer_id) with a sales order (status not cancelled/returned)
 * before the cutoff. Customers whose only orders were cancelled never bought and are not scored;
 * zero-value orders still count as orders (their spend is 0).
 *
 * @example
 *   const m = await customerFeatures(wh, { cutoff: new Date('2011-09-09T00:00:00Z') });
 *   m.rows; m.cols;                    // 3362, 31 on Online Retail (no events)
 *   m.values[r * m.cols + m.names.indexOf('recency_days')];
 */
import { isMerchandise, lineAmount, ordersAsOf } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Columns, Warehouse } from '../warehouse/warehouse.js';
import { chCustomerFeatureColumns } from './customer-features-clickhouse.js';
import { featureDefsByName, featureDefsFor, type CustomerFeatureDef } from './customer-feature-defs.js';
import { REVIEW_TARGET_SQL } from './review-texts.js';

export interface FeatureMatrix {
  /** One per row, in customer_id order. */
  readonly customerIds: string[];
  readonly names: string[];
  readonly descriptions: string[];
  /** Row-major rows x cols; NaN = missing. */
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly cutoff: Date;
}

export interface CustomerFeatureOptions {
  /** Data strictly before this instant is used. */
  readonly cutoff: Date;
  /** Days of the coming window the seasonal features look at (the label horizon). Default 90. */
  readonly horizonDays?: number;
  /** Exactly these features (a trained model's list); default: every feature the store supports. */
  readonly names?: readonly string[];
}

/** Bound parameters, typed once: a bare `$1` compared with a TIMESTAMP would bind as a string. */
const CUT = 'CAST($1 AS TIMESTAMP)';
const H = 'CAST($2 AS INTEGER)';

/**
 * The aggregates the feature expressions read (alias c, and e for events). $1 = cutoff, $2 = horizon
 * days. Every source table is filtered on its time column before anything else, and orders carry
 * the status they had at the cutoff (a later return does not undo a sale here): the guards against
 * leakage, tested in customer-features.test.ts by changing data and statuses after the cutoff.
 * Price features (median price, price index) read merchandise lines only: a manual adjustment or a
 * postage line has no "usual price" to compare with.
 */
function aggregatesSql(withEvents: boolean, withReviews: boolean): string {
  // Reviews written before the cutoff (created_at < cutoff: an undated review is left out), each
  // judged by its label or stars, else by its stored sentiment score (customer-feature-defs.ts).
  const reviews = withReviews
    ? `,
    v AS (
      SELECT customer_id, count(*) AS reviews, count(judged) AS judged,
             CAST(count(*) FILTER (WHERE judged = 0) AS DOUBLE) AS negative
      FROM (
        SELECT r.customer_id,
               coalesce(${REVIEW_TARGET_SQL},
                        CASE WHEN s.probability >= 0.5 THEN 1 WHEN s.probability < 0.5 THEN 0 END) AS judged
        FROM reviews r LEFT JOIN review_scores s ON s.review_id = r.review_id
        WHERE r.customer_id IS NOT NULL AND r.created_at < ${CUT}
      )
      GROUP BY customer_id
    )`
    : '';
  const events = withEvents
    ? `,
    ev AS (
      SELECT customer_id, type, session_id, date_diff('second', occurred_at, ${CUT}) / 86400.0 AS age
      FROM events WHERE customer_id IS NOT NULL AND occurred_at < ${CUT} AND occurred_at >= ${CUT} - INTERVAL 90 DAY
    ),
    e AS (
      SELECT customer_id,
        ${[7, 30, 90]
          .map(
            (d) => `count(*) FILTER (WHERE type = 'view' AND age <= ${d}) AS views_${d}d,
        count(*) FILTER (WHERE type = 'add_to_cart' AND age <= ${d}) AS carts_${d}d,
        count(DISTINCT session_id) FILTER (WHERE age <= ${d}) AS sessions_${d}d`,
          )
          .join(',\n        ')}
      FROM ev GROUP BY customer_id
    )`
    : '';
  return `
    orders_asof AS ${ordersAsOf(CUT)},
    lines AS (
      SELECT o.order_id, o.customer_id, o.ordered_at, o.status, i.product_id, i.quantity,
             CAST(${lineAmount('i')} AS DOUBLE) AS amount, CAST(i.unit_price AS DOUBLE) AS unit_price,
             p.category, ${isMerchandise('p')} AS merchandise
      FROM orders_asof o JOIN order_items i ON i.order_id = o.order_id LEFT JOIN products p ON p.product_id = i.product_id
      WHERE o.customer_id IS NOT NULL AND o.ordered_at < ${CUT}
    ),
    ord AS (
      SELECT o.order_id, o.customer_id, o.ordered_at, o.status, o.country,
             coalesce(l.amount, CAST(o.total AS DOUBLE), 0) AS amount, coalesce(l.n_lines, 0) AS n_lines,
             coalesce(l.units, 0) AS units,
             date_diff('second', o.ordered_at, ${CUT}) / 86400.0 AS age
      FROM orders_asof o
      LEFT JOIN (SELECT order_id, sum(amount) AS amount, count(*) AS n_lines, sum(quantity) AS units
                 FROM lines GROUP BY order_id) l ON l.order_id = o.order_id
      WHERE o.customer_id IS NOT NULL AND o.ordered_at < ${CUT}
    ),
    sales AS (SELECT * FROM ord WHERE status NOT IN ('cancelled', 'returned')),
    sale_days AS (
      SELECT customer_id, d, date_diff('day', lag(d) OVER (PARTITION BY customer_id ORDER BY d), d) AS gap,
             row_number() OVER (PARTITION BY customer_id ORDER BY d DESC) AS back
      FROM (SELECT DISTINCT customer_id, CAST(ordered_at AS DATE) AS d FROM sales)
    ),
    gaps AS (
      SELECT customer_id, avg(gap) AS gap_mean, stddev_pop(gap) AS gap_std,
             max(gap) FILTER (WHERE back = 1) AS gap_last, count(*) AS purchase_days
      FROM sale_days GROUP BY customer_id
    ),
    sale_lines AS (
      SELECT *, row_number() OVER (PARTITION BY customer_id, product_id ORDER BY ordered_at, order_id) AS nth
      FROM lines WHERE status NOT IN ('cancelled', 'returned')
    ),
    median_price AS (
      SELECT product_id, median(unit_price) AS price FROM sale_lines WHERE merchandise GROUP BY product_id
    ),
    cat AS (
      SELECT customer_id, max(n) / sum(n) AS top_category_share, count(*) AS categories
      FROM (SELECT customer_id, category, count(*) AS n FROM sale_lines WHERE category IS NOT NULL GROUP BY ALL)
      GROUP BY customer_id
    ),
    item AS (
      SELECT s.customer_id, count(DISTINCT s.product_id) AS products, avg(CAST(s.nth > 1 AS DOUBLE)) AS repeat_share,
             avg(CASE WHEN s.merchandise AND m.price > 0 THEN s.unit_price / m.price END) AS price_index
      FROM sale_lines s LEFT JOIN median_price m ON m.product_id = s.product_id GROUP BY s.customer_id
    ),
    undone AS (
      SELECT customer_id, count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
             count(*) FILTER (WHERE status = 'returned') AS returned, sum(amount) AS undone_value
      FROM ord WHERE status IN ('cancelled', 'returned') GROUP BY customer_id
    ),
    place AS (
      SELECT s.customer_id, coalesce(any_value(k.country), mode(s.country)) AS country
      FROM sales s LEFT JOIN customers k ON k.customer_id = s.customer_id GROUP BY s.customer_id
    ),
    countries AS (SELECT country, count(*) / sum(count(*)) OVER () AS share FROM place GROUP BY country),
    main_country AS (SELECT country FROM countries WHERE country IS NOT NULL ORDER BY share DESC, country LIMIT 1),
    base AS (
      SELECT customer_id, count(*) AS orders, min(age) AS recency_days, max(age) AS tenure_days,
             count(*) FILTER (WHERE age <= 30) AS orders_30d, count(*) FILTER (WHERE age <= 90) AS orders_90d,
             count(*) FILTER (WHERE age <= 365) AS orders_365d,
             sum(amount) AS spend_total, max(amount) AS spend_max,
             coalesce(sum(amount) FILTER (WHERE age <= 90), 0) AS spend_90d,
             coalesce(sum(amount) FILTER (WHERE age > 90 AND age <= 180), 0) AS spend_prev_90d,
             avg(n_lines) AS lines_mean, avg(units) AS units_mean,
             count(*) FILTER (WHERE age > 365 - ${H} AND age <= 365) AS orders_season,
             count(*) FILTER (WHERE (dayofyear(ordered_at) - dayofyear(${CUT}) + 366) % 366 < ${H}) AS orders_season_any
      FROM sales GROUP BY customer_id
    ),
    c AS (
      SELECT b.*, g.gap_mean, g.gap_std, g.gap_last, g.purchase_days,
             i.products, i.repeat_share, i.price_index, t.categories, t.top_category_share,
             coalesce(u.cancelled, 0) AS cancelled, coalesce(u.returned, 0) AS returned,
             coalesce(u.undone_value, 0) AS undone_value,
             CAST(p.country IS NOT DISTINCT FROM (SELECT country FROM main_country) AS DOUBLE) AS home_country,
             n.share AS country_share
      FROM base b
      JOIN gaps g ON g.customer_id = b.customer_id
      LEFT JOIN item i ON i.customer_id = b.customer_id
      LEFT JOIN cat t ON t.customer_id = b.customer_id
      LEFT JOIN undone u ON u.customer_id = b.customer_id
      LEFT JOIN place p ON p.customer_id = b.customer_id
      LEFT JOIN countries n ON n.country IS NOT DISTINCT FROM p.country
    )${events}${reviews}`;
}

/** True when the store has customer events before the cutoff (event features are then included). */
export async function hasEventsBefore(wh: Warehouse, cutoff: Date): Promise<boolean> {
  if (wh instanceof ClickHouseStore) {
    // A plain count: 18.16 fails the LIMIT 1 subquery form over a Distributed table ("Cannot find
    // column less(occurred_at, ...)", its move-to-PREWHERE optimisation), seen on this machine.
    const [ch] = await wh.rows<{ n: number }>(
      'SELECT count() AS n FROM events WHERE customer_id IS NOT NULL AND occurred_at < ?',
      [cutoff],
    );
    return Number(ch?.n ?? 0) > 0;
  }
  const [row] = await wh.rows<{ n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM events WHERE customer_id IS NOT NULL AND occurred_at < CAST($1 AS TIMESTAMP) LIMIT 1)',
    [cutoff],
  );
  return (row?.n ?? 0) > 0;
}

/** True when customers wrote reviews before the cutoff (review features are then included). */
export async function hasReviewsBefore(wh: Warehouse, cutoff: Date): Promise<boolean> {
  if (wh instanceof ClickHouseStore) return false; // ClickHouse holds no reviews table yet
  const [row] = await wh.rows<{ n: number }>(
    'SELECT count(*) AS n FROM (SELECT 1 FROM reviews WHERE customer_id IS NOT NULL AND created_at < CAST($1 AS TIMESTAMP) LIMIT 1)',
    [cutoff],
  );
  return (row?.n ?? 0) > 0;
}

export async function customerFeatures(
  wh: Warehouse,
  options: CustomerFeatureOptions,
): Promise<FeatureMatrix> {
  const horizon = options.horizonDays ?? 90;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new RangeError(`horizon must be a whole number of days >= 1, got ${horizon}`);
  const defs: CustomerFeatureDef[] = options.names
    ? featureDefsByName(options.names)
    : featureDefsFor(await hasEventsBefore(wh, options.cutoff), await hasReviewsBefore(wh, options.cutoff));
  const cols =
    wh instanceof ClickHouseStore
      ? await chCustomerFeatureColumns(wh, defs, options.cutoff, horizon)
      : await duckFeatureColumns(wh, defs, options.cutoff, horizon);
  const rows = cols.length;
  const d = defs.length;
  const values = new Float32Array(rows * d);
  for (let j = 0; j < d; j++) {
    const col = cols[`f${j}`] as Float32Array;
    for (let r = 0; r < rows; r++) values[r * d + j] = col[r]!;
  }
  return {
    customerIds: (cols['customer_id'] as (string | null)[]).map((s) => s ?? ''),
    names: defs.map((f) => f.name),
    descriptions: defs.map((f) => f.description),
    values,
    rows,
    cols: d,
    cutoff: options.cutoff,
  };
}

/** DuckDB's feature query: customer_id and f0..fn, in customer_id order. */
async function duckFeatureColumns(
  wh: Warehouse,
  defs: readonly CustomerFeatureDef[],
  cutoff: Date,
  horizon: number,
): Promise<Columns<Record<string, 'f32' | 'str'>>> {
  const withEvents = defs.some((d) => d.needsEvents);
  const withReviews = defs.some((d) => d.needsReviews);
  const select = defs.map((d, j) => `CAST(${d.sql} AS DOUBLE) AS f${j}`).join(',\n      ');
  const sql = `WITH ${aggregatesSql(withEvents, withReviews)}
    SELECT c.customer_id,
      ${select}
    FROM c ${withEvents ? 'LEFT JOIN e ON e.customer_id = c.customer_id' : ''}
      ${withReviews ? 'LEFT JOIN v ON v.customer_id = c.customer_id' : ''}
    ORDER BY c.customer_id`;
  const kinds: Record<string, 'f32' | 'str'> = { customer_id: 'str' };
  defs.forEach((_, j) => (kinds[`f${j}`] = 'f32'));
  return wh.columns(sql, kinds, [cutoff, horizon]);
}
