/**
 * @module features/new-order-risk-features-clickhouse
 * new-order-risk-features.ts on a ClickHouse cluster: the risk features of one order as of its own
 * time, the history being the store minus any stored order of the same id. Four aggregate queries
 * (each pushed to the shards through a Distributed table on the left of its one JOIN: an order, its
 * lines and its history share a shard) give the quantities DuckDB's one query gives: the shop's and
 * the customer's ln values and counts before the order, the velocities, the customer's cancellations
 * and returns before it, and per product of the order its earlier sales and undone sales; then
 * featureRow (order-risk-features-windows.ts) applies the features' expressions.
 *
 * ClickHouse times are whole seconds: an ordered_at with milliseconds is taken at its second.
 * Sums of doubles run in another order than DuckDB's, so a feature may differ from DuckDB's in its
 * last float32 bit (checked against the batch matrix in new-order-risk-features-clickhouse.test.ts).
 */
import { UNDONE_STATUSES } from '../warehouse/analytics/sql.js';
import { LINE_AMOUNT } from '../warehouse/clickhouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import type { NewOrder, NewOrderLine } from './new-order-risk-features.js';
import { ORDER_RISK_FEATURES } from './order-risk-features.js';
import { featureRow } from './order-risk-features-windows.js';

const LINE_VALUE = `abs(toFloat64(${LINE_AMOUNT}))`;

/** A sent line's amount as DuckDB computes it: DECIMAL(18,4) values, their exact product, as a double. */
export function newLineAmount(l: NewOrderLine): number {
  const scaled = (v: number): bigint => BigInt(Math.round(v * 10_000));
  if (l.lineTotal !== undefined && l.lineTotal !== null) return Math.abs(Number(`${scaled(l.lineTotal)}e-4`));
  return Math.abs(Number(`${scaled(l.quantity) * scaled(l.unitPrice)}e-8`));
}

type Num = number | string;

export async function chNewOrderRiskFeatures(ch: ClickHouseStore, order: NewOrder): Promise<Float32Array> {
  const T = chLiteral(new Date(Math.floor(order.orderedAt.getTime() / 1000) * 1000));
  const ID = chLiteral(order.orderId);
  const C = order.customerId === null ? null : chLiteral(order.customerId);
  const DEV = order.deviceId ?? null;
  const IP = order.ipHash ?? null;
  const undone = UNDONE_STATUSES.map(chLiteral).join(', ');
  const within = (column: string, key: string | null, seconds: number): string =>
    key === null ? '0' : `countIf(${column} = ${chLiteral(key)} AND ordered_at >= ${T} - ${seconds})`;
  const cust = C === null ? '0' : `customer_id = ${C}`;
  const [h] = await ch.rows<Record<string, Num>>(
    `SELECT sumIf(lv, ordered_at < ${T}) AS shop_sum, countIf(ordered_at < ${T}) AS shop_n,
            sumIf(lv, ordered_at < ${T} AND ${cust}) AS cust_sum, countIf(ordered_at < ${T} AND ${cust}) AS cust_n,
            ${within('customer_id', order.customerId, 3600)} AS c1, ${within('customer_id', order.customerId, 86400)} AS c24,
            ${within('device_id', DEV, 3600)} AS d1, ${within('device_id', DEV, 86400)} AS d24,
            ${within('ip_hash', IP, 3600)} AS i1, ${within('ip_hash', IP, 86400)} AS i24
     FROM (
       SELECT customer_id, ordered_at, device_id, ip_hash,
              log(1 + if(l_found = 1, l_value, ifNull(toFloat64(total), 0))) AS lv
       FROM orders ANY LEFT JOIN (
         SELECT order_id, toUInt8(1) AS l_found, sum(${LINE_VALUE}) AS l_value
         FROM ${ch.localTable('order_items')} GROUP BY order_id
       ) USING order_id
       WHERE ordered_at <= ${T} AND order_id != ${ID}
     )`,
  );
  // Cancellations and returns before T per order (order-risk-features.ts UNDO_EVENTS), on one shard.
  const undoPerOrder = `(
      SELECT order_id, toFloat64(count()) AS k FROM (
        SELECT order_id FROM ${ch.localTable('order_status_history')}
        WHERE status IN (${undone}) AND changed_at < ${T}
        UNION ALL
        SELECT order_id FROM ${ch.localTable('orders')}
        WHERE status IN (${undone}) AND ifNull(status_changed_at, ordered_at) < ${T}
          AND order_id NOT IN (SELECT order_id FROM ${ch.localTable('order_status_history')})
      ) GROUP BY order_id
    )`;
  const undoneBefore =
    C === null
      ? 0
      : Number(
          (
            await ch.rows<{ n: Num }>(
              `SELECT sum(k) AS n FROM orders ANY INNER JOIN ${undoPerOrder} USING order_id
               WHERE customer_id = ${C} AND order_id != ${ID}`,
            )
          )[0]?.n ?? 0,
        );
  const products = [...new Set(order.lines.map((l) => l.productId))];
  const inProducts = products.map(chLiteral).join(', ');
  const sales = await ch.rows<{ product_id: string; s: number }>(
    `SELECT product_id, sum(${LINE_VALUE}) AS s
     FROM order_items ANY INNER JOIN (
       SELECT order_id, ordered_at AS o_at FROM ${ch.localTable('orders')}
     ) USING order_id
     WHERE product_id IN (${inProducts}) AND order_id != ${ID} AND o_at < ${T}
     GROUP BY product_id`,
  );
  const undoneSales = await ch.rows<{ product_id: string; s: number }>(
    `SELECT product_id, sum(${LINE_VALUE} * k) AS s
     FROM order_items ANY INNER JOIN ${undoPerOrder} USING order_id
     WHERE product_id IN (${inProducts}) AND order_id != ${ID}
     GROUP BY product_id`,
  );
  const [c] =
    C === null
      ? []
      : await ch
          .columns(`SELECT country, signup_at, first_seen_at FROM customers WHERE customer_id = ${C}`, {
            country: 'str',
            signup_at: 'ts',
            first_seen_at: 'ts',
          })
          .then((r) =>
            r.length ? [{ country: r.country[0]!, signup: r.signup_at[0]!, seen: r.first_seen_at[0]! }] : [],
          );

  const sold = new Map(sales.map((r) => [r.product_id, Number(r.s)]));
  const undoneOf = new Map(undoneSales.map((r) => [r.product_id, Number(r.s)]));
  let value = 0;
  let qty = 0;
  let maxQty = 0;
  let num: number | null = null;
  let den: number | null = null;
  for (const l of order.lines) {
    const amount = newLineAmount(l);
    const q = Math.abs(l.quantity);
    value += amount;
    qty += q;
    maxQty = Math.max(maxQty, q);
    const s = sold.get(l.productId);
    if (s === undefined) continue;
    const rate = (undoneOf.get(l.productId) ?? 0) / s;
    num = (num ?? 0) + amount * rate;
    den = (den ?? 0) + amount;
  }
  const t = Math.floor(order.orderedAt.getTime() / 1000) * 1000;
  const n = (k: string): number => Number(h![k]);
  const shopN = n('shop_n');
  const custN = n('cust_n');
  const key = (v: string | null | undefined, k: string): number =>
    v === null || v === undefined ? NaN : n(k);
  const lv = Math.log(1 + value);
  const f = featureRow({
    lv,
    custMeanLv: C === null || custN === 0 ? NaN : n('cust_sum') / custN,
    shopMeanLv: shopN === 0 ? NaN : n('shop_sum') / shopN,
    orderedAt: t,
    firstKnown: Math.min(c && c.signup <= t ? c.signup : Infinity, c && c.seen <= t ? c.seen : Infinity, t),
    custEarlier: C === null ? 0 : custN,
    velocities: [
      key(order.customerId, 'c1'),
      key(order.customerId, 'c24'),
      key(DEV, 'd1'),
      key(DEV, 'd24'),
      key(IP, 'i1'),
      key(IP, 'i24'),
    ],
    orderCountry: order.country ?? null,
    customerCountry: c?.country ?? null,
    undoneBefore,
    qty,
    maxQty,
    products: products.length,
    returnedShare: den === null || den === 0 ? null : num! / den,
  });
  return Float32Array.from(ORDER_RISK_FEATURES, (d) => f[d.name]!);
}
