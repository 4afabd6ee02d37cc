/**
 * @module features/fairness-groups
 * The group of each customer or order for a fairness report (ml/metrics/fairness.ts): which
 * attribute, read how, and cut into which groups.
 *
 * A group spec names the attribute and, optionally, one value to set against all the others:
 *   country                    every country its own group
 *   country=United Kingdom     'United Kingdom' vs 'rest' (the named value is the reference)
 *   age                        the customer's attributes.age in bands <25, 25-34, 35-44, 45+
 *   sex (any other key)        the customer's attributes.<key> as text; key=value as for country
 * A missing or unreadable value is the group '(unknown)'; it is reported like any other group.
 *
 * Country is the customer's `customers.country`, else the most frequent country of their orders
 * before the cutoff (every order, not only sales as customer-features.ts counts them); for an order, the order's own country,
 * else its customer's. Other attributes are the customer's `attributes` JSON as stored now: a shop
 * records sex or age once, and no history of them exists to read as of a date.
 *
 * On a ClickHouse cluster the values come from fairness-groups-clickhouse.ts (the same rules),
 * chosen here, so callers (evaluate customers, evaluate risk) do not change.
 */
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { chCustomerGroupValues, chOrderGroupValues } from './fairness-groups-clickhouse.js';

export interface GroupSpec {
  readonly attribute: string;
  /** The value set against all others ('rest'); null = every value its own group. */
  readonly versus: string | null;
}

export const AGE_BANDS = ['<25', '25-34', '35-44', '45+'] as const;
export const UNKNOWN_GROUP = '(unknown)';
export const REST_GROUP = 'rest';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class GroupSpecError extends Error {
  override readonly name = 'GroupSpecError';
}

/** `attribute` or `attribute=value`; the attribute a plain key (letters, digits, _). */
export function parseGroupSpec(text: string): GroupSpec {
  const at = text.indexOf('=');
  const attribute = (at < 0 ? text : text.slice(0, at)).trim();
  const versus = at < 0 ? null : text.slice(at + 1).trim();
  if (!KEY.test(attribute)) {
    throw new GroupSpecError(
      `group: '${attribute}' is not an attribute name (country, age, or a key of the customers' attributes: letters, digits and _)`,
    );
  }
  if (versus === '') throw new GroupSpecError(`group: '${text}' names no value after '='`);
  if (attribute === 'age' && versus !== null) {
    throw new GroupSpecError(`group: age is cut into bands (${AGE_BANDS.join(', ')}); give no value`);
  }
  return { attribute, versus };
}

/** The age band of an age in years (AGE_BANDS), '(unknown)' when it is not a number >= 0. */
export function ageBand(age: number): string {
  if (!Number.isFinite(age) || age < 0) return UNKNOWN_GROUP;
  if (age < 25) return AGE_BANDS[0];
  if (age < 35) return AGE_BANDS[1];
  if (age < 45) return AGE_BANDS[2];
  return AGE_BANDS[3];
}

export interface Grouping {
  readonly spec: GroupSpec;
  /** Group names; `codes[i]` indexes it. Age bands in age order, else by name, '(unknown)' last. */
  readonly names: readonly string[];
  readonly codes: Int32Array;
  /** The reference group when the spec names one (its value), else undefined (the largest). */
  readonly reference: string | undefined;
}

/** Raw attribute values (null = missing) into group codes under a spec. */
export function groupValues(values: readonly (string | null)[], spec: GroupSpec): Grouping {
  const label = (v: string | null): string => {
    if (v === null || v.trim() === '') return UNKNOWN_GROUP;
    if (spec.attribute === 'age') return ageBand(Number(v));
    if (spec.versus !== null) return v === spec.versus ? v : REST_GROUP;
    return v;
  };
  const labels = values.map(label);
  const present = new Set(labels);
  let names: string[];
  if (spec.attribute === 'age') names = AGE_BANDS.filter((b) => present.has(b));
  else names = [...present].filter((g) => g !== UNKNOWN_GROUP).sort();
  if (present.has(UNKNOWN_GROUP)) names.push(UNKNOWN_GROUP);
  const index = new Map(names.map((g, i) => [g, i]));
  return {
    spec,
    names,
    codes: Int32Array.from(labels, (g) => index.get(g)!),
    reference: spec.versus ?? undefined,
  };
}

/** The attribute of customers row `c` as text, its JSON path ('$.key') bound as parameter $1. */
const ATTRIBUTE_SQL = 'json_extract_string(c.attributes, CAST($1 AS VARCHAR))';

/**
 * The group value of each customer id (aligned with `customerIds`). Country: the customers row's
 * country as stored now, else the most frequent country of the customer's orders before the cutoff.
 * A customers row keeps no history, so a country changed after the cutoff shows the new one: a
 * group label for a report, never a model input (docs/fairness.md says so).
 */
export async function customerGroupValues(
  wh: Warehouse,
  customerIds: readonly string[],
  spec: GroupSpec,
  cutoff: Date,
): Promise<(string | null)[]> {
  if (wh instanceof ClickHouseStore) return chCustomerGroupValues(wh, customerIds, spec, cutoff);
  const rows =
    spec.attribute === 'country'
      ? await wh.rows<{ customer_id: string; v: string | null }>(
          `WITH m AS (
             SELECT customer_id, mode(country) AS country FROM orders
             WHERE customer_id IS NOT NULL AND ordered_at < CAST($1 AS TIMESTAMP) GROUP BY customer_id
           )
           SELECT coalesce(c.customer_id, m.customer_id) AS customer_id, coalesce(c.country, m.country) AS v
           FROM customers c FULL JOIN m ON m.customer_id = c.customer_id`,
          [cutoff],
        )
      : await wh.rows<{ customer_id: string; v: string | null }>(
          `SELECT c.customer_id, ${ATTRIBUTE_SQL} AS v FROM customers c`,
          [`$.${spec.attribute}`],
        );
  const byId = new Map(rows.map((r) => [r.customer_id, r.v]));
  return customerIds.map((id) => byId.get(id) ?? null);
}

/** The group value of each order id (aligned with `orderIds`). */
export async function orderGroupValues(
  wh: Warehouse,
  orderIds: readonly string[],
  spec: GroupSpec,
): Promise<(string | null)[]> {
  if (wh instanceof ClickHouseStore) return chOrderGroupValues(wh, orderIds, spec);
  const rows =
    spec.attribute === 'country'
      ? await wh.rows<{ order_id: string; v: string | null }>(
          `SELECT o.order_id, coalesce(o.country, c.country) AS v
           FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id`,
        )
      : await wh.rows<{ order_id: string; v: string | null }>(
          `SELECT o.order_id, ${ATTRIBUTE_SQL} AS v
           FROM orders o LEFT JOIN customers c ON c.customer_id = o.customer_id`,
          [`$.${spec.attribute}`],
        );
  const byId = new Map(rows.map((r) => [r.order_id, r.v]));
  return orderIds.map((id) => byId.get(id) ?? null);
}
