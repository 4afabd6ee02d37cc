/**
 * @module warehouse/customer-names
 * The customers' first and last names (migration 21), read for one job: redacting them from text
 * before it leaves for a language-model endpoint (assistant/llm/shop-names.ts). The fingerprint lets
 * the caller keep the names it read until an import or an erasure changes them, without reading
 * them again.
 *
 * @example
 *   await customerNamesFingerprint(wh); // '2:8127...' (named customers and a hash of their names)
 *   await customerNames(wh);            // [{ first_name: 'Ann', last_name: 'Lee' }, ...]
 */
import type { Warehouse } from './warehouse.js';

export interface StoredName {
  readonly first_name: string | null;
  readonly last_name: string | null;
}

const NAMED = 'first_name IS NOT NULL OR last_name IS NOT NULL';

/** How many customers have a name and a hash of all of them: equal fingerprints, equal names (bar a 64-bit collision). */
export async function customerNamesFingerprint(wh: Warehouse): Promise<string> {
  const [r] = await wh.rows<{ n: number; h: string | null }>(
    `SELECT count(*) AS n, CAST(bit_xor(hash(customer_id, first_name, last_name)) AS VARCHAR) AS h
       FROM customers WHERE ${NAMED}`,
  );
  return `${Number(r?.n ?? 0)}:${r?.h ?? ''}`;
}

/** Every customer's name (customers with neither field left out). */
export async function customerNames(wh: Warehouse): Promise<StoredName[]> {
  return wh.rows<StoredName & Record<string, unknown>>(
    `SELECT first_name, last_name FROM customers WHERE ${NAMED}`,
  );
}

/** One customer's name, undefined when the store has none for them. */
export async function customerName(wh: Warehouse, customerId: string): Promise<StoredName | undefined> {
  const [r] = await wh.rows<StoredName & Record<string, unknown>>(
    `SELECT first_name, last_name FROM customers WHERE customer_id = ? AND (${NAMED})`,
    [customerId],
  );
  return r;
}
