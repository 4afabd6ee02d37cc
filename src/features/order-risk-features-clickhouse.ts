/**
 * @module features/order-risk-features-clickhouse
 * The rows the batch order risk features read, from a ClickHouse cluster: orders, customers, order
 * lines (exact amounts as decimal text, parsed to the same doubles DuckDB's CAST gives) and the
 * cancellations and returns (order-risk-features.ts UNDO_EVENTS: history rows, else the order's own
 * status for an order without history, the NOT IN run per shard against the shard's own history:
 * an order and its history live on one shard). ClickHouse 18.16 has no window functions, so the
 * point-in-time windows run in TypeScript (order-risk-features-windows.ts) over these rows.
 *
 * Cost: every order, line and customer crosses to this process once (a transfer the size of those
 * tables; Online Retail: 25,900 orders, 541,909 lines). A current ClickHouse has window functions
 * and could keep the per-customer windows in SQL; the product rates and the shop's running mean
 * would still need the whole time line.
 */
import { UNDONE_STATUSES } from '../warehouse/analytics/sql.js';
import { LINE_AMOUNT } from '../warehouse/clickhouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import type { OrderFeatureMatrix } from './order-risk-features.js';
import {
  orderRiskFeaturesFromRows,
  type OrderRiskRows,
  type OrderRiskWindowOptions,
} from './order-risk-features-windows.js';

/** Decimal text (NULL -> NaN) as the double DuckDB's CAST(... AS DOUBLE) gives (both correctly rounded). */
export function decimalColumn(texts: readonly (string | null)[]): Float64Array {
  return Float64Array.from(texts, (t) => (t === null ? NaN : Number(t)));
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** UNDO_EVENTS on ClickHouse: the order and when, for every cancellation and return. */
export async function chUndoEvents(ch: ClickHouseStore): Promise<OrderRiskRows['undo']> {
  const undone = UNDONE_STATUSES.map(chLiteral).join(', ');
  const fromHistory = await ch.columns(
    `SELECT order_id, changed_at AS at FROM order_status_history WHERE status IN (${undone})`,
    { order_id: 'str', at: 'ts' },
  );
  const withoutHistory = await ch.columns(
    `SELECT order_id, ifNull(status_changed_at, ordered_at) AS at FROM orders
     WHERE status IN (${undone}) AND order_id NOT IN (SELECT order_id FROM ${ch.localTable('order_status_history')})`,
    { order_id: 'str', at: 'ts' },
  );
  return {
    orderId: [...fromHistory.order_id, ...withoutHistory.order_id],
    at: concat(fromHistory.at, withoutHistory.at),
  };
}

/** Every row the batch features read, from the cluster. */
export async function chOrderRiskRows(ch: ClickHouseStore): Promise<OrderRiskRows> {
  const orders = await ch.columns(
    `SELECT order_id, customer_id, ordered_at, device_id, ip_hash, country, toString(total) AS total FROM orders`,
    {
      order_id: 'str',
      customer_id: 'str',
      ordered_at: 'ts',
      device_id: 'str',
      ip_hash: 'str',
      country: 'str',
      total: 'str',
    },
  );
  const customers = await ch.columns('SELECT customer_id, country, signup_at, first_seen_at FROM customers', {
    customer_id: 'str',
    country: 'str',
    signup_at: 'ts',
    first_seen_at: 'ts',
  });
  const lines = await ch.columns(
    `SELECT order_id, product_id, quantity, toString(${LINE_AMOUNT}) AS amount
     FROM order_items ORDER BY order_id, line_no`,
    { order_id: 'str', product_id: 'str', quantity: 'f64', amount: 'str' },
  );
  return {
    orders: {
      orderId: orders.order_id.map((v) => v!),
      customerId: orders.customer_id,
      orderedAt: orders.ordered_at,
      deviceId: orders.device_id,
      ipHash: orders.ip_hash,
      country: orders.country,
      total: decimalColumn(orders.total),
    },
    customers: {
      customerId: customers.customer_id,
      country: customers.country,
      signupAt: customers.signup_at,
      firstSeenAt: customers.first_seen_at,
    },
    lines: {
      orderId: lines.order_id,
      productId: lines.product_id,
      quantity: lines.quantity,
      amount: decimalColumn(lines.amount),
    },
    undo: await chUndoEvents(ch),
  };
}

export async function chOrderRiskFeatures(
  ch: ClickHouseStore,
  options: OrderRiskWindowOptions = {},
): Promise<OrderFeatureMatrix> {
  return orderRiskFeaturesFromRows(await chOrderRiskRows(ch), options);
}
