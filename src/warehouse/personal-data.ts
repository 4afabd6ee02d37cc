/**
 * @module warehouse/personal-data
 * The SQL of erasure (privacy forget): which tables hold a person, and removing them from each.
 *
 * The tables are found from the database's own catalogue, never from a list written here: every base
 * table with a personal column (PERSONAL_COLUMNS: customer_id, email, anonymous_id) is covered,
 * including tables that later migrations add. A table with an `order_id` column follows the
 * person's orders when they are deleted.
 *
 * @example
 *   const person = await findPerson(wh, { customerIds: ['c42'], emails: [] });
 *   if (person) await erasePerson(wh, person, { orders: 'delete', textNeedles: ['c42'] });
 */
import { PERSONAL_COLUMNS } from '../ingest/pseudonymise.js';
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import {
  chApplyRetention,
  chErasePerson,
  chErasureLog,
  chLogErasure,
  chPersonalTables,
  chPersonRows,
} from './clickhouse/personal-data.js';
import { literal } from './duckdb/sql-types.js';
import type { Row, SqlValue, Warehouse } from './warehouse.js';

/** What an erasure does with the person's orders: delete them and their lines, or keep them unlinked. */
export type OrdersMode = 'delete' | 'anonymise';
export const ORDERS_MODES: readonly OrdersMode[] = ['delete', 'anonymise'];

/** Columns on an anonymised order that could still single the person out (set to null with the id). */
const LINKABLE_ORDER_COLUMNS = ['device_id', 'ip_hash'];

/** Every base table with a personal column, with those columns (catalogue order). */
export async function personalTables(wh: Warehouse): Promise<Map<string, string[]>> {
  if (wh instanceof ClickHouseStore) return chPersonalTables(wh);
  const rows = await wh.rows<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name
       FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main' AND c.table_catalog = current_database()
        AND c.column_name IN (${PERSONAL_COLUMNS.map(() => '?').join(', ')})
      ORDER BY c.table_name, c.ordinal_position`,
    [...PERSONAL_COLUMNS],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.table_name, [...(out.get(r.table_name) ?? []), r.column_name]);
  return out;
}

/** Base tables (other than `orders`) that reference orders by an `order_id` column. */
async function orderTables(wh: Warehouse): Promise<string[]> {
  const rows = await wh.rows<{ table_name: string }>(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t
         ON t.table_catalog = c.table_catalog AND t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE t.table_type = 'BASE TABLE' AND c.table_schema = 'main' AND c.table_catalog = current_database()
        AND c.column_name = 'order_id' AND c.table_name <> 'orders'
      ORDER BY c.table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** The identifiers of one person as the store holds them. */
export interface PersonKeys {
  readonly customerIds: readonly string[];
  readonly emails: readonly string[];
  /** Visitor ids seen logged in as the person (events, impressions). */
  readonly anonymousIds: readonly string[];
}

const ident = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/**
 * The person among the candidate ids and e-mails (as given, or their pseudonyms): the ids that some
 * personal table holds, their e-mails, and the visitor ids linked to them. Undefined when no table
 * holds any of them.
 */
export async function findPerson(
  wh: Warehouse,
  candidates: { readonly customerIds: readonly string[]; readonly emails: readonly string[] },
): Promise<PersonKeys | undefined> {
  const tables = await personalTables(wh);
  const ids = new Set<string>();
  const emails = new Set<string>();
  for (const [table, cols] of tables) {
    if (cols.includes('customer_id') && candidates.customerIds.length) {
      const found = await wh.rows<{ id: string }>(
        `SELECT DISTINCT customer_id AS id FROM ${ident(table)} WHERE customer_id IN (${marks(candidates.customerIds.length)})`,
        candidates.customerIds,
      );
      for (const r of found) ids.add(r.id);
    }
    if (cols.includes('email') && candidates.emails.length) {
      const found = await wh.rows<{ email: string; id: string | null }>(
        `SELECT DISTINCT email, ${cols.includes('customer_id') ? 'customer_id' : 'NULL'} AS id
           FROM ${ident(table)} WHERE email IN (${marks(candidates.emails.length)})`,
        candidates.emails,
      );
      for (const r of found) {
        emails.add(r.email);
        if (r.id !== null) ids.add(r.id);
      }
    }
  }
  if (ids.size === 0 && emails.size === 0) return undefined;
  const anonymous = new Set<string>();
  const idList = [...ids];
  for (const [table, cols] of tables) {
    if (!idList.length) break;
    if (cols.includes('email')) {
      const rows = await wh.rows<{ email: string }>(
        `SELECT DISTINCT email FROM ${ident(table)} WHERE email IS NOT NULL AND ${cols.includes('customer_id') ? `customer_id IN (${marks(idList.length)})` : '1 = 0'}`,
        cols.includes('customer_id') ? idList : [],
      );
      for (const r of rows) emails.add(r.email);
    }
    if (cols.includes('anonymous_id') && cols.includes('customer_id')) {
      const rows = await wh.rows<{ a: string }>(
        `SELECT DISTINCT anonymous_id AS a FROM ${ident(table)}
          WHERE anonymous_id IS NOT NULL AND customer_id IN (${marks(idList.length)})`,
        idList,
      );
      for (const r of rows) anonymous.add(r.a);
    }
  }
  return { customerIds: idList, emails: [...emails], anonymousIds: [...anonymous] };
}

/** The WHERE clause selecting a person's rows in a table with these personal columns. */
function personCondition(cols: readonly string[], p: PersonKeys): { sql: string; params: SqlValue[] } | null {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  if (cols.includes('customer_id') && p.customerIds.length) {
    parts.push(`customer_id IN (${marks(p.customerIds.length)})`);
    params.push(...p.customerIds);
  }
  if (cols.includes('email') && p.emails.length) {
    parts.push(`email IN (${marks(p.emails.length)})`);
    params.push(...p.emails);
  }
  if (cols.includes('anonymous_id') && p.anonymousIds.length) {
    // A visitor id another customer also logged in from (a shared device) stays with their rows.
    const own = cols.includes('customer_id') ? ' AND customer_id IS NULL' : '';
    parts.push(`(anonymous_id IN (${marks(p.anonymousIds.length)})${own})`);
    params.push(...p.anonymousIds);
  }
  return parts.length ? { sql: parts.join(' OR '), params } : null;
}

/** A regular expression matching the text as a whole token (not inside a longer id or word). */
export function tokenPattern(text: string): string {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `(^|[^A-Za-z0-9_])${escaped}($|[^A-Za-z0-9_])`;
}

export interface EraseOptions {
  readonly orders: OrdersMode;
  /**
   * Texts naming the person in free text (their ids as given and as pseudonyms, e-mails): a
   * quarantine row whose raw text holds one as a whole token is deleted, as is an A/B split naming one.
   */
  readonly textNeedles: readonly string[];
  /**
   * ClickHouse (no transaction; a mutation per table): called with the counts before the last
   * table's rows go, so a failure before it leaves the person findable and a re-run completes the
   * erasure (clickhouse/personal-data.ts). DuckDB erases in one transaction and does not call it.
   */
  readonly beforeLast?: (counts: ErasureCounts) => Promise<void>;
}

/** Rows removed (or, for anonymised orders, unlinked) per table. */
export type ErasureCounts = Record<string, number>;

async function count(wh: Warehouse, sql: string, params: readonly SqlValue[]): Promise<number> {
  const [r] = await wh.rows<{ n: number }>(sql, params);
  return Number(r?.n ?? 0);
}

/**
 * Removes the person from every personal table in one transaction; orders per `orders`. Returns the
 * rows touched per table (tables with none left out).
 */
export async function erasePerson(
  wh: Warehouse,
  p: PersonKeys,
  options: EraseOptions,
): Promise<ErasureCounts> {
  if (wh instanceof ClickHouseStore) {
    return chErasePerson(wh, p, {
      orders: options.orders,
      textNeedles: options.textNeedles,
      tokenPattern,
      beforeLast: options.beforeLast ?? (async () => undefined),
    });
  }
  const tables = await personalTables(wh);
  const linked = await orderTables(wh);
  return wh.transaction(async () => {
    const counts: ErasureCounts = {};
    const add = (table: string, n: number): void => {
      if (n > 0) counts[table] = (counts[table] ?? 0) + n;
    };
    const orders = tables.get('orders');
    const ordersWhere = orders ? personCondition(orders, p) : null;
    if (ordersWhere && options.orders === 'delete') {
      const ids = await wh.rows<{ order_id: string }>(
        `SELECT order_id FROM orders WHERE ${ordersWhere.sql}`,
        ordersWhere.params,
      );
      const orderIds = ids.map((r) => r.order_id);
      for (let at = 0; at < orderIds.length; at += 1000) {
        const slice = orderIds.slice(at, at + 1000);
        for (const t of linked) {
          const where = `order_id IN (${marks(slice.length)})`;
          add(t, await count(wh, `SELECT count(*) AS n FROM ${ident(t)} WHERE ${where}`, slice));
          await wh.exec(`DELETE FROM ${ident(t)} WHERE ${where}`, slice);
        }
      }
    }
    for (const [table, cols] of tables) {
      const where = personCondition(cols, p);
      if (!where) continue;
      const n = await count(wh, `SELECT count(*) AS n FROM ${ident(table)} WHERE ${where.sql}`, where.params);
      if (n === 0) continue;
      if (table === 'orders' && options.orders === 'anonymise') {
        const existing = await wh.rows<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = 'orders'`,
        );
        const names = new Set(existing.map((c) => c.column_name));
        const cleared = [...cols, ...LINKABLE_ORDER_COLUMNS.filter((c) => names.has(c))];
        await wh.exec(
          `UPDATE orders SET ${cleared.map((c) => `${ident(c)} = NULL`).join(', ')} WHERE ${where.sql}`,
          where.params,
        );
      } else {
        await wh.exec(`DELETE FROM ${ident(table)} WHERE ${where.sql}`, where.params);
      }
      add(table, n);
    }
    for (const needle of options.textNeedles) {
      const pattern = tokenPattern(needle);
      add(
        'quarantine',
        await count(wh, 'SELECT count(*) AS n FROM quarantine WHERE regexp_matches(raw, ?)', [pattern]),
      );
      await wh.exec('DELETE FROM quarantine WHERE regexp_matches(raw, ?)', [pattern]);
      // A split assigns by a hash of the visitor's id; one that names a person (a hand-made
      // variant) ends with the erasure rather than keep the name.
      add(
        'ab_splits',
        await count(wh, 'SELECT count(*) AS n FROM ab_splits WHERE regexp_matches(variants::VARCHAR, ?)', [
          pattern,
        ]),
      );
      await wh.exec('DELETE FROM ab_splits WHERE regexp_matches(variants::VARCHAR, ?)', [pattern]);
    }
    return counts;
  });
}

export interface ErasureEntry {
  readonly erasedAt: Date;
  readonly reason: string | null;
  readonly ordersMode: OrdersMode;
  readonly counts: ErasureCounts;
}

export async function logErasure(wh: Warehouse, e: ErasureEntry): Promise<void> {
  if (wh instanceof ClickHouseStore) return chLogErasure(wh, e);
  await wh.exec('INSERT INTO erasure_log (erased_at, reason, orders_mode, counts) VALUES (?, ?, ?, ?)', [
    e.erasedAt,
    e.reason,
    e.ordersMode,
    JSON.stringify(e.counts),
  ]);
}

export async function erasureLog(wh: Warehouse): Promise<ErasureEntry[]> {
  if (wh instanceof ClickHouseStore) return chErasureLog(wh);
  const rows = await wh.rows<{
    erased_at: Date;
    reason: string | null;
    orders_mode: OrdersMode;
    counts: string;
  }>('SELECT erased_at, reason, orders_mode, counts::VARCHAR AS counts FROM erasure_log ORDER BY erased_at');
  return rows.map((r) => ({
    erasedAt: r.erased_at,
    reason: r.reason,
    ordersMode: r.orders_mode,
    counts: JSON.parse(r.counts) as ErasureCounts,
  }));
}

/**
 * Writes a copy of the whole database, with only its live rows, to `target` (a new file): DuckDB
 * keeps deleted rows' bytes in the file's freed blocks after CHECKPOINT and VACUUM (measured:
 * an id deleted and checkpointed was still in the file), so the caller replaces the file with this copy.
 */
export async function copyDatabaseTo(wh: Warehouse, target: string): Promise<void> {
  const [db] = await wh.rows<{ name: string }>('SELECT current_database() AS name');
  await wh.exec('CHECKPOINT');
  await wh.exec(`ATTACH ${literal(target)} AS shopsight_rewrite`);
  try {
    await wh.exec(`COPY FROM DATABASE ${ident(db!.name)} TO shopsight_rewrite`);
  } finally {
    await wh.exec('DETACH shopsight_rewrite');
  }
}

/**
 * Every row held about the person, per table (access request): the personal tables' rows of the
 * person and the rows of any table with an `order_id` column that belong to their orders. Tables
 * with none are left out.
 */
export async function personRows(wh: Warehouse, p: PersonKeys): Promise<Record<string, Row[]>> {
  if (wh instanceof ClickHouseStore) return chPersonRows(wh, p);
  const tables = await personalTables(wh);
  const out: Record<string, Row[]> = {};
  for (const [table, cols] of tables) {
    const where = personCondition(cols, p);
    if (!where) continue;
    const rows = await wh.rows(`SELECT * FROM ${ident(table)} WHERE ${where.sql}`, where.params);
    if (rows.length) out[table] = rows;
  }
  const orders = tables.get('orders');
  const ordersWhere = orders ? personCondition(orders, p) : null;
  if (ordersWhere) {
    for (const t of await orderTables(wh)) {
      if (tables.has(t)) continue;
      const rows = await wh.rows(
        `SELECT * FROM ${ident(t)} WHERE order_id IN (SELECT order_id FROM orders WHERE ${ordersWhere.sql}) ORDER BY ALL`,
        ordersWhere.params,
      );
      if (rows.length) out[t] = rows;
    }
  }
  return out;
}

/** Rows a retention policy removes (or, in a dry run, would remove). */
export interface RetentionCounts {
  readonly events: number;
  readonly quarantine: number;
}

/**
 * Deletes events that occurred before `now - eventsDays` and quarantine rows of imports finished
 * before `now - quarantineDays` (a setting left out keeps its rows); with `dryRun`, only counts.
 */
export async function applyRetention(
  wh: Warehouse,
  policy: { readonly eventsDays?: number; readonly quarantineDays?: number },
  options: { readonly now: Date; readonly dryRun: boolean },
): Promise<RetentionCounts> {
  const before = (days: number): Date => new Date(options.now.getTime() - days * 86_400_000);
  if (wh instanceof ClickHouseStore) {
    return chApplyRetention(
      wh,
      {
        ...(policy.eventsDays !== undefined ? { eventsBefore: before(policy.eventsDays) } : {}),
        ...(policy.quarantineDays !== undefined ? { quarantineBefore: before(policy.quarantineDays) } : {}),
      },
      options.dryRun,
    );
  }
  const statements: { table: keyof RetentionCounts; where: string; params: SqlValue[] }[] = [];
  if (policy.eventsDays !== undefined) {
    statements.push({ table: 'events', where: 'occurred_at < ?', params: [before(policy.eventsDays)] });
  }
  if (policy.quarantineDays !== undefined) {
    statements.push({
      table: 'quarantine',
      where: 'import_id IN (SELECT import_id FROM imports WHERE finished_at < ?)',
      params: [before(policy.quarantineDays)],
    });
  }
  return wh.transaction(async () => {
    const counts = { events: 0, quarantine: 0 };
    for (const s of statements) {
      counts[s.table] = await count(wh, `SELECT count(*) AS n FROM ${s.table} WHERE ${s.where}`, s.params);
      if (!options.dryRun && counts[s.table] > 0)
        await wh.exec(`DELETE FROM ${s.table} WHERE ${s.where}`, s.params);
    }
    return counts;
  });
}
