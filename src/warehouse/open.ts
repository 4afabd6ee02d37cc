/**
 * @module warehouse/open
 * Picks the engine from the location: a file path or `duckdb://path` opens the embedded DuckDB
 * warehouse; other schemes (clickhouse://) will register here when their implementation lands.
 */
import { DuckDBWarehouse, type DuckDBOpenOptions } from './duckdb/duckdb-warehouse.js';
import type { Warehouse } from './warehouse.js';

/** The database used when neither --db nor SHOPSIGHT_DB says otherwise. */
export const DEFAULT_DB = 'shopsight.duckdb';

export function resolveDbLocation(explicit?: string): string {
  return explicit ?? process.env['SHOPSIGHT_DB'] ?? DEFAULT_DB;
}

/**
 * DuckDB's memory cap. Without one DuckDB takes up to 80% of RAM; with one it spills to disk
 * (next to the database file) and stays inside it, which matters on a shared 2-core box.
 */
export const DEFAULT_MEMORY_LIMIT = '1GB';

export async function openWarehouse(location: string, options: DuckDBOpenOptions = {}): Promise<Warehouse> {
  options = { memoryLimit: process.env['SHOPSIGHT_MEMORY_LIMIT'] ?? DEFAULT_MEMORY_LIMIT, ...options };
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
  if (!scheme || scheme === 'duckdb') {
    const path = scheme ? location.slice('duckdb://'.length) : location;
    return DuckDBWarehouse.open(path, options);
  }
  throw new Error(
    `unsupported warehouse location '${location}': use a file path or duckdb://path ` +
      `(ClickHouse support is planned, not built yet)`,
  );
}
