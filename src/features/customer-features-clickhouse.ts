/**
 * @module features/customer-features-clickhouse
 * customer-features.ts's aggregates on a ClickHouse cluster: the same definitions (point in time:
 * only orders before the cutoff, each with the status it had then; events in the 90 days before it),
 * in SQL ClickHouse 18.16 runs (no CTEs, no window functions, no FILTER, one JOIN per level). The
 * feature expressions of customer-feature-defs.ts are then evaluated over these columns unchanged
 * (their `c.`/`e.` aliases dropped), so a feature is still defined once.
 *
 * How each DuckDB piece is spelled here:
 * - per-order amounts, statuses as of the cutoff, and the per-customer order aggregates are
 *   computed on each shard (the Distributed `orders` on the left, each shard's own orders, status
 *   history and lines on the right: warehouse/clickhouse/orders-as-of.ts) and merged by ClickHouse;
 * - the gaps between order days (DuckDB: lag() over the sorted distinct days) from the sorted array
 *   of distinct days: mean = (last - first) / (n - 1) (the gaps telescope), the last gap, and
 *   stddevPop over the array of differences;
 * - a product's usual price (DuckDB: median) from its sorted prices, the middle one or the mean of
 *   the two middle ones; the share of re-buys (DuckDB: row_number() > 1) as 1 - distinct products /
 *   lines; the top category's share by counting each distinct category in the customer's list;
 * - a customer with sales orders but no sales lines has no item aggregates (NULL, as DuckDB's LEFT
 *   JOIN gives; 18.16's ANY LEFT JOIN would give 0, hence i_found);
 * - the customer's country: the customers row's, else the most frequent order country (topK; on a tie
 *   DuckDB's mode may pick another: only customers without a country of their own are concerned);
 * - the per-customer result is kept in a Memory table on the entry node (dropped at the end) so the
 *   country shares and the main country are computed over it once.
 */
import { UNDONE_STATUSES } from '../warehouse/analytics/sql.js';
import { LINE_AMOUNT } from '../warehouse/clickhouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import { chOrdersAsOfLocal } from '../warehouse/clickhouse/orders-as-of.js';
import type { Columns } from '../warehouse/warehouse.js';
import type { CustomerFeatureDef } from './customer-feature-defs.js';

const UNDONE = `(${UNDONE_STATUSES.map(chLiteral).join(', ')})`;

/** Per customer: the aggregate columns the feature expressions read (names as in customer-features.ts). */
function aggregatesSql(ch: ClickHouseStore, cut: string, horizon: number, at: Date): string {
  const sale = `o_status NOT IN ${UNDONE}`;
  const age = `(toUInt32(${cut}) - toUInt32(o_at)) / 86400`;
  const amount = `if(l_found = 1, l_amount, ifNull(toFloat64(o_total), 0))`;
  // Each shard: its orders before the cutoff with their status then and their lines' totals.
  const base = `(
    SELECT o_customer AS cust,
      countIf(${sale}) AS orders, minIf(${age}, ${sale}) AS recency_days, maxIf(${age}, ${sale}) AS tenure_days,
      countIf(${sale} AND ${age} <= 30) AS orders_30d, countIf(${sale} AND ${age} <= 90) AS orders_90d,
      countIf(${sale} AND ${age} <= 365) AS orders_365d,
      sumIf(${amount}, ${sale}) AS spend_total, maxIf(${amount}, ${sale}) AS spend_max,
      sumIf(${amount}, ${sale} AND ${age} <= 90) AS spend_90d,
      sumIf(${amount}, ${sale} AND ${age} > 90 AND ${age} <= 180) AS spend_prev_90d,
      avgIf(n_lines, ${sale}) AS lines_mean, avgIf(l_units, ${sale}) AS units_mean,
      countIf(${sale} AND ${age} > 365 - ${horizon} AND ${age} <= 365) AS orders_season,
      countIf(${sale} AND (toDayOfYear(o_at) - toDayOfYear(${cut}) + 366) % 366 < ${horizon}) AS orders_season_any,
      arraySort(groupUniqArrayIf(toRelativeDayNum(o_at), ${sale})) AS days,
      countIf(o_status = 'cancelled') AS cancelled, countIf(o_status = 'returned') AS returned,
      sumIf(${amount}, NOT (${sale})) AS undone_value,
      countIf(${sale} AND o_country IS NOT NULL) AS n_countries,
      topKIf(1)(assumeNotNull(o_country), ${sale} AND o_country IS NOT NULL) AS top_country
    FROM orders ANY INNER JOIN (
      SELECT order_id, o_customer, o_at, o_status, o_country, o_total, l_found, l_amount, n_lines, l_units
      FROM ${chOrdersAsOfLocal(ch, at)} ANY LEFT JOIN (
        SELECT order_id, toUInt8(1) AS l_found, sum(toFloat64(${LINE_AMOUNT})) AS l_amount,
               count() AS n_lines, sum(quantity) AS l_units
        FROM ${ch.localTable('order_items')} GROUP BY order_id
      ) USING order_id
      WHERE o_customer IS NOT NULL AND o_at < ${cut}
    ) USING order_id
    GROUP BY o_customer
    HAVING orders > 0
  )`;
  // Sales lines before the cutoff (each shard joins its own), then the catalogue (every node's copy).
  const lines = `(
    SELECT cust, product_id, unit_price, p_category, (p_found = 0 OR is_merchandise = 1) AS merchandise
    FROM (
      SELECT o_customer AS cust, product_id, toFloat64(unit_price) AS unit_price
      FROM order_items ANY INNER JOIN ${chOrdersAsOfLocal(ch, at)} USING order_id
      WHERE o_customer IS NOT NULL AND o_at < ${cut} AND o_status NOT IN ${UNDONE}
    ) ANY LEFT JOIN (
      SELECT product_id, category AS p_category, is_merchandise, toUInt8(1) AS p_found
      FROM ${ch.nodeTable('products')}
    ) USING product_id
  )`;
  const median = `(
    SELECT product_id, arraySort(groupArray(unit_price)) AS ps, length(ps) AS n,
      if(n % 2 = 1, ps[intDiv(n, 2) + 1], ps[intDiv(n, 2)] + (ps[intDiv(n, 2) + 1] - ps[intDiv(n, 2)]) * 0.5) AS price
    FROM ${lines} WHERE merchandise GROUP BY product_id
  )`;
  const cats = `groupArrayIf(assumeNotNull(p_category), p_category IS NOT NULL)`;
  const item = `(
    SELECT cust, toUInt8(1) AS i_found, uniqExact(product_id) AS products, 1 - uniqExact(product_id) / count() AS repeat_share,
      if(countIf(merchandise AND price > 0) > 0, avgIf(unit_price / price, merchandise AND price > 0), NULL) AS price_index,
      if(length(${cats}) > 0, length(groupUniqArrayIf(assumeNotNull(p_category), p_category IS NOT NULL)), NULL) AS categories,
      if(length(${cats}) > 0,
         arrayReduce('max', arrayMap(x -> countEqual(${cats}, x), groupUniqArrayIf(assumeNotNull(p_category), p_category IS NOT NULL)))
           / length(${cats}), NULL) AS top_category_share
    FROM ${lines} ANY LEFT JOIN (SELECT product_id, price FROM ${median}) USING product_id
    GROUP BY cust
  )`;
  const gaps = `arrayMap((a, b) -> toFloat64(b - a), arrayPopBack(days), arrayPopFront(days))`;
  return `
    SELECT cust, orders, recency_days, tenure_days, orders_30d, orders_90d, orders_365d, spend_total, spend_max,
      spend_90d, spend_prev_90d, lines_mean, units_mean, orders_season, orders_season_any,
      length(days) AS purchase_days,
      if(length(days) > 1, (days[-1] - days[1]) / (length(days) - 1), NULL) AS gap_mean,
      if(length(days) > 1, arrayReduce('stddevPop', ${gaps}), NULL) AS gap_std,
      if(length(days) > 1, toFloat64(days[-1] - days[-2]), NULL) AS gap_last,
      if(i_found = 1, products, NULL) AS products, if(i_found = 1, repeat_share, NULL) AS repeat_share,
      price_index, categories, top_category_share,
      cancelled, returned, undone_value,
      if(k_found = 1 AND k_country IS NOT NULL, k_country, if(n_countries > 0, top_country[1], NULL)) AS country
    FROM (
      SELECT * FROM ${base} ANY LEFT JOIN ${item} USING cust
    ) ANY LEFT JOIN (
      SELECT customer_id AS cust, country AS k_country, toUInt8(1) AS k_found FROM customers
    ) USING cust`;
}

/** The events aggregates (alias e in customer-features.ts): the 90 days before the cutoff. */
function eventsSql(cut: string): string {
  const age = `(toUInt32(${cut}) - toUInt32(occurred_at)) / 86400`;
  const windows = [7, 30, 90]
    .map(
      (d) => `countIf(type = 'view' AND ${age} <= ${d}) AS views_${d}d,
      countIf(type = 'add_to_cart' AND ${age} <= ${d}) AS carts_${d}d,
      uniqExactIf(session_id, ${age} <= ${d} AND session_id IS NOT NULL) AS sessions_${d}d`,
    )
    .join(',\n      ');
  return `(
    SELECT customer_id AS cust, ${windows}
    FROM events
    WHERE customer_id IS NOT NULL AND occurred_at < ${cut} AND occurred_at >= ${cut} - INTERVAL 90 DAY
    GROUP BY customer_id
  )`;
}

/** A feature expression of customer-feature-defs.ts over these columns (aliases c., e. dropped). */
function expression(def: CustomerFeatureDef): string {
  return `toFloat64(${def.sql.replace(/\b[ce]\./g, '')})`;
}

/**
 * The feature query's result on ClickHouse: customer_id and f0..fn (the defs in order), one row per
 * customer with a sales order before the cutoff, in customer_id order, as DuckDB's query returns it.
 */
export async function chCustomerFeatureColumns(
  ch: ClickHouseStore,
  defs: readonly CustomerFeatureDef[],
  cutoff: Date,
  horizon: number,
): Promise<Columns<Record<string, 'f32' | 'str'>>> {
  if (defs.some((d) => d.needsReviews)) {
    throw new Error('review features need the reviews table, which ClickHouse does not hold yet');
  }
  const cut = chLiteral(cutoff);
  const withEvents = defs.some((d) => d.needsEvents);
  const tmp = ch.scratchTable('customer_features');
  await ch.exec(`CREATE TABLE ${tmp} ENGINE = Memory AS ${aggregatesSql(ch, cut, horizon, cutoff)}`);
  try {
    const main = `(SELECT country FROM (SELECT country, count() AS n FROM ${tmp} WHERE country IS NOT NULL
                   GROUP BY country ORDER BY n DESC, country LIMIT 1))`;
    const withCountry = `(
      SELECT *, toFloat64(ifNull(country = ${main}, 0)) AS home_country FROM (
        SELECT *, ifNull(country, '') AS ckey, isNull(country) AS cnull FROM ${tmp}
      ) ANY LEFT JOIN (
        SELECT ifNull(country, '') AS ckey, isNull(country) AS cnull,
               count() / (SELECT count() FROM ${tmp}) AS country_share
        FROM ${tmp} GROUP BY ckey, cnull
      ) USING (ckey, cnull)
    )`;
    const from = withEvents
      ? `(SELECT * FROM ${withCountry} ANY LEFT JOIN ${eventsSql(cut)} USING cust)`
      : withCountry;
    const kinds: Record<string, 'f32' | 'str'> = { customer_id: 'str' };
    defs.forEach((_, j) => (kinds[`f${j}`] = 'f32'));
    return await ch.columns(
      `SELECT cust AS customer_id, ${defs.map((d, j) => `${expression(d)} AS f${j}`).join(', ')}
       FROM ${from} ORDER BY cust`,
      kinds,
    );
  } finally {
    await ch.exec(`DROP TABLE IF EXISTS ${tmp}`);
  }
}
