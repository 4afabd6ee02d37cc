/**
 * @module features/order-risk-features
 * Point-in-time order features for risk scoring: one row per order, each computed from the order
 * itself and what happened strictly before its ordered_at (orders at the very same instant count as
 * earlier for the velocity counts: a burst placed within one timestamp is still a burst). One SQL
 * query over orders, order_items, customers and order_status_history; read column by column into a
 * row-major Float32Array (NaN = missing, e.g. velocity per device when the store has no device ids).
 *
 * On ClickHouse the same features are computed from the cluster's rows (order-risk-features-clickhouse.ts,
 * order-risk-features-windows.ts).
 *
 * Leakage guards: every window frame ends before the current order (or at its instant); the
 * cancellation/return history and product return rates are as-of joins on the time of each status
 * change (`changed_at < ordered_at`), so a later return does not show. Tested in
 * order-risk-features.test.ts by adding later orders and returns and comparing.
 *
 * @example
 *   const m = await orderRiskFeatures(wh);
 *   m.values[r * m.cols + m.names.indexOf('customer_orders_1h')];
 */
import { lineAmount, Params } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { SqlValue, Warehouse } from '../warehouse/warehouse.js';
import { chOrderRiskFeatures } from './order-risk-features-clickhouse.js';

export interface OrderRiskFeatureDef {
  readonly name: string;
  /**
   * Which side is risky, for the unsupervised model (tasks/risk/anomaly-view.ts): 1 = high values,
   * -1 = low values, 0 = neither (a loyal customer's many orders, the hour): left out of the forest,
   * so an order is not called unusual for being unusually small, old or loyal.
   */
  readonly risky: 1 | -1 | 0;
  /** What a merchant reads in a reason ("value 3.9 above the customer's usual (log)"). */
  readonly description: string;
  readonly sql: string;
}

/** Columns of `f` (the joined per-order table built below) -> features, in matrix column order. */
/**
 * A difference of ln values under this is rounding noise (ln values are O(1-10), a double's step
 * there about 1e-15): a mean of equal values can come out one step off, and DuckDB's window average
 * and the TypeScript running sum (ClickHouse) step differently, so such a difference is taken as 0 on
 * both engines (aboveNoise in order-risk-features-windows.ts).
 */
export const LOG_DIFF_NOISE = 1e-12;

function aboveNoiseSql(expr: string): string {
  return `CASE WHEN abs(${expr}) < ${LOG_DIFF_NOISE} THEN 0 ELSE ${expr} END`;
}

export const ORDER_RISK_FEATURES: readonly OrderRiskFeatureDef[] = [
  { name: 'log_value', risky: 1, description: 'order value, ln(1 + value)', sql: 'lv' },
  {
    name: 'value_vs_customer_usual',
    risky: 1,
    description: "ln value minus the mean ln value of the customer's earlier orders",
    sql: aboveNoiseSql('lv - cust_mean_lv'),
  },
  {
    name: 'value_vs_shop_usual',
    risky: 1,
    description: "ln value minus the mean ln value of the shop's earlier orders",
    sql: aboveNoiseSql('lv - shop_mean_lv'),
  },
  {
    name: 'log_hours_since_first_seen',
    risky: -1,
    description: 'ln(1 + hours since the customer signed up or was first seen, whichever was earlier)',
    sql: `ln(1 + greatest(date_diff('second', first_known, ordered_at), 0) / 3600.0)`,
  },
  {
    name: 'customer_earlier_orders',
    risky: 0,
    description: "the customer's earlier orders",
    sql: 'cust_earlier',
  },
  {
    name: 'customer_orders_1h',
    risky: 1,
    description: 'orders by the same customer in the hour before',
    sql: 'cust_1h',
  },
  {
    name: 'customer_orders_24h',
    risky: 1,
    description: 'orders by the same customer in the day before',
    sql: 'cust_24h',
  },
  {
    name: 'device_orders_1h',
    risky: 1,
    description: 'orders from the same device in the hour before',
    sql: 'dev_1h',
  },
  {
    name: 'device_orders_24h',
    risky: 1,
    description: 'orders from the same device in the day before',
    sql: 'dev_24h',
  },
  { name: 'ip_orders_1h', risky: 1, description: 'orders from the same IP in the hour before', sql: 'ip_1h' },
  {
    name: 'ip_orders_24h',
    risky: 1,
    description: 'orders from the same IP in the day before',
    sql: 'ip_24h',
  },
  {
    name: 'country_mismatch',
    risky: 1,
    description: "order country differs from the customer's country",
    sql: `CASE WHEN order_country IS NULL OR customer_country IS NULL THEN NULL
               ELSE (lower(order_country) <> lower(customer_country))::INTEGER END`,
  },
  {
    name: 'customer_undone_orders',
    risky: 0,
    description: "the customer's orders cancelled or returned before this order",
    sql: 'coalesce(undone_before, 0)',
  },
  { name: 'log_total_quantity', risky: 1, description: 'ln(1 + units in the order)', sql: 'ln(1 + qty)' },
  {
    name: 'log_max_line_quantity',
    risky: 1,
    description: 'ln(1 + units on the largest line)',
    sql: 'ln(1 + max_qty)',
  },
  { name: 'distinct_products', risky: 1, description: 'distinct products in the order', sql: 'products' },
  { name: 'hour', risky: 0, description: 'hour of day (UTC)', sql: 'hour(ordered_at)' },
  { name: 'weekday', risky: 0, description: 'day of week (0 = Sunday)', sql: 'dayofweek(ordered_at)' },
  {
    name: 'new_customer_value',
    risky: 1,
    description: "ln value minus the shop's usual when the customer has no earlier order, else 0",
    sql: `CASE WHEN cust_earlier = 0 THEN ${aboveNoiseSql('lv - shop_mean_lv')} ELSE 0 END`,
  },
  {
    name: 'returned_product_share',
    risky: 1,
    description: 'value-weighted share of earlier sales of the same products that were cancelled or returned',
    sql: 'returned_share',
  },
];

export const ORDER_RISK_FEATURE_NAMES = ORDER_RISK_FEATURES.map((f) => f.name);

export interface OrderFeatureMatrix {
  readonly orderIds: string[];
  readonly customerIds: (string | null)[];
  readonly orderedAt: Float64Array;
  readonly names: readonly string[];
  /** Per column, which side is risky (ORDER_RISK_FEATURES[j].risky). */
  readonly risky: readonly (1 | -1 | 0)[];
  /** Row-major rows x cols; NaN = missing. */
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

export interface OrderRiskFeatureOptions {
  /** Only these orders (their features still read the whole history before them). */
  readonly orderIds?: readonly string[];
  /** Only orders placed at or after this instant. */
  readonly since?: Date;
}

/**
 * When the customer was first known as of an order at `at`: the earlier of the signup and the first
 * sight, each only if not after the order (a later signup or sighting is not known yet), else the
 * order's own time. `c` is the customers row (NULL columns for a guest).
 */
export function firstKnown(c: string, at: string): string {
  return `least(CASE WHEN ${c}.signup_at <= ${at} THEN ${c}.signup_at END,
               CASE WHEN ${c}.first_seen_at <= ${at} THEN ${c}.first_seen_at END, ${at})`;
}

/** Window frames over one partition key: all earlier orders, the last hour, the last day. */
export const strictlyEarlier = 'RANGE BETWEEN UNBOUNDED PRECEDING AND INTERVAL 1 MICROSECOND PRECEDING';
export const lastHour = 'RANGE BETWEEN INTERVAL 1 HOUR PRECEDING AND CURRENT ROW';
export const lastDay = 'RANGE BETWEEN INTERVAL 1 DAY PRECEDING AND CURRENT ROW';

/** Earlier orders in a trailing frame sharing `key` (NULL when the order has no key: the store lacks it). */
export function velocity(key: string, frame: string): string {
  return `CASE WHEN ${key} IS NULL THEN NULL
    ELSE count(*) OVER (PARTITION BY ${key} ORDER BY ordered_at ${frame}) - 1 END`;
}

/**
 * The feature columns f0..fN over a table `f` with one row per order and the columns the defs read
 * (lv, cust_mean_lv, shop_mean_lv, first_known, ordered_at, cust_earlier, the velocities, the two
 * countries, undone_before, qty, max_qty, products, returned_share). The batch query below and the
 * one-order query of new-order-risk-features.ts both end in it, so a feature has one definition.
 */
export const FEATURE_COLUMNS_SQL = ORDER_RISK_FEATURES.map((d, j) => `CAST(${d.sql} AS FLOAT) AS f${j}`).join(
  ',\n    ',
);

/** Column kinds of the f0..fN feature columns, for Warehouse.columns. */
export function featureColumnKinds(): Record<string, 'f32'> {
  return Object.fromEntries(ORDER_RISK_FEATURES.map((_, j) => [`f${j}`, 'f32' as const]));
}

/** Cancel/return events: history rows, or the order's status for an order without history. */
export const UNDO_EVENTS = `
  SELECT h.order_id, h.changed_at AS at FROM order_status_history h WHERE h.status IN ('cancelled', 'returned')
  UNION ALL
  SELECT o.order_id, coalesce(o.status_changed_at, o.ordered_at) FROM orders o
  WHERE o.status IN ('cancelled', 'returned')
    AND NOT EXISTS (SELECT 1 FROM order_status_history h WHERE h.order_id = o.order_id)`;

/**
 * The first CTEs of the batch query: `line` (order lines with their amount), `per_order` (value,
 * units, largest line, distinct products) and `base` (one row per order with what the features read).
 */
export const BASE_CTES = `line AS (
    SELECT i.order_id, i.product_id, abs(i.quantity) AS quantity, abs(CAST(${lineAmount('i')} AS DOUBLE)) AS amount
    FROM order_items i
  ),
  per_order AS (
    SELECT order_id, sum(amount) AS value, sum(quantity) AS qty, max(quantity) AS max_qty,
           count(DISTINCT product_id) AS products
    FROM line GROUP BY order_id
  ),
  base AS (
    SELECT o.order_id, o.customer_id, o.ordered_at, o.device_id, o.ip_hash, o.country AS order_country,
           c.country AS customer_country,
           ${firstKnown('c', 'o.ordered_at')} AS seen_at,
           ln(1 + coalesce(p.value, CAST(o.total AS DOUBLE), 0)) AS lv,
           coalesce(p.qty, 0) AS qty, coalesce(p.max_qty, 0) AS max_qty, coalesce(p.products, 0) AS products
    FROM orders o LEFT JOIN per_order p ON p.order_id = o.order_id
    LEFT JOIN customers c ON c.customer_id = o.customer_id
  ),`;

/**
 * The batch query. Where its time went on 1,000,000 orders (EXPLAIN ANALYZE, issue 10): the shop's
 * usual value as a RANGE window over every order in one partition ran on one thread and took 44% of
 * the query's CPU; it is now running totals over the distinct instants. The product return rates
 * were a window and two as-of joins over every order line; they are now one window over the lines
 * and the undone sales together. Both give the previous query's features to the bit
 * (order-risk-features.test.ts, against test-order-risk-features-reference.ts).
 */
function featureSql(filter: string): string {
  return `
  WITH ${BASE_CTES}
  -- The shop's mean ln value strictly before each instant: running totals over the distinct
  -- instants (one row each, so "the rows before" are the instants before), joined back by time.
  shop AS (
    SELECT ordered_at, sum(lv_sum) OVER earlier / sum(n) OVER earlier AS shop_mean_lv
    FROM (SELECT ordered_at, sum(lv) AS lv_sum, count(*) AS n FROM base GROUP BY ordered_at)
    WINDOW earlier AS (ORDER BY ordered_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
  ),
  windowed AS (
    SELECT b.*, s.shop_mean_lv,
      CASE WHEN customer_id IS NULL THEN NULL
        ELSE avg(lv) OVER (PARTITION BY customer_id ORDER BY ordered_at ${strictlyEarlier}) END AS cust_mean_lv,
      CASE WHEN customer_id IS NULL THEN 0
        ELSE count(*) OVER (PARTITION BY customer_id ORDER BY ordered_at ${strictlyEarlier}) END AS cust_earlier,
      ${velocity('customer_id', lastHour)} AS cust_1h,
      ${velocity('customer_id', lastDay)} AS cust_24h,
      ${velocity('device_id', lastHour)} AS dev_1h,
      ${velocity('device_id', lastDay)} AS dev_24h,
      ${velocity('ip_hash', lastHour)} AS ip_1h,
      ${velocity('ip_hash', lastDay)} AS ip_24h
    FROM base b JOIN shop s USING (ordered_at)
  ),
  -- Running totals in RANGE frames: rows at the same instant share one total (everything up to and
  -- including that instant), so the as-of join below reads the same value whichever peer it meets.
  undo AS (
    SELECT o.customer_id, u.at, count(*) OVER (PARTITION BY o.customer_id ORDER BY u.at
                                               RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n
    FROM (${UNDO_EVENTS}) u JOIN orders o ON o.order_id = u.order_id WHERE o.customer_id IS NOT NULL
  ),
  -- Each product's sales and undone sales (cancellations, returns) as one time line: for a sale,
  -- the value of the product's sales strictly before it and of those undone strictly before it,
  -- in one window (two as-of joins and a window each before).
  product_events AS (
    SELECT l.order_id, l.product_id, o.ordered_at AS event_at, l.amount, true AS sale
    FROM line l JOIN orders o ON o.order_id = l.order_id
    UNION ALL
    SELECT NULL, l.product_id, u.at, l.amount, false FROM (${UNDO_EVENTS}) u JOIN line l ON l.order_id = u.order_id
  ),
  line_rate AS (
    SELECT order_id, amount, rate FROM (
      SELECT order_id, amount, sale,
             coalesce(sum(amount) FILTER (WHERE NOT sale) OVER earlier, 0)
               / sum(amount) FILTER (WHERE sale) OVER earlier AS rate
      FROM product_events
      WINDOW earlier AS (PARTITION BY product_id ORDER BY event_at ${strictlyEarlier})
    ) WHERE sale
  ),
  returned AS (
    SELECT order_id, sum(amount * rate) FILTER (WHERE rate IS NOT NULL)
                     / nullif(sum(amount) FILTER (WHERE rate IS NOT NULL), 0) AS returned_share
    FROM line_rate GROUP BY order_id
  ),
  f AS (
    SELECT w.*, w.seen_at AS first_known, ud.n AS undone_before, r.returned_share
    FROM windowed w
    ASOF LEFT JOIN undo ud ON ud.customer_id = w.customer_id AND w.ordered_at > ud.at
    LEFT JOIN returned r ON r.order_id = w.order_id
  )
  SELECT order_id, customer_id, ordered_at, ${FEATURE_COLUMNS_SQL}
  FROM f ${filter}
  ORDER BY ordered_at, order_id`;
}

/**
 * The feature matrix for every order (or the ones the options select), in (ordered_at, order_id)
 * order. On ClickHouse (no window functions on 18.16) the rows are read from the cluster and the
 * same features computed in TypeScript (order-risk-features-clickhouse.ts).
 */
export async function orderRiskFeatures(
  wh: Warehouse,
  options: OrderRiskFeatureOptions = {},
): Promise<OrderFeatureMatrix> {
  if (wh instanceof ClickHouseStore) return chOrderRiskFeatures(wh, options);
  const params = new Params();
  const where: string[] = [];
  if (options.orderIds)
    where.push(
      `order_id IN (SELECT unnest(CAST(${params.add(JSON.stringify(options.orderIds))} AS JSON)->>'$[*]'))`,
    );
  if (options.since) where.push(`ordered_at >= CAST(${params.add(options.since)} AS TIMESTAMP)`);
  return readFeatureMatrix(wh, featureSql(where.length ? `WHERE ${where.join(' AND ')}` : ''), params.values);
}

/**
 * Runs a query giving order_id, customer_id, ordered_at and the feature columns f0..fN, and reads
 * it into a feature matrix (row-major, in the query's row order).
 */
export async function readFeatureMatrix(
  wh: Warehouse,
  sql: string,
  params: readonly SqlValue[] = [],
): Promise<OrderFeatureMatrix> {
  const kinds: Record<string, 'str' | 'ts' | 'f32'> = {
    order_id: 'str',
    customer_id: 'str',
    ordered_at: 'ts',
    ...featureColumnKinds(),
  };
  const c = await wh.columns(sql, kinds, params);
  const rows = c.length;
  const cols = ORDER_RISK_FEATURES.length;
  const values = new Float32Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const col = c[`f${j}`] as Float32Array;
    for (let r = 0; r < rows; r++) values[r * cols + j] = col[r]!;
  }
  return {
    orderIds: (c['order_id'] as (string | null)[]).map((v) => v!),
    customerIds: c['customer_id'] as (string | null)[],
    orderedAt: c['ordered_at'] as Float64Array,
    names: ORDER_RISK_FEATURE_NAMES,
    risky: ORDER_RISK_FEATURES.map((f) => f.risky),
    values,
    rows,
    cols,
  };
}
