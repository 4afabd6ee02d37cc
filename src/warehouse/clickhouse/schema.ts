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
 * number): raise it when a table or column changes. 2: stock (every node), forecast runs, customer
 * predictions, reviews (sharded), review_scores (every node), order_risk, erasure_log, model_erasures.
 */
export const CH_SCHEMA_VERSION = 2;

/** The canonical tables ClickHouse holds so far; importing into any other is refused by name. */
export const CH_SHARDED_TABLES = [
  'customers',
  'orders',
  'order_items',
  'order_status_history',
  'events',
  'quarantine',
  // Reviews shard by their author like orders: per-customer review features join locally.
  'reviews',
] as const;
// stock (the reorder plan's counts, keyed by product like the catalogue): written whole to every node.
export const CH_REPLICATED_TABLES = ['products', 'stock'] as const;
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
    case 'reviews':
      return 'cityHash64(ifNull(customer_id, review_id))';
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
  // Each review's stored sentiment score (review-scores-store-clickhouse.ts), one row per review (the
  // latest score replaces the earlier one), written whole to every node like the catalogue so each
  // shard joins its own reviews to its own copy.
  out.push(
    `CREATE TABLE IF NOT EXISTS ${db}.review_scores (review_id String, model_id String, ` +
      `probability Nullable(Float64), label Nullable(Int64), reason Nullable(String), aspects String, ` +
      `scored_at DateTime('UTC')) ENGINE = ReplacingMergeTree() ORDER BY review_id`,
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
  // Forecast runs (warehouse/forecasts-store-clickhouse.ts): plain MergeTree on shard 1 only, like the
  // registry (small, and one place makes a run's version unique). Values are String holding
  // JavaScript's shortest text of the double: 18.16 parses Float64 text to the nearest double only
  // most of the time, and a stored forecast must read back to the bit.
  out.push(
    `CREATE TABLE IF NOT EXISTS ${db}.forecast_runs (version Int64, level String, granularity String, ` +
      `measure String, model_requested String, horizon Int64, history_end Date, created_at DateTime('UTC')) ` +
      `ENGINE = MergeTree() ORDER BY version`,
    `CREATE TABLE IF NOT EXISTS ${db}.forecasts (version Int64, level String, series_id String, rank Int64, ` +
      `date Date, forecast String, lo80 String, hi80 String, lo95 String, hi95 String, model String, ` +
      `note Nullable(String)) ENGINE = MergeTree() ORDER BY (version, level, rank, date)`,
  );
  // Customer predictions (predictions-store-clickhouse.ts): sharded by customer like the canonical
  // tables; each scoring's rows keep its id, and the scorings log (every node) names the one read.
  out.push(
    `CREATE TABLE IF NOT EXISTS ${db}.customer_predictions_local (scoring String, customer_id String, ` +
      `as_of DateTime('UTC'), churn_probability String, churn_risk String, churn_horizon_days Int64, ` +
      `purchase_probability String, purchase_horizon_days Int64, p_alive Nullable(String), ` +
      `p_alive_unavailable Nullable(String), purchase_model String, expected_orders_365d String, ` +
      `expected_spend_365d String, clv_365d String, spend_tier String, ` +
      `next_order_at Nullable(DateTime('UTC')), churn_reasons String, purchase_reasons String, ` +
      `models String, predicted_at_ms Int64) ENGINE = ReplacingMergeTree() ORDER BY (scoring, customer_id)`,
    `CREATE TABLE IF NOT EXISTS ${db}.customer_predictions AS ${db}.customer_predictions_local ` +
      `ENGINE = Distributed(${quoted(cluster)}, ${db}, customer_predictions_local, cityHash64(customer_id))`,
    `CREATE TABLE IF NOT EXISTS ${db}.prediction_scorings (scoring String, finished_at DateTime('UTC'), ` +
      `rows Int64) ENGINE = MergeTree() ORDER BY scoring`,
  );
  // Order risk scores (warehouse/order-risk-store-clickhouse.ts): unsharded, written and read on
  // shard 1 only like the registry; an order's latest write (write_seq) is its row, read with FINAL.
  out.push(
    `CREATE TABLE IF NOT EXISTS ${db}.order_risk (order_id String, score Float64, model_score Float64, ` +
      `action Nullable(String), held UInt8, reasons String, rules_hit Nullable(String), model_version Int64, ` +
      `scored_at DateTime('UTC'), write_seq UInt64) ENGINE = ReplacingMergeTree(write_seq) ORDER BY order_id`,
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
