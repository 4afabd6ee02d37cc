/**
 * @module warehouse/open
 * Picks the engine from the location: a file path or `duckdb://path` opens the embedded DuckDB
 * warehouse; `clickhouse://host:8123/db?cluster=c` names a ClickHouse cluster, which only the
 * commands built for it open (openClickHouse): every other command is refused with a message
 * saying so, never run with DuckDB SQL against it (docs/clickhouse.md).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DatabaseBusyError, DuckDBWarehouse, type DuckDBOpenOptions } from './duckdb/duckdb-warehouse.js';
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { isClickHouseLocation, redactedLocation } from './clickhouse/location.js';
import { busyMessage } from './holder.js';
import type { Warehouse } from './warehouse.js';

/** The database used when neither --db nor SHOPSIGHT_DB says otherwise. */
export const DEFAULT_DB = 'shopsight.duckdb';

export function resolveDbLocation(explicit?: string): string {
  return explicit ?? (process.env['SHOPSIGHT_DB'] || DEFAULT_DB); // an empty variable counts as unset
}

/**
 * DuckDB's memory cap. Without one DuckDB takes up to 80% of RAM; with one it spills to disk
 * (next to the database file) and stays inside it, which matters on a shared 2-core box.
 */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export interface OpenWarehouseOptions extends DuckDBOpenOptions {
  /**
   * Create the database when the file does not exist (the default, for importers and library
   * users). With `false` a missing file is refused with a MissingDatabaseError and NOT created:
   * a mistyped path in a command that only reads would otherwise train on an empty store.
   */
  readonly create?: boolean;
  /**
   * When the file is held by `shopsight serve`: the API call that does the same work, named in the
   * DatabaseBusyError's message (e.g. `POST /v1/admin/import`).
   */
  readonly viaServer?: string;
  /**
   * The command runs on ClickHouse (it is in CLICKHOUSE_COMMANDS): a clickhouse:// location opens
   * the cluster's ClickHouseStore instead of being refused.
   */
  readonly clickhouse?: boolean;
}

/** The database file named is not there (and was not created). */
export class MissingDatabaseError extends Error {
  override readonly name = 'MissingDatabaseError';
  constructor(readonly path: string) {
    const folder = dirname(path);
    super(
      existsSync(folder)
        ? `no database at ${path}`
        : `no database at ${path} (the folder ${folder} does not exist either)`,
    );
  }
}

export { DatabaseBusyError };

export async function openWarehouse(
  location: string,
  options: OpenWarehouseOptions = {},
): Promise<Warehouse> {
  const { create = true, viaServer, clickhouse = false, ...rest } = options;
  const duckdbOptions: DuckDBOpenOptions = {
    memoryLimit: process.env['SHOPSIGHT_MEMORY_LIMIT'] ?? DEFAULT_MEMORY_LIMIT,
    ...rest,
  };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (!scheme || scheme === 'duckdb') {
    const path = scheme ? location.slice('duckdb://'.length) : location;
    if (path !== ':memory:' && path !== '') checkDatabaseFile(path, create);
    return DuckDBWarehouse.open(path, duckdbOptions).catch((err: unknown) => {
      if (err instanceof DatabaseBusyError) {
        err.message = busyMessage(path, err.pid, err.program, viaServer);
      }
      throw err;
    });
  }
  if (scheme === 'clickhouse') {
    if (clickhouse) return openClickHouse(location);
    throw new NotOnClickHouseError(location);
  }
  throw new Error(
    `unsupported warehouse location '${location}': use a file path, duckdb://path ` +
      `or clickhouse://host:8123/database?cluster=name`,
  );
}

/** Commands that run on a clickhouse:// location so far (the rest refuse it with NotOnClickHouseError). */
export const CLICKHOUSE_COMMANDS = [
  'import',
  'analyze',
  'quarantine',
  'train recommend',
  'train customers',
  'models',
  'serve',
  'keys',
  // issue 14, forecasting and pricing (docs/clickhouse.md):
  'forecast',
  'evaluate forecast',
  'reorder',
  'price',
  // issue 14, customers and recommendations (docs/clickhouse.md)
  'predict customers',
  'customers',
  'evaluate customers',
  'evaluate recommend',
  'recommend',
  // chreviews: reviews, sentiment, status and the HTML report
  'reviews',
  'train sentiment',
  'status',
  'report',
  // Order risk (docs/risk.md, "On ClickHouse"): evaluate risk with --labels only.
  'train risk',
  'risk score',
  'evaluate risk',
  'privacy export',
  'privacy forget',
  'privacy retain',
] as const;

/** The command was given a clickhouse:// location but runs on DuckDB only so far. */
export class NotOnClickHouseError extends Error {
  override readonly name = 'NotOnClickHouseError';
  constructor(location: string) {
    super(
      `${redactedLocation(location)} is a ClickHouse cluster, and this command does not run on ClickHouse yet: ` +
        `so far only ${CLICKHOUSE_COMMANDS.map((c) => `\`shopsight ${c}\``).join(', ')} do (serve: the routes docs/clickhouse.md lists) ` +
        `(docs/clickhouse.md lists what is built); give a DuckDB file as --db`,
    );
  }
}

export { isClickHouseLocation };

/**
 * Opens a ClickHouse cluster for the commands built for it (see CLICKHOUSE_COMMANDS). Its client is
 * loaded here, when a cluster is named: every command imports this module, and loading
 * @clickhouse/client at start-up cost each of them CPU for nothing on DuckDB.
 */
export async function openClickHouse(location: string): Promise<ClickHouseStore> {
  const { ClickHouseStore } = await import('./clickhouse/clickhouse-store.js');
  return ClickHouseStore.open(location);
}

/**
 * Refuses, in our words rather than DuckDB's, what DuckDB would fail on or silently create: a
 * folder given as the database, a missing file when `create` is off, a file in a missing folder.
 */
function checkDatabaseFile(path: string, create: boolean): void {
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) {
      throw new Error(
        `${path} is a folder, not a database file: name a file, e.g. ${join(path, DEFAULT_DB)}`,
      );
    }
    return;
  }
  if (!create) throw new MissingDatabaseError(path);
  const folder = dirname(path);
  if (!existsSync(folder)) {
    throw new Error(`cannot create the database ${path}: the folder ${folder} does not exist`);
  }
}
