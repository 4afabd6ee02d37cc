/**
 * @module warehouse/clickhouse/personal-data
 * Privacy export and erasure on a ClickHouse cluster: the same tables, rows and counts as
 * warehouse/personal-data.ts on DuckDB, found the same way (from the catalogue: system.columns and
 * system.tables of the cluster's database, never a list written here).
 *
 * A table is read through what queries read: a Distributed table (its `<t>_local` parts on every
 * node) or a plain table (products, the registry: read on the entry node). A column that exists only
 * to shard a table with its order (order_items.customer_id, schema.ts isCarriedColumn) is not a
 * personal column: such a table follows the person's orders, as on DuckDB, and the column is left
 * out of the export.
 *
 * Erasure has no transaction here: each table's rows go by an `ALTER TABLE ... DELETE` (or UPDATE,
 * for anonymised orders) mutation run on every node, and the call waits until system.mutations on
 * every node says it is done (MUTATION_TIMEOUT_MS, then it fails naming the node and table). The
 * order makes a re-run after a failure complete the work: order lines before orders, orders before
 * the other personal tables, `customers` last, so the person stays findable until the end.
 */
import { PERSONAL_COLUMNS } from '../../ingest/pseudonymise.js';
import type { Row } from '../warehouse.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { chLiteral } from './format-value.js';
import { isCarriedColumn } from './schema.js';

/** How long an erasure waits for one table's mutation on every node before it fails loudly. */
export const MUTATION_TIMEOUT_MS = 5 * 60 * 1000;

interface ChTableInfo {
  /** Read through a Distributed table (mutated as `<name>_local` on every node). */
  readonly sharded: boolean;
  /** Column name -> ClickHouse type, in table order, carried columns left out. */
  readonly columns: Map<string, string>;
  /** Has a customer_id carried only to shard with its order (schema.ts isCarriedColumn). */
  carried: boolean;
}

/** The cluster's queryable tables (Distributed ones and plain ones; not `_local` parts, not scratch). */
async function chTables(ch: ClickHouseStore): Promise<Map<string, ChTableInfo>> {
  const tables = await ch.rows<{ name: string; engine: string }>(
    "SELECT name, engine FROM system.tables WHERE database = currentDatabase() AND engine NOT IN ('Memory', 'View')",
  );
  const sharded = new Set(tables.filter((t) => t.engine === 'Distributed').map((t) => t.name));
  const names = tables
    .map((t) => t.name)
    .filter(
      (n) => !n.startsWith('_') && !(n.endsWith('_local') && sharded.has(n.slice(0, -'_local'.length))),
    );
  const cols = await ch.rows<{ table: string; name: string; type: string }>(
    // 18.16's system.columns has no `position`: it lists each table's columns in table order.
    'SELECT table, name, type FROM system.columns WHERE database = currentDatabase()',
  );
  const out = new Map<string, ChTableInfo>();
  for (const n of names.sort()) out.set(n, { sharded: sharded.has(n), columns: new Map(), carried: false });
  for (const c of cols) {
    const t = out.get(c.table);
    if (!t) continue;
    if (isCarriedColumn(c.table, c.name)) t.carried = true;
    else t.columns.set(c.name, c.type);
  }
  return out;
}

/** Every table with a personal column, with those columns (table order): DuckDB's personalTables. */
export async function chPersonalTables(ch: ClickHouseStore): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [name, t] of await chTables(ch)) {
    const personal = [...t.columns.keys()].filter((c) => (PERSONAL_COLUMNS as readonly string[]).includes(c));
    if (personal.length) out.set(name, personal);
  }
  return out;
}

/** Tables (other than `orders`) with an `order_id` column. */
async function chOrderTables(ch: ClickHouseStore): Promise<string[]> {
  const out: string[] = [];
  for (const [name, t] of await chTables(ch))
    if (name !== 'orders' && t.columns.has('order_id')) out.push(name);
  return out;
}

const ident = (name: string): string => `\`${name.replace(/`/g, '\\`')}\``;
const list = (values: readonly string[]): string => values.map((v) => chLiteral(v)).join(', ');

/** The person's identifiers (warehouse/personal-data.ts PersonKeys). */
export interface ChPerson {
  readonly customerIds: readonly string[];
  readonly emails: readonly string[];
  readonly anonymousIds: readonly string[];
}

/** The WHERE clause of a person's rows, values inlined (mutations take no bound values): DuckDB's personCondition. */
function personWhere(cols: readonly string[], p: ChPerson): string | null {
  const parts: string[] = [];
  if (cols.includes('customer_id') && p.customerIds.length)
    parts.push(`customer_id IN (${list(p.customerIds)})`);
  if (cols.includes('email') && p.emails.length) parts.push(`email IN (${list(p.emails)})`);
  if (cols.includes('anonymous_id') && p.anonymousIds.length) {
    // A visitor id another customer also logged in from (a shared device) stays with their rows.
    const own = cols.includes('customer_id') ? ' AND customer_id IS NULL' : '';
    parts.push(`(anonymous_id IN (${list(p.anonymousIds)})${own})`);
  }
  return parts.length ? parts.join(' OR ') : null;
}

/** A value as DuckDB's export holds it: DateTime as a Date, a flag (UInt8) as a boolean. */
function asDuckDb(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  const base = type.replace(/^Nullable\((.*)\)$/, '$1');
  if (base.startsWith('DateTime') && typeof value === 'string')
    return new Date(`${value.replace(' ', 'T')}Z`);
  if (base === 'UInt8') return Number(value) === 1;
  if (/^(U?Int|Float|Decimal)/.test(base) && typeof value === 'string') return Number(value);
  return value;
}

async function readRows(
  ch: ClickHouseStore,
  table: string,
  info: ChTableInfo,
  where: string,
): Promise<Row[]> {
  const names = [...info.columns.keys()];
  const rows = await ch.rows(
    `SELECT ${names.map((c) => `${ident(c)}`).join(', ')} FROM ${ident(table)} WHERE ${where} ORDER BY ${names.map(ident).join(', ')}`,
  );
  return rows.map(
    (r) => Object.fromEntries(names.map((c) => [c, asDuckDb(r[c], info.columns.get(c)!)])) as Row,
  );
}

/** The person's order ids (the orders table's rows that are theirs). */
async function personOrderIds(
  ch: ClickHouseStore,
  orderCols: readonly string[] | undefined,
  p: ChPerson,
): Promise<string[]> {
  const where = orderCols ? personWhere(orderCols, p) : null;
  if (!where) return [];
  const rows = await ch.rows<{ order_id: string }>(
    `SELECT DISTINCT order_id FROM orders WHERE ${where} ORDER BY order_id`,
  );
  return rows.map((r) => r.order_id);
}

/** Every row held about the person, per table, as DuckDB's personRows gives them (tables with none left out). */
export async function chPersonRows(ch: ClickHouseStore, p: ChPerson): Promise<Record<string, Row[]>> {
  const tables = await chTables(ch);
  const personal = await chPersonalTables(ch);
  const out: Record<string, Row[]> = {};
  for (const [table, cols] of personal) {
    const where = personWhere(cols, p);
    if (!where) continue;
    const rows = await readRows(ch, table, tables.get(table)!, where);
    if (rows.length) out[table] = rows;
  }
  const orderIds = await personOrderIds(ch, personal.get('orders'), p);
  for (const t of await chOrderTables(ch)) {
    if (personal.has(t) || !orderIds.length) continue;
    const rows: Row[] = [];
    for (let at = 0; at < orderIds.length; at += 1000) {
      rows.push(
        ...(await readRows(ch, t, tables.get(t)!, `order_id IN (${list(orderIds.slice(at, at + 1000))})`)),
      );
    }
    if (rows.length) out[t] = rows;
  }
  return out;
}

/**
 * Runs one mutation (`DELETE WHERE ...` or `UPDATE ... WHERE ...`) of a table on every node (a
 * sharded table's `<t>_local` part, a plain table itself) and returns once system.mutations on every
 * node says it is done: from then on no query reads the rows. Fails loudly after `timeoutMs`.
 */
export async function mutateEverywhere(
  ch: ClickHouseStore,
  table: string,
  sharded: boolean,
  mutation: string,
  timeoutMs = MUTATION_TIMEOUT_MS,
): Promise<void> {
  const target = sharded ? `${table}_local` : table;
  await ch.execOnEachNode(`ALTER TABLE ${ident(target)} ${mutation}`);
  const until = Date.now() + timeoutMs;
  for (let wait = 20; ; wait = Math.min(wait * 2, 1000)) {
    const pending = await ch.rowsOnEachNode<{ n: number }>(
      'SELECT count() AS n FROM system.mutations WHERE database = currentDatabase() AND table = ? AND is_done = 0',
      [target],
    );
    const busy = pending.flatMap((r, i) => (Number(r[0]?.n ?? 0) > 0 ? [i + 1] : []));
    if (!busy.length) return;
    if (Date.now() > until) {
      throw new Error(
        `the erasure's mutation of ${target} is not done on shard ${busy.join(', ')} after ${timeoutMs / 1000} s ` +
          `(system.mutations, is_done = 0): the rows may still be read there; run the same command again once the shard is healthy`,
      );
    }
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** Columns of an anonymised order that could still single the person out (as on DuckDB). */
const LINKABLE_ORDER_COLUMNS = ['device_id', 'ip_hash'];

/** A regular expression matching the text as a whole token (DuckDB's tokenPattern; RE2 reads it the same). */
type TokenPattern = (text: string) => string;

export interface ChEraseOptions {
  readonly orders: 'delete' | 'anonymise';
  readonly textNeedles: readonly string[];
  readonly tokenPattern: TokenPattern;
  /** Called with the counts before the last table's mutation (the erasure log; see the module comment). */
  readonly beforeLast: (counts: Record<string, number>) => Promise<void>;
  readonly timeoutMs?: number;
}

interface Step {
  readonly table: string;
  readonly where: string;
  /** Rows counted into the erasure's counts (false: the carried customer of kept order lines). */
  readonly counted: boolean;
  /** Absent: DELETE; else the UPDATE's SET list. */
  readonly set?: string;
}

/**
 * Removes the person from every table of the cluster as erasePerson does on DuckDB, table by table
 * (see the module comment for the order and what a failure part-way leaves). Returns the counts per
 * table, counted before the first mutation.
 */
export async function chErasePerson(
  ch: ClickHouseStore,
  p: ChPerson,
  options: ChEraseOptions,
): Promise<Record<string, number>> {
  const tables = await chTables(ch);
  const personal = await chPersonalTables(ch);
  const orderIds = await personOrderIds(ch, personal.get('orders'), p);
  const steps: Step[] = [];
  const linked = await chOrderTables(ch);
  for (let at = 0; at < orderIds.length; at += 1000) {
    const where = `order_id IN (${list(orderIds.slice(at, at + 1000))})`;
    for (const t of linked) {
      if (options.orders === 'delete') steps.push({ table: t, where, counted: true });
      else if (tables.get(t)!.carried) {
        // Kept order lines carry their order's customer to shard with it: unlinked like the order.
        steps.push({
          table: t,
          where: `(${where}) AND customer_id IS NOT NULL`,
          counted: false,
          set: 'customer_id = NULL',
        });
      }
    }
  }
  const last: Step[] = [];
  for (const [table, cols] of personal) {
    const where = personWhere(cols, p);
    if (!where) continue;
    if (table === 'orders' && options.orders === 'anonymise') {
      const cleared = [
        ...cols,
        ...LINKABLE_ORDER_COLUMNS.filter((c) => tables.get('orders')!.columns.has(c)),
      ];
      steps.push({ table, where, counted: true, set: cleared.map((c) => `${ident(c)} = NULL`).join(', ') });
    } else (table === 'customers' ? last : steps).push({ table, where, counted: true });
  }
  if (tables.has('quarantine') && options.textNeedles.length) {
    const where = options.textNeedles
      .map((n) => `match(raw, ${chLiteral(options.tokenPattern(n))})`)
      .join(' OR ');
    steps.push({ table: 'quarantine', where, counted: true });
  }
  const all = [...steps, ...last];
  const counts: Record<string, number> = {};
  const sizes: number[] = [];
  for (const s of all) {
    const [r] = await ch.rows<{ n: number }>(`SELECT count() AS n FROM ${ident(s.table)} WHERE ${s.where}`);
    const n = Number(r?.n ?? 0);
    sizes.push(n);
    if (s.counted && n > 0) counts[s.table] = (counts[s.table] ?? 0) + n;
  }
  for (const [i, s] of all.entries()) {
    if (i === all.length - 1) await options.beforeLast(counts);
    if (sizes[i] === 0) continue;
    const mutation = s.set ? `UPDATE ${s.set} WHERE ${s.where}` : `DELETE WHERE ${s.where}`;
    await mutateEverywhere(ch, s.table, tables.get(s.table)!.sharded, mutation, options.timeoutMs);
  }
  if (!all.length) await options.beforeLast(counts);
  return counts;
}

/** One erasure log row (warehouse/personal-data.ts ErasureEntry), kept on shard 1 like the registry. */
export interface ChErasureEntry {
  readonly erasedAt: Date;
  readonly reason: string | null;
  readonly ordersMode: 'delete' | 'anonymise';
  readonly counts: Record<string, number>;
}

export async function chLogErasure(ch: ClickHouseStore, e: ChErasureEntry): Promise<void> {
  await ch.execOnFirstShard(
    'INSERT INTO erasure_log (erased_at, reason, orders_mode, counts) VALUES (?, ?, ?, ?)',
    [e.erasedAt, e.reason, e.ordersMode, JSON.stringify(e.counts)],
  );
}

export async function chErasureLog(ch: ClickHouseStore): Promise<ChErasureEntry[]> {
  const rows = await ch.rowsOnFirstShard<{
    erased_at: string;
    reason: string | null;
    orders_mode: 'delete' | 'anonymise';
    counts: string;
  }>(
    'SELECT toString(erased_at) AS erased_at, reason, orders_mode, counts FROM erasure_log ORDER BY erased_at',
  );
  return rows.map((r) => ({
    erasedAt: new Date(`${r.erased_at.replace(' ', 'T')}Z`),
    reason: r.reason,
    ordersMode: r.orders_mode,
    counts: JSON.parse(r.counts) as Record<string, number>,
  }));
}

/**
 * Retention on the cluster (warehouse/personal-data.ts applyRetention): events that occurred before
 * `eventsBefore` and quarantine rows of imports finished before `quarantineBefore` are counted and,
 * unless `dryRun`, deleted by a mutation on every node, waited for. The imports log is read on the
 * entry node (every node holds it whole). Not transactional: a failure between the two tables leaves
 * the second for the next run.
 */
export async function chApplyRetention(
  ch: ClickHouseStore,
  cutoffs: { readonly eventsBefore?: Date; readonly quarantineBefore?: Date },
  dryRun: boolean,
): Promise<{ events: number; quarantine: number }> {
  const steps: { table: 'events' | 'quarantine'; where: string }[] = [];
  if (cutoffs.eventsBefore) {
    steps.push({ table: 'events', where: `occurred_at < ${chLiteral(cutoffs.eventsBefore)}` });
  }
  if (cutoffs.quarantineBefore) {
    const old = await ch.rows<{ import_id: string }>(
      `SELECT DISTINCT import_id FROM imports WHERE finished_at < ${chLiteral(cutoffs.quarantineBefore)} ORDER BY import_id`,
    );
    if (old.length) {
      steps.push({ table: 'quarantine', where: `import_id IN (${list(old.map((r) => r.import_id))})` });
    }
  }
  const counts = { events: 0, quarantine: 0 };
  for (const s of steps) {
    const [r] = await ch.rows<{ n: number }>(`SELECT count() AS n FROM ${s.table} WHERE ${s.where}`);
    counts[s.table] = Number(r?.n ?? 0);
    if (!dryRun && counts[s.table] > 0) await mutateEverywhere(ch, s.table, true, `DELETE WHERE ${s.where}`);
  }
  return counts;
}
