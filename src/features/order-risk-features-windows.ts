/**
 * @module features/order-risk-features-windows
 * The batch order risk features (order-risk-features.ts) computed in TypeScript from the store's
 * rows, for an engine without window functions (ClickHouse 18.16: order-risk-features-clickhouse.ts
 * reads the rows). The same rules as the DuckDB query, point in time as of each order:
 *   - the customer's and the shop's mean ln value and the customer's order count over the orders
 *     strictly before the order's instant;
 *   - velocities: orders sharing the key in [t - 1 h, t] (or 1 day), peers at t included, minus the
 *     order itself; NULL when the order lacks the key;
 *   - the customer's cancellations and returns strictly before t (UNDO_EVENTS' rows);
 *   - per product, the value of its sales and of its undone sales strictly before the sale, the
 *     order's value-weighted share over its lines that have a rate (DuckDB's NULL/NaN rules kept:
 *     0/0 is NaN, not missing).
 * Then ORDER_RISK_FEATURES' expressions, each rounded to Float32 as DuckDB's CAST(... AS FLOAT).
 * Checked against the DuckDB query on the same stores (order-risk-features-clickhouse.test.ts).
 */
import type { OrderFeatureMatrix } from './order-risk-features.js';
import { LOG_DIFF_NOISE, ORDER_RISK_FEATURE_NAMES, ORDER_RISK_FEATURES } from './order-risk-features.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The rows the features read; times in epoch ms (NaN = NULL), money as doubles (NaN = NULL). */
export interface OrderRiskRows {
  readonly orders: {
    readonly orderId: readonly string[];
    readonly customerId: readonly (string | null)[];
    readonly orderedAt: Float64Array;
    readonly deviceId: readonly (string | null)[];
    readonly ipHash: readonly (string | null)[];
    readonly country: readonly (string | null)[];
    readonly total: Float64Array;
  };
  readonly customers: {
    readonly customerId: readonly (string | null)[];
    readonly country: readonly (string | null)[];
    readonly signupAt: Float64Array;
    readonly firstSeenAt: Float64Array;
  };
  /** Order lines in (order_id, line_no) order: the order, product, units and amount (signed). */
  readonly lines: {
    readonly orderId: readonly (string | null)[];
    readonly productId: readonly (string | null)[];
    readonly quantity: Float64Array;
    readonly amount: Float64Array;
  };
  /** Cancellations and returns (UNDO_EVENTS): the order and when. */
  readonly undo: { readonly orderId: readonly (string | null)[]; readonly at: Float64Array };
}

export interface OrderRiskWindowOptions {
  readonly orderIds?: readonly string[];
  readonly since?: Date;
}

/** Indices grouped by a key, each group in the order given (time order when `order` is). */
function groupBy(order: readonly number[], key: (i: number) => string | null): Map<string, number[]> {
  const g = new Map<string, number[]>();
  for (const i of order) {
    const k = key(i);
    if (k === null) continue;
    const list = g.get(k);
    if (list) list.push(i);
    else g.set(k, [i]);
  }
  return g;
}

/** Per order (by index), orders of its group in [t - span, t] minus itself (NaN: no key). */
function velocities(
  order: readonly number[],
  key: (i: number) => string | null,
  at: Float64Array,
  span: number,
): Float64Array {
  const out = new Float64Array(at.length).fill(NaN);
  for (const list of groupBy(order, key).values()) {
    let lo = 0;
    let hi = 0;
    for (const i of list) {
      const t = at[i]!;
      while (at[list[lo]!]! < t - span) lo++;
      while (hi < list.length && at[list[hi]!]! <= t) hi++;
      out[i] = hi - lo - 1;
    }
  }
  return out;
}

/** The feature matrix from the rows, in (ordered_at, order_id) order; options select rows after. */
export function orderRiskFeaturesFromRows(
  x: OrderRiskRows,
  options: OrderRiskWindowOptions = {},
): OrderFeatureMatrix {
  const o = x.orders;
  const n = o.orderId.length;
  const at = o.orderedAt;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => at[a]! - at[b]! || (o.orderId[a]! < o.orderId[b]! ? -1 : o.orderId[a]! > o.orderId[b]! ? 1 : 0),
  );
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(o.orderId[i]!, i);

  // Per order: value (sum of |amount| over its lines, in line order), units, largest line, products.
  const value = new Float64Array(n).fill(NaN);
  const qty = new Float64Array(n);
  const maxQty = new Float64Array(n);
  const productSets: (Set<string> | undefined)[] = new Array(n);
  const l = x.lines;
  const linesOf = new Map<string, number[]>();
  for (let k = 0; k < l.orderId.length; k++) {
    const id = l.orderId[k]!;
    const list = linesOf.get(id);
    if (list) list.push(k);
    else linesOf.set(id, [k]);
    const i = index.get(id);
    if (i === undefined) continue;
    const q = Math.abs(l.quantity[k]!);
    value[i] = (Number.isNaN(value[i]!) ? 0 : value[i]!) + Math.abs(l.amount[k]!);
    qty[i] = qty[i]! + q;
    maxQty[i] = Math.max(maxQty[i]!, q);
    (productSets[i] ??= new Set()).add(l.productId[k]!);
  }
  const lv = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = !Number.isNaN(value[i]!) ? value[i]! : !Number.isNaN(o.total[i]!) ? o.total[i]! : 0;
    lv[i] = Math.log(1 + v);
  }

  // The shop's mean ln value strictly before each instant (NaN at the first instant).
  const shopMean = new Float64Array(n);
  {
    let sum = 0;
    let count = 0;
    for (let p = 0; p < n;) {
      let q = p;
      let instantSum = 0;
      while (q < n && at[order[q]!]! === at[order[p]!]!) instantSum += lv[order[q++]!]!;
      const mean = count === 0 ? NaN : sum / count;
      for (let r = p; r < q; r++) shopMean[order[r]!] = mean;
      sum += instantSum;
      count += q - p;
      p = q;
    }
  }

  // Per customer: mean ln value and count of the orders strictly before the instant.
  const custMean = new Float64Array(n).fill(NaN);
  const custEarlier = new Float64Array(n);
  for (const list of groupBy(order, (i) => o.customerId[i] ?? null).values()) {
    let sum = 0;
    for (let p = 0; p < list.length;) {
      let q = p;
      while (q < list.length && at[list[q]!]! === at[list[p]!]!) q++;
      for (let r = p; r < q; r++) {
        custMean[list[r]!] = p === 0 ? NaN : sum / p;
        custEarlier[list[r]!] = p;
      }
      for (let r = p; r < q; r++) sum += lv[list[r]!]!;
      p = q;
    }
  }
  const vel = (key: (i: number) => string | null, span: number): Float64Array =>
    velocities(order, key, at, span);
  const cust1h = vel((i) => o.customerId[i] ?? null, HOUR_MS);
  const cust24h = vel((i) => o.customerId[i] ?? null, DAY_MS);
  const dev1h = vel((i) => o.deviceId[i] ?? null, HOUR_MS);
  const dev24h = vel((i) => o.deviceId[i] ?? null, DAY_MS);
  const ip1h = vel((i) => o.ipHash[i] ?? null, HOUR_MS);
  const ip24h = vel((i) => o.ipHash[i] ?? null, DAY_MS);

  // The customer's cancellations and returns strictly before each order.
  const undoTimes = new Map<string, number[]>();
  for (let k = 0; k < x.undo.orderId.length; k++) {
    const i = index.get(x.undo.orderId[k]!);
    const c = i === undefined ? null : (o.customerId[i] ?? null);
    if (c === null) continue;
    const list = undoTimes.get(c);
    if (list) list.push(x.undo.at[k]!);
    else undoTimes.set(c, [x.undo.at[k]!]);
  }
  for (const list of undoTimes.values()) list.sort((a, b) => a - b);
  const undoneBefore = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const list = o.customerId[i] == null ? undefined : undoTimes.get(o.customerId[i]!);
    if (!list) continue;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]! < at[i]!) lo = mid + 1;
      else hi = mid;
    }
    undoneBefore[i] = lo;
  }

  const returnedShare = productReturnShare(x, index, linesOf, at);

  // Customers' rows for the countries and when each was first known.
  const cust = new Map<string, number>();
  for (let k = 0; k < x.customers.customerId.length; k++) cust.set(x.customers.customerId[k]!, k);

  const cols = ORDER_RISK_FEATURES.length;
  const since = options.since?.getTime();
  const wanted = options.orderIds ? new Set(options.orderIds) : null;
  const rowsOut = order.filter(
    (i) => (since === undefined || at[i]! >= since) && (wanted === null || wanted.has(o.orderId[i]!)),
  );
  const values = new Float32Array(rowsOut.length * cols);
  rowsOut.forEach((i, r) => {
    const t = at[i]!;
    const k = o.customerId[i] == null ? undefined : cust.get(o.customerId[i]!);
    const signup = k === undefined ? NaN : x.customers.signupAt[k]!;
    const seen = k === undefined ? NaN : x.customers.firstSeenAt[k]!;
    const firstKnown = Math.min(signup <= t ? signup : Infinity, seen <= t ? seen : Infinity, t);
    const customerCountry = k === undefined ? null : (x.customers.country[k] ?? null);
    const orderCountry = o.country[i] ?? null;
    const hasCustomer = o.customerId[i] != null;
    const f = featureRow({
      lv: lv[i]!,
      custMeanLv: hasCustomer ? custMean[i]! : NaN,
      shopMeanLv: shopMean[i]!,
      orderedAt: t,
      firstKnown,
      custEarlier: hasCustomer ? custEarlier[i]! : 0,
      velocities: [cust1h[i]!, cust24h[i]!, dev1h[i]!, dev24h[i]!, ip1h[i]!, ip24h[i]!],
      orderCountry,
      customerCountry,
      undoneBefore: undoneBefore[i]!,
      qty: qty[i]!,
      maxQty: maxQty[i]!,
      products: productSets[i]?.size ?? 0,
      returnedShare: returnedShare.get(i) ?? null,
    });
    for (let j = 0; j < cols; j++) values[r * cols + j] = f[ORDER_RISK_FEATURES[j]!.name]!;
  });
  return {
    orderIds: rowsOut.map((i) => o.orderId[i]!),
    customerIds: rowsOut.map((i) => o.customerId[i] ?? null),
    orderedAt: Float64Array.from(rowsOut, (i) => at[i]!),
    names: ORDER_RISK_FEATURE_NAMES,
    risky: ORDER_RISK_FEATURES.map((d) => d.risky),
    values,
    rows: rowsOut.length,
    cols,
  };
}

/** What ORDER_RISK_FEATURES' expressions read for one order (NaN / null = NULL). */
export interface OrderFeatureInputs {
  readonly lv: number;
  readonly custMeanLv: number;
  readonly shopMeanLv: number;
  /** Epoch ms. */
  readonly orderedAt: number;
  readonly firstKnown: number;
  readonly custEarlier: number;
  /** customer 1 h, 24 h, device 1 h, 24 h, IP 1 h, 24 h (NaN: the order lacks the key). */
  readonly velocities: readonly [number, number, number, number, number, number];
  readonly orderCountry: string | null;
  readonly customerCountry: string | null;
  readonly undoneBefore: number;
  readonly qty: number;
  readonly maxQty: number;
  readonly products: number;
  readonly returnedShare: number | null;
}

/** A log difference within LOG_DIFF_NOISE of 0 is 0, as the SQL takes it (NaN stays NaN). */
function aboveNoise(x: number): number {
  return Math.abs(x) < LOG_DIFF_NOISE ? 0 : x;
}

/** ORDER_RISK_FEATURES' SQL expressions in TypeScript: feature name -> value (NaN = NULL). */
export function featureRow(q: OrderFeatureInputs): Record<string, number> {
  const seconds = Math.floor(q.orderedAt / 1000) - Math.floor(q.firstKnown / 1000);
  const d = new Date(q.orderedAt);
  const [c1, c24, d1, d24, i1, i24] = q.velocities;
  return {
    log_value: q.lv,
    value_vs_customer_usual: aboveNoise(q.lv - q.custMeanLv),
    value_vs_shop_usual: aboveNoise(q.lv - q.shopMeanLv),
    log_hours_since_first_seen: Math.log(1 + Math.max(seconds, 0) / 3600),
    customer_earlier_orders: q.custEarlier,
    customer_orders_1h: c1,
    customer_orders_24h: c24,
    device_orders_1h: d1,
    device_orders_24h: d24,
    ip_orders_1h: i1,
    ip_orders_24h: i24,
    country_mismatch:
      q.orderCountry === null || q.customerCountry === null
        ? NaN
        : q.orderCountry.toLowerCase() !== q.customerCountry.toLowerCase()
          ? 1
          : 0,
    customer_undone_orders: q.undoneBefore,
    log_total_quantity: Math.log(1 + q.qty),
    log_max_line_quantity: Math.log(1 + q.maxQty),
    distinct_products: q.products,
    hour: d.getUTCHours(),
    weekday: d.getUTCDay(),
    new_customer_value: q.custEarlier === 0 ? aboveNoise(q.lv - q.shopMeanLv) : 0,
    returned_product_share: q.returnedShare ?? NaN,
  };
}

/**
 * Per order (by index) with at least one line that has a rate: the value-weighted share of the
 * earlier sales of its products that were undone (null: sum of weights 0 or no rated line).
 */
function productReturnShare(
  x: OrderRiskRows,
  index: ReadonlyMap<string, number>,
  linesOf: ReadonlyMap<string, number[]>,
  at: Float64Array,
): Map<number, number | null> {
  const l = x.lines;
  type Ev = { at: number; amount: number; sale: number };
  const byProduct = new Map<string, Ev[]>();
  const push = (p: string, e: Ev): void => {
    const list = byProduct.get(p);
    if (list) list.push(e);
    else byProduct.set(p, [e]);
  };
  // Sales: each line of an order in the store (sale = line index); undone sales: each line of an
  // undone order at the undo time (sale = -1), once per undo event.
  for (let k = 0; k < l.orderId.length; k++) {
    const i = index.get(l.orderId[k]!);
    if (i !== undefined) push(l.productId[k]!, { at: at[i]!, amount: Math.abs(l.amount[k]!), sale: k });
  }
  for (let u = 0; u < x.undo.orderId.length; u++) {
    for (const k of linesOf.get(x.undo.orderId[u]!) ?? []) {
      push(l.productId[k]!, { at: x.undo.at[u]!, amount: Math.abs(l.amount[k]!), sale: -1 });
    }
  }
  const rate = new Map<number, number>(); // line -> rate (only lines with an earlier sale)
  for (const events of byProduct.values()) {
    events.sort((a, b) => a.at - b.at);
    let sales: number | null = null;
    let undone: number | null = null;
    for (let p = 0; p < events.length;) {
      let q = p;
      while (q < events.length && events[q]!.at === events[p]!.at) q++;
      for (let r = p; r < q; r++) {
        const e = events[r]!;
        if (e.sale >= 0 && sales !== null) rate.set(e.sale, (undone ?? 0) / sales);
      }
      for (let r = p; r < q; r++) {
        const e = events[r]!;
        if (e.sale >= 0) sales = (sales ?? 0) + e.amount;
        else undone = (undone ?? 0) + e.amount;
      }
      p = q;
    }
  }
  const share = new Map<number, number | null>();
  for (const [id, ks] of linesOf) {
    const i = index.get(id);
    if (i === undefined) continue;
    let num: number | null = null;
    let den: number | null = null;
    for (const k of ks) {
      const r = rate.get(k);
      if (r === undefined) continue;
      const a = Math.abs(l.amount[k]!);
      num = (num ?? 0) + a * r;
      den = (den ?? 0) + a;
    }
    if (den !== null) share.set(i, den === 0 ? null : num! / den);
  }
  return share;
}
