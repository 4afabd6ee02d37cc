/**
 * @module features/fairness-groups-clickhouse
 * The group values of fairness-groups.ts read from a ClickHouse cluster: the same rules, the
 * dialect's way.
 *
 * - Country: the customers row's country, else the most frequent country of the customer's orders
 *   before the cutoff, taken per shard (orders are sharded by customer) with `topKIf`, as
 *   customer-features-clickhouse.ts does; on a tie topK and DuckDB's `mode` may pick different
 *   countries (docs/clickhouse.md, "Not built yet").
 * - Another attribute: 18.16 has no JSON functions that return a nested value's text the way
 *   DuckDB's `json_extract_string` does (JSONExtract came in 19.x), so the `attributes` text is read
 *   and the key looked up here: a string as it is, a number, true or false as its JSON text, an
 *   object or array as compact JSON, a missing key or null as missing. DuckDB keeps a number's JSON
 *   text as written (`34.0`); here it is JavaScript's (`34`): the same age band.
 */
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { GroupSpec } from './fairness-groups.js';

/** One key of a customers row's `attributes` JSON as text (json_extract_string's answer). */
export function attributeText(attributes: string | null, key: string): string | null {
  if (attributes === null) return null;
  let v: unknown;
  try {
    const o: unknown = JSON.parse(attributes);
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return null;
    v = (o as Record<string, unknown>)[key];
  } catch {
    return null;
  }
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** customer id -> group value for every customer the cluster knows (rows or orders). */
async function customerValues(
  ch: ClickHouseStore,
  spec: GroupSpec,
  cutoff: Date,
): Promise<Map<string, string | null>> {
  if (spec.attribute !== 'country') {
    const rows = await ch.rows<{ customer_id: string; attributes: string | null }>(
      'SELECT customer_id, attributes FROM customers',
    );
    return new Map(rows.map((r) => [r.customer_id, attributeText(r.attributes, spec.attribute)]));
  }
  // Aliases differ from the column names: 18.16 would read an alias inside the WHERE.
  const fromOrders = await ch.rows<{ cid: string; top_country: string }>(
    `SELECT assumeNotNull(customer_id) AS cid,
            topKIf(1)(assumeNotNull(country), country IS NOT NULL)[1] AS top_country
     FROM orders WHERE customer_id IS NOT NULL AND ordered_at < ?
     GROUP BY customer_id HAVING countIf(country IS NOT NULL) > 0`,
    [cutoff],
  );
  const out = new Map<string, string | null>(fromOrders.map((r) => [r.cid, r.top_country]));
  const own = await ch.rows<{ customer_id: string; own_country: string }>(
    'SELECT customer_id, assumeNotNull(country) AS own_country FROM customers WHERE country IS NOT NULL',
  );
  for (const r of own) out.set(r.customer_id, r.own_country);
  return out;
}

export async function chCustomerGroupValues(
  ch: ClickHouseStore,
  customerIds: readonly string[],
  spec: GroupSpec,
  cutoff: Date,
): Promise<(string | null)[]> {
  const byId = await customerValues(ch, spec, cutoff);
  return customerIds.map((id) => byId.get(id) ?? null);
}

/** An order's own country, else its customer's; another attribute: its customer's. */
export async function chOrderGroupValues(
  ch: ClickHouseStore,
  orderIds: readonly string[],
  spec: GroupSpec,
): Promise<(string | null)[]> {
  const orders = await ch.rows<{ order_id: string; customer_id: string | null; country: string | null }>(
    'SELECT order_id, customer_id, country FROM orders',
  );
  const customers = await ch.rows<{ customer_id: string; country: string | null; attributes: string | null }>(
    'SELECT customer_id, country, attributes FROM customers',
  );
  const ofCustomer = new Map(
    customers.map((c) => [
      c.customer_id,
      spec.attribute === 'country' ? c.country : attributeText(c.attributes, spec.attribute),
    ]),
  );
  const byId = new Map(
    orders.map((o) => {
      const customer = o.customer_id === null ? null : (ofCustomer.get(o.customer_id) ?? null);
      return [o.order_id, spec.attribute === 'country' ? (o.country ?? customer) : customer];
    }),
  );
  return orderIds.map((id) => byId.get(id) ?? null);
}
