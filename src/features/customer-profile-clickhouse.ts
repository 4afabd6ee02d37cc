/**
 * @module features/customer-profile-clickhouse
 * The reads of customer-profile.ts on a ClickHouse cluster, giving the rows its DuckDB SQL gives,
 * which customer-profile.ts turns into the profile's parts the same way for both engines.
 *
 * One customer's orders, lines and events live on one shard (schema.ts shards them by customer):
 * each query filters the Distributed table by the customer, and the order status as of the cutoff
 * joins the shard's own status history (as orders-as-of.ts). 18.16 allows one JOIN per SELECT
 * level, so the customer's few orders, lines and products are read by three small queries and put
 * together here, where DuckDB joins them in SQL.
 *
 * Category medians: the month's median unit price of a category over every customer's sales lines
 * before the cutoff (the categories and months the customer bought in only). ClickHouse's `median`
 * is approximate and its `quantileExact` takes one middle value, so the sorted prices of each
 * category and month are gathered (`groupArray`) and the median taken as DuckDB's `median` does:
 * the middle value, or lo + (hi - lo) / 2 between the two middle ones. The per-category sums are
 * then taken here in DOUBLE, as DuckDB's are (the profile rounds them to 4 decimals).
 * Money is read as exact Decimal text and parsed once (Number), as DuckDB's CAST(... AS DOUBLE).
 */
import { UNDONE_STATUSES } from '../warehouse/analytics/sql.js';
import { LINE_AMOUNT } from '../warehouse/clickhouse/analytics/sql.js';
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chLiteral } from '../warehouse/clickhouse/format-value.js';
import { chOrdersAsOfLocal } from '../warehouse/clickhouse/orders-as-of.js';
import type { CustomerEvents, ProfileEvent } from './customer-profile.js';

const DAY_MS = 86_400_000;
/** A DateTime('UTC') as toString prints it ('YYYY-MM-DD hh:mm:ss'). */
const utc = (s: string): Date => new Date(`${s.replace(' ', 'T')}Z`);
const utcOrNull = (s: string | null): Date | null => (s === null ? null : utc(s));
const isSaleStatus = (status: string): boolean => !(UNDONE_STATUSES as readonly string[]).includes(status);
/** 'YYYY-MM' of an instant (UTC), DuckDB's date_trunc('month', ...) as a key. */
const monthOf = (d: Date): string => d.toISOString().slice(0, 7);

export interface IdentityRow {
  rows: number;
  first_seen_at: Date | null;
  country: string | null;
  email: string | null;
  attributes: string | null;
  first_name: string | null;
  last_name: string | null;
  acts: number;
}

/** The customers row(s) first seen before the cutoff, and whether any order or event came before it. */
export async function chIdentityRow(ch: ClickHouseStore, id: string, cutoff: Date): Promise<IdentityRow> {
  // Aliases differ from the column names: 18.16 would put an alias's aggregate into the WHERE.
  const [c] = await ch.rows<{
    n: number;
    first_seen: string | null;
    any_country: string | null;
    any_email: string | null;
    any_attributes: string | null;
    any_first_name: string | null;
    any_last_name: string | null;
  }>(
    `SELECT count() AS n,
            toString(minIf(first_seen_at, first_seen_at < ?)) AS first_seen,
            any(country) AS any_country, any(email) AS any_email, any(attributes) AS any_attributes,
            any(first_name) AS any_first_name, any(last_name) AS any_last_name
     FROM customers WHERE customer_id = ? AND (first_seen_at IS NULL OR first_seen_at < ?)`,
    [cutoff, id, cutoff],
  );
  const [a] = await ch.rows<{ acts: number }>(
    `SELECT (SELECT count() FROM orders WHERE customer_id = ? AND ordered_at < ?)
          + (SELECT count() FROM events WHERE customer_id = ? AND occurred_at < ?) AS acts`,
    [id, cutoff, id, cutoff],
  );
  const rows = Number(c?.n ?? 0);
  return {
    rows,
    // minIf over no row is NULL on current servers and the type's zero (1970) on 18.16.
    first_seen_at: rows && c?.first_seen && !c.first_seen.startsWith('1970-01-01') ? utc(c.first_seen) : null,
    country: rows ? (c?.any_country ?? null) : null,
    email: rows ? (c?.any_email ?? null) : null,
    attributes: rows ? (c?.any_attributes ?? null) : null,
    first_name: rows ? (c?.any_first_name ?? null) : null,
    last_name: rows ? (c?.any_last_name ?? null) : null,
    acts: Number(a?.acts ?? 0),
  };
}

interface ChOrder {
  order_id: string;
  at: string;
  status_as_of: string;
  channel: string | null;
  total_text: string | null;
}

/**
 * The customer's orders before the cutoff with their status as of it, newest first: the status
 * rule of orders-as-of.ts, its history read for this customer only (the shard's own rows).
 */
async function ordersOf(ch: ClickHouseStore, id: string, cutoff: Date): Promise<ChOrder[]> {
  const cut = chLiteral(cutoff);
  const who = chLiteral(id);
  return ch.rows<ChOrder & Record<string, unknown>>(
    `SELECT order_id, toString(ordered_at) AS at, if(h_n = 0, status, if(h_before > 0, h_status, 'placed')) AS status_as_of,
            channel, toString(total) AS total_text
     FROM orders ANY LEFT JOIN (
       SELECT order_id, count() AS h_n, countIf(changed_at < ${cut}) AS h_before,
              argMaxIf(status, changed_at, changed_at < ${cut}) AS h_status
       FROM ${ch.localTable('order_status_history')} WHERE customer_id = ${who} GROUP BY order_id
     ) USING order_id
     WHERE customer_id = ${who} AND ordered_at < ${cut}
     ORDER BY ordered_at DESC, order_id DESC`,
  );
}

interface ChLine {
  order_id: string;
  product_id: string;
  quantity: number;
  /** Decimal text (aliases differ from column names: 18.16 would read the alias inside LINE_AMOUNT). */
  price_text: string;
  amount: string;
}

/** The customer's order lines (order_items carries the order's customer on ClickHouse). */
function linesOf(ch: ClickHouseStore, id: string): Promise<ChLine[]> {
  return ch.rows<ChLine & Record<string, unknown>>(
    `SELECT order_id, product_id, quantity, toString(unit_price) AS price_text,
            toString(${LINE_AMOUNT}) AS amount
     FROM order_items WHERE customer_id = ?`,
    [id],
  );
}

export interface ChOrderRow {
  order_id: string;
  ordered_at: Date;
  status: string;
  amount: number;
  lines: number;
  units: number;
  channel: string | null;
  is_sale: boolean;
}

/** customer-profile.ts's order rows: each order before the cutoff with amount, lines and units. */
export async function chOrderRows(ch: ClickHouseStore, id: string, cutoff: Date): Promise<ChOrderRow[]> {
  const orders = await ordersOf(ch, id, cutoff);
  const lines = await linesOf(ch, id);
  const byOrder = new Map<string, { amount: bigint; scale: number; lines: number; units: number }>();
  for (const l of lines) {
    const t = byOrder.get(l.order_id) ?? { amount: 0n, scale: 0, lines: 0, units: 0 };
    const [whole, frac = ''] = l.amount.split('.');
    // Exact decimal sum (DuckDB sums the DECIMALs, then casts): scale as the text gives it.
    const scale = Math.max(t.scale, frac.length);
    const a = BigInt(`${whole}${frac.padEnd(scale, '0')}`.replace(/^(-?)0+(?=\d)/, '$1'));
    t.amount = t.amount * 10n ** BigInt(scale - t.scale) + a;
    t.scale = scale;
    t.lines += 1;
    t.units += Number(l.quantity);
    byOrder.set(l.order_id, t);
  }
  return orders.map((o) => {
    const l = byOrder.get(o.order_id);
    return {
      order_id: o.order_id,
      ordered_at: utc(o.at),
      status: o.status_as_of,
      channel: o.channel,
      is_sale: isSaleStatus(o.status_as_of),
      amount: l ? decimalNumber(l.amount, l.scale) : o.total_text !== null ? Number(o.total_text) : 0,
      lines: l?.lines ?? 0,
      units: l?.units ?? 0,
    };
  });
}

/** A scaled integer as the nearest double (the decimal text parsed once). */
function decimalNumber(v: bigint, scale: number): number {
  if (scale === 0) return Number(v);
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(scale + 1, '0');
  return Number(`${neg ? '-' : ''}${s.slice(0, -scale)}.${s.slice(-scale)}`);
}

export interface ChCategoryRow {
  category: string | null;
  everything: boolean;
  spend: number;
  share: number;
  units: number;
  orders: number;
  price_ratio: number | null;
  compared: number;
}

interface MineLine {
  order_id: string;
  month: string;
  category: string | null;
  quantity: number;
  unit_price: number;
  amount: number;
}

/** The median of each (category, month) pair's sales-line unit prices before the cutoff. */
async function categoryMedians(
  ch: ClickHouseStore,
  pairs: readonly { category: string; month: string }[],
  cutoff: Date,
): Promise<Map<string, number>> {
  if (!pairs.length) return new Map();
  const categories = [...new Set(pairs.map((p) => p.category))].map(chLiteral).join(', ');
  const months = [...new Set(pairs.map((p) => p.month))]
    .map((m) => `toDate(${chLiteral(`${m}-01`)})`)
    .join(', ');
  const undone = UNDONE_STATUSES.map(chLiteral).join(', ');
  const rows = await ch.rows<{ category: string; month: string; lo: number; hi: number }>(
    `SELECT category, month, a[intDiv(length(a) - 1, 2) + 1] AS lo, a[intDiv(length(a), 2) + 1] AS hi
     FROM (
       SELECT category, toString(m) AS month, arraySort(groupArray(price)) AS a
       FROM (
         SELECT product_id, toStartOfMonth(o_at) AS m, toFloat64(unit_price) AS price
         FROM order_items ANY INNER JOIN ${chOrdersAsOfLocal(ch, cutoff)} USING order_id
         WHERE o_at < ${chLiteral(cutoff)} AND o_status NOT IN (${undone})
           AND toStartOfMonth(o_at) IN (${months})
           AND product_id IN (
             SELECT product_id FROM ${ch.nodeTable('products')}
             WHERE category IN (${categories}) AND ifNull(is_merchandise, 1) = 1)
       ) ANY INNER JOIN (
         SELECT product_id, assumeNotNull(category) AS category FROM products WHERE category IN (${categories})
       ) USING product_id
       GROUP BY category, m
     )`,
  );
  const out = new Map<string, number>();
  for (const r of rows) {
    const lo = Number(r.lo);
    const hi = Number(r.hi);
    out.set(`${r.category}\u0000${r.month.slice(0, 7)}`, lo === hi ? lo : lo + (hi - lo) * 0.5);
  }
  return out;
}

/**
 * customer-profile.ts's category rows: one per category of the customer's merchandise sales lines,
 * and the `everything` row over all categorised lines (DuckDB's GROUPING SETS ((category), ())).
 */
export async function chCategoryRows(
  ch: ClickHouseStore,
  id: string,
  cutoff: Date,
): Promise<ChCategoryRow[]> {
  const orders = new Map(
    (await ordersOf(ch, id, cutoff)).filter((o) => isSaleStatus(o.status_as_of)).map((o) => [o.order_id, o]),
  );
  const lines = (await linesOf(ch, id)).filter((l) => orders.has(l.order_id));
  const ids = [...new Set(lines.map((l) => l.product_id))];
  const products = new Map(
    ids.length
      ? (
          await ch.rows<{ product_id: string; category: string | null; is_merchandise: number | null }>(
            `SELECT product_id, category, is_merchandise FROM products WHERE product_id IN (${ids.map(chLiteral).join(', ')})`,
          )
        ).map((p) => [p.product_id, p])
      : [],
  );
  const mine: MineLine[] = [];
  for (const l of lines) {
    const p = products.get(l.product_id);
    if (p && p.is_merchandise !== null && Number(p.is_merchandise) === 0) continue;
    mine.push({
      order_id: l.order_id,
      month: monthOf(utc(orders.get(l.order_id)!.at)),
      category: p?.category ?? null,
      quantity: Number(l.quantity),
      unit_price: Number(l.price_text),
      amount: Number(l.amount),
    });
  }
  const pairs = new Map<string, { category: string; month: string }>();
  for (const l of mine) {
    if (l.category !== null)
      pairs.set(`${l.category}\u0000${l.month}`, { category: l.category, month: l.month });
  }
  const medians = await categoryMedians(ch, [...pairs.values()], cutoff);
  const all = mine.reduce((t, l) => t + l.amount, 0);
  const groups = new Map<string | null, MineLine[]>();
  const categorised = mine.filter((l) => l.category !== null);
  for (const l of categorised) groups.set(l.category, [...(groups.get(l.category) ?? []), l]);
  const row = (category: string | null, ls: MineLine[], everything: boolean): ChCategoryRow => {
    let spend = 0;
    let units = 0;
    let paid = 0;
    let typical = 0;
    let compared = 0;
    for (const l of ls) {
      spend += l.amount;
      units += l.quantity;
      const median = medians.get(`${l.category}\u0000${l.month}`);
      if (median !== undefined && median > 0) {
        paid += l.quantity * l.unit_price;
        typical += l.quantity * median;
        compared += 1;
      }
    }
    return {
      category,
      everything,
      spend,
      share: spend / all,
      units,
      orders: new Set(ls.map((l) => l.order_id)).size,
      price_ratio: compared ? paid / typical : null,
      compared,
    };
  };
  return [...[...groups].map(([category, ls]) => row(category, ls, false)), row(null, categorised, true)];
}

/** The customer's latest events and the counts per type over the 30 days before the cutoff. */
export async function chCustomerEvents(
  ch: ClickHouseStore,
  id: string,
  cutoff: Date,
  recentLimit: number,
): Promise<CustomerEvents> {
  const recent = await ch.rows<Omit<ProfileEvent, 'occurred_at'> & { at: string }>(
    `SELECT event_id, type, product_id, session_id, toString(occurred_at) AS at FROM events
     WHERE customer_id = ? AND occurred_at < ?
     ORDER BY occurred_at DESC, event_id DESC LIMIT ${Math.max(0, Math.floor(recentLimit))}`,
    [id, cutoff],
  );
  const counts = await ch.rows<{ type: string; n: number }>(
    `SELECT type, count() AS n FROM events
     WHERE customer_id = ? AND occurred_at < ? AND occurred_at >= ?
     GROUP BY type ORDER BY type`,
    [id, cutoff, new Date(cutoff.getTime() - 30 * DAY_MS)],
  );
  return {
    recent: recent.map(({ at, ...e }) => ({ ...e, occurred_at: utc(at) })),
    last30Days: Object.fromEntries(counts.map((c) => [c.type, Number(c.n)])),
  };
}

/** Midnight UTC after the latest order or event (null for a store with neither). */
export async function chLatestActivityDay(ch: ClickHouseStore): Promise<Date | null> {
  const [r] = await ch.rows<{ o: string | null; o_n: number; e: string | null; e_n: number }>(
    `SELECT (SELECT toString(max(ordered_at)) FROM orders) AS o, (SELECT count() FROM orders) AS o_n,
            (SELECT toString(max(occurred_at)) FROM events) AS e, (SELECT count() FROM events) AS e_n`,
  );
  const times = [
    Number(r?.o_n ?? 0) > 0 ? utcOrNull(r?.o ?? null) : null,
    Number(r?.e_n ?? 0) > 0 ? utcOrNull(r?.e ?? null) : null,
  ].filter((d): d is Date => d !== null);
  if (!times.length) return null;
  const latest = Math.max(...times.map((d) => d.getTime()));
  return new Date(Math.floor(latest / DAY_MS) * DAY_MS + DAY_MS);
}
