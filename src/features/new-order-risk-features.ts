/**
 * @module features/new-order-risk-features
 * The risk features of one order that is not (or not yet) in the store, as of its own ordered_at:
 * what `POST /v1/risk/score` scores at checkout. The history is the store minus any stored order with
 * the same id, and only what happened before the order's time counts (orders at the very same
 * instant count for the velocities, as in the batch features). The per-order quantities are computed
 * for this one order by filtered aggregates, then the batch query's own feature expressions
 * (FEATURE_COLUMNS_SQL) turn them into features, so every feature keeps one definition. A test sends
 * every stored order of a store through here and compares with the batch matrix. On ClickHouse:
 * new-order-risk-features-clickhouse.ts (aggregates per shard, the same expressions in TypeScript).
 *
 * @example
 *   const x = await newOrderRiskFeatures(wh, {
 *     orderId: 'W-1', customerId: '12347', orderedAt: new Date('2011-12-09T12:00:00Z'),
 *     lines: [{ productId: '85123A', quantity: 6, unitPrice: 2.55 }],
 *   }); // Float32Array, ORDER_RISK_FEATURE_NAMES order
 */
import { lineAmount, Params } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { chNewOrderRiskFeatures } from './new-order-risk-features-clickhouse.js';
import {
  FEATURE_COLUMNS_SQL,
  featureColumnKinds,
  firstKnown,
  ORDER_RISK_FEATURES,
  UNDO_EVENTS,
} from './order-risk-features.js';

export interface NewOrderLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  /** When the shop gives the line's total (after line discounts); else quantity x unit price. */
  readonly lineTotal?: number | null;
}

export interface NewOrder {
  /** Excluded from the history when a stored order has it (scoring a stored order again). */
  readonly orderId: string;
  /** null: a guest order (no customer features). */
  readonly customerId: string | null;
  readonly orderedAt: Date;
  readonly country?: string | null;
  readonly deviceId?: string | null;
  readonly ipHash?: string | null;
  readonly lines: readonly NewOrderLine[];
}

/** The order names a customer the store does not know. */
export class UnknownOrderCustomerError extends Error {
  override readonly name = 'UnknownOrderCustomerError';
  constructor(readonly customerId: string) {
    super(
      `customer '${customerId}' is not in the store: send the customer first (PUT /v1/customers/:id, or an import), ` +
        'or leave customer_id out for a guest order',
    );
  }
}

/** A naive UTC timestamp literal DuckDB casts without a time zone in the way. */
const utc = (d: Date): string => d.toISOString().replace('T', ' ').replace('Z', '');

export async function newOrderRiskFeatures(wh: Warehouse, order: NewOrder): Promise<Float32Array> {
  if (order.lines.length === 0) throw new RangeError('an order needs at least one line');
  if (Number.isNaN(order.orderedAt.getTime())) throw new RangeError('ordered_at is not a valid time');
  if (order.customerId !== null) {
    const known = await wh.rows('SELECT 1 FROM customers WHERE customer_id = ?', [order.customerId]);
    if (!known.length) throw new UnknownOrderCustomerError(order.customerId);
  }
  if (wh instanceof ClickHouseStore) return chNewOrderRiskFeatures(wh, order);
  const p = new Params();
  const T = `CAST(${p.add(utc(order.orderedAt))} AS TIMESTAMP)`;
  const ID = `CAST(${p.add(order.orderId)} AS VARCHAR)`;
  const C = `CAST(${p.add(order.customerId)} AS VARCHAR)`;
  const DEV = `CAST(${p.add(order.deviceId ?? null)} AS VARCHAR)`;
  const IP = `CAST(${p.add(order.ipHash ?? null)} AS VARCHAR)`;
  const COUNTRY = `CAST(${p.add(order.country ?? null)} AS VARCHAR)`;
  const LINES = p.add(
    JSON.stringify(
      order.lines.map((l) => ({
        product_id: l.productId,
        quantity: l.quantity,
        unit_price: l.unitPrice,
        line_total: l.lineTotal ?? null,
      })),
    ),
  );
  // Orders in a trailing window sharing a key with this one (NULL when the order lacks the key).
  const within = (column: string, key: string, interval: string): string =>
    `CASE WHEN ${key} IS NULL THEN NULL ELSE count(*) FILTER (WHERE ${column} = ${key}
       AND ordered_at >= ${T} - INTERVAL ${interval}) END`;
  // One pass over the history with conditional aggregates, rather than a subquery per quantity:
  // each subquery is a pipeline of its own, and their start-up cost dominated a one-order query.
  const sql = `
  WITH new_line AS (
    SELECT i.product_id, abs(i.quantity) AS quantity, abs(CAST(${lineAmount('i')} AS DOUBLE)) AS amount
    FROM (SELECT product_id, quantity, CAST(unit_price AS DECIMAL(18,4)) AS unit_price,
                 CAST(line_total AS DECIMAL(18,4)) AS line_total
          FROM (SELECT unnest(from_json(${LINES}::VARCHAR,
                  '[{"product_id":"VARCHAR","quantity":"DOUBLE","unit_price":"DOUBLE","line_total":"DOUBLE"}]'),
                  recursive := true))) i
  ),
  -- The store as the order meets it: nothing placed after it, and not the order itself.
  hist AS (
    SELECT order_id, customer_id, ordered_at, device_id, ip_hash, total FROM orders
    WHERE ordered_at <= ${T} AND order_id <> ${ID}
  ),
  earlier_value AS (
    SELECT i.order_id, sum(abs(CAST(${lineAmount('i')} AS DOUBLE))) AS value
    FROM order_items i SEMI JOIN hist h ON h.order_id = i.order_id AND h.ordered_at < ${T}
    GROUP BY i.order_id
  ),
  history AS (
    SELECT
      avg(lv) FILTER (WHERE ordered_at < ${T}) AS shop_mean_lv,
      CASE WHEN ${C} IS NULL THEN NULL
        ELSE avg(lv) FILTER (WHERE ordered_at < ${T} AND customer_id = ${C}) END AS cust_mean_lv,
      CASE WHEN ${C} IS NULL THEN 0
        ELSE count(*) FILTER (WHERE ordered_at < ${T} AND customer_id = ${C}) END AS cust_earlier,
      ${within('customer_id', C, "'1 hour'")} AS cust_1h,
      ${within('customer_id', C, "'1 day'")} AS cust_24h,
      ${within('device_id', DEV, "'1 hour'")} AS dev_1h,
      ${within('device_id', DEV, "'1 day'")} AS dev_24h,
      ${within('ip_hash', IP, "'1 hour'")} AS ip_1h,
      ${within('ip_hash', IP, "'1 day'")} AS ip_24h
    FROM (SELECT h.*, ln(1 + coalesce(v.value, CAST(h.total AS DOUBLE), 0)) AS lv
          FROM hist h LEFT JOIN earlier_value v ON v.order_id = h.order_id)
  ),
  undo AS (SELECT u.order_id, u.at FROM (${UNDO_EVENTS}) u WHERE u.at < ${T} AND u.order_id <> ${ID}),
  product_line AS (
    SELECT i.order_id, i.product_id, abs(CAST(${lineAmount('i')} AS DOUBLE)) AS amount, o.ordered_at
    FROM order_items i JOIN orders o ON o.order_id = i.order_id
    WHERE i.product_id IN (SELECT product_id FROM new_line) AND o.order_id <> ${ID}
  ),
  -- Per product: the value of its earlier sales later undone (an order undone twice counts twice,
  -- as in the batch query), over the value of its earlier sales.
  undone AS (
    SELECT l.product_id, sum(l.amount) AS amount FROM undo u JOIN product_line l ON l.order_id = u.order_id
    GROUP BY l.product_id
  ),
  product_rate AS (
    SELECT l.product_id, coalesce(any_value(d.amount), 0) / sum(l.amount) FILTER (WHERE l.ordered_at < ${T}) AS rate
    FROM product_line l LEFT JOIN undone d ON d.product_id = l.product_id GROUP BY l.product_id
  ),
  this_order AS (
    SELECT ln(1 + coalesce(sum(n.amount), 0)) AS lv, coalesce(sum(n.quantity), 0) AS qty,
           coalesce(max(n.quantity), 0) AS max_qty, count(DISTINCT n.product_id) AS products,
           sum(n.amount * r.rate) FILTER (WHERE r.rate IS NOT NULL)
             / nullif(sum(n.amount) FILTER (WHERE r.rate IS NOT NULL), 0) AS returned_share
    FROM new_line n LEFT JOIN product_rate r ON r.product_id = n.product_id
  ),
  f AS (
    SELECT ${T} AS ordered_at, t.*, h.*,
      ${COUNTRY} AS order_country, c.country AS customer_country,
      coalesce(${firstKnown('c', T)}, ${T}) AS first_known,
      (SELECT count(*) FROM undo u JOIN orders o ON o.order_id = u.order_id WHERE o.customer_id = ${C}) AS undone_before
    FROM this_order t CROSS JOIN history h LEFT JOIN customers c ON c.customer_id = ${C}
  )
  SELECT ${FEATURE_COLUMNS_SQL} FROM f`;
  const c = await wh.columns(sql, featureColumnKinds(), p.values);
  return Float32Array.from(ORDER_RISK_FEATURES, (_, j) => (c[`f${j}`] as Float32Array)[0]!);
}
