/**
 * @module warehouse/clickhouse/schema
 * The canonical tables as ClickHouse DDL, generated from schema/tables.ts (the one column list).
 *
 * Layout (docs/clickhouse.md, "Sharding"): every node holds `<table>_local`, a ReplacingMergeTree
 * ordered by the table's key, so re-importing a row replaces it (after a merge; the import forces
 * one with OPTIMIZE ... FINAL). The sharded tables are read through `<table>`, a Distributed table
 * over the locals, sharded by cityHash64 of the customer: order_items and order_status_history carry
 * the order's customer_id (a ClickHouse-only column) so an order, its lines and its customer live on
 * one shard and per-customer and per-order work joins locally. Products (and the import log) are a
 * plain ReplacingMergeTree written whole to every node, so a shard joins its own copy.
 *
 * 18.16 has no Bool and no DateTime64: flags are UInt8, times DateTime('UTC') (whole seconds).
 * ON CLUSTER DDL needs ZooKeeper, so this DDL is run on each node in turn.
 */
import { TABLES, type ColumnType, type TableDef } from '../../schema/tables.js';

/**
 * The version of this DDL, reported as the store's `schemaVersion` (DuckDB reports its migration
 * number): raise it when a table or column changes.
 */
export const CH_SCHEMA_VERSION = 1;

/** The canonical tables ClickHouse holds so far; importing into any other is refused by name. */
export const CH_SHARDED_TABLES = [
  'customers',
  'orders',
  'order_items',
  'order_status_history',
  'events',
  'quarantine',
] as const;
export const CH_REPLICATED_TABLES = ['products'] as const;
export type ChTable = (typeof CH_SHARDED_TABLES)[number] | (typeof CH_REPLICATED_TABLES)[number];
export const CH_TABLES: readonly ChTable[] = [...CH_REPLICATED_TABLES, ...CH_SHARDED_TABLES];

const CH_TYPES: Record<ColumnType, string> = {
  text: 'String',
  money: 'Decimal(18, 4)',
  number: 'Float64',
  integer: 'Int64',
  timestamp: "DateTime('UTC')",
  boolean: 'UInt8',
  json: 'String',
};

export interface ChColumn {
  readonly name: string;
  readonly type: ColumnType;
  /** The ClickHouse type, Nullable unless the canonical column is required. */
  readonly chType: string;
}

/** Tables that store their order's customer so they shard with it. */
const CARRY_CUSTOMER: ReadonlySet<ChTable> = new Set(['order_items', 'order_status_history']);

/**
 * Whether `column` of `table` is the customer carried only to shard the table with its order (not a
 * canonical column): privacy reads such a table by its orders, as on DuckDB, and leaves the column out.
 */
export function isCarriedColumn(table: string, column: string): boolean {
  return column === 'customer_id' && CARRY_CUSTOMER.has(table as ChTable);
}

/** The columns of a ClickHouse table: the canonical ones, plus customer_id where it is carried. */
export function chColumns(table: ChTable): ChColumn[] {
  const def: TableDef = TABLES[table];
  const cols: ChColumn[] = def.columns.map((c) => ({
    name: c.name,
    type: c.type,
    chType: c.required || def.key.includes(c.name) ? CH_TYPES[c.type] : `Nullable(${CH_TYPES[c.type]})`,
  }));
  if (CARRY_CUSTOMER.has(table)) cols.push({ name: 'customer_id', type: 'text', chType: 'Nullable(String)' });
  return cols;
}

/** The shard of a row: its customer, else (guests, anonymous events, quarantine) its own key. */
export function shardingKey(table: ChTable): string {
  switch (table) {
    case 'customers':
      return 'cityHash64(customer_id)';
    case 'orders':
    case 'order_items':
    case 'order_status_history':
      return 'cityHash64(ifNull(customer_id, order_id))';
    case 'events':
      return 'cityHash64(ifNull(customer_id, event_id))';
    default:
      return `cityHash64(${TABLES[table].key.join(', ')})`;
  }
}

const quoted = (name: string): string => `\`${name}\``;

/** DDL for one node: the local tables, the Distributed tables over them, the replicated ones. */
export function nodeDdl(database: string, cluster: string): string[] {
  const db = quoted(database);
  const out = [`CREATE DATABASE IF NOT EXISTS ${db}`];
  for (const table of CH_TABLES) {
    const cols = chColumns(table)
      .map((c) => `${quoted(c.name)} ${c.chType}`)
      .join(', ');
    const orderBy = `(${TABLES[table].key.map(quoted).join(', ')})`;
    const isSharded = (CH_SHARDED_TABLES as readonly string[]).includes(table);
    const local = isSharded ? `${table}_local` : table;
    out.push(
      `CREATE TABLE IF NOT EXISTS ${db}.${quoted(local)} (${cols}) ENGINE = ReplacingMergeTree() ORDER BY ${orderBy}`,
    );
    if (isSharded) {
      out.push(
        `CREATE TABLE IF NOT EXISTS ${db}.${quoted(table)} AS ${db}.${quoted(local)} ` +
          `ENGINE = Distributed(${quoted(cluster)}, ${db}, ${quoted(local)}, ${shardingKey(table)})`,
      );
    }
  }
  out.push(
    `CREATE TABLE IF NOT EXISTS ${db}.imports (import_id String, source String, preset String, ` +
      `started_at DateTime('UTC'), finished_at DateTime('UTC'), rows_read Int64, rows_imported Int64, ` +
      `rows_quarantined Int64, summary String) ENGINE = ReplacingMergeTree() ORDER BY import_id`,
  );
  // The API's keys (only the secret's SHA-256), written to every node like the import log.
  out.push(
    `CREATE TABLE IF NOT EXISTS ${db}.api_keys (key_id String, name String, role String, ` +
      `secret_sha256 String, created_at DateTime('UTC'), revoked_at Nullable(DateTime('UTC'))) ` +
      `ENGINE = ReplacingMergeTree() ORDER BY key_id`,
  );
  // The model registry (clickhouse/model-store.ts): plain MergeTree, read and written on shard 1 only.
  out.push(
    `CREATE TABLE IF NOT EXISTS ${db}.model_versions (task String, version Int64, claim String) ` +
      `ENGINE = MergeTree() ORDER BY (task, version, claim)`,
    `CREATE TABLE IF NOT EXISTS ${db}.models (model_id String, task String, version Int64, kind String, ` +
      `created_at DateTime('UTC'), trained_on String, params String, metrics String, artifact String, bytes Int64) ` +
      `ENGINE = MergeTree() ORDER BY (task, version)`,
    `CREATE TABLE IF NOT EXISTS ${db}.model_promotions (task String, seq Int64, claim String, version Int64, ` +
      `action String, promoted_at DateTime('UTC')) ENGINE = MergeTree() ORDER BY (task, seq, claim)`,
  );
  // Privacy (clickhouse/personal-data.ts), on shard 1 only like the registry: the erasure log (one
  // row per forget, nothing personal) and the models marked as trained with an erased person (one
  // row per model however often marked: ReplacingMergeTree, read with FINAL).
  out.push(
    `CREATE TABLE IF NOT EXISTS ${db}.erasure_log (erased_at DateTime('UTC'), reason Nullable(String), ` +
      `orders_mode String, counts String) ENGINE = MergeTree() ORDER BY erased_at`,
    `CREATE TABLE IF NOT EXISTS ${db}.model_erasures (model_id String, marked_at DateTime('UTC')) ` +
      `ENGINE = ReplacingMergeTree() ORDER BY model_id`,
  );
  return out;
}
