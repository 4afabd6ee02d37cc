/**
 * @module warehouse/inspect
 * Read-only views of what a warehouse holds: table sizes, the import log and quarantined rows.
 * On a ClickHouse cluster the status lists the tables the cluster holds (inspect-clickhouse.ts);
 * the quarantine list is the same SQL on both engines.
 */
import { DATA_TABLES, type CanonicalTable, type QuarantineReason } from '../schema/tables.js';
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { ident } from './duckdb/sql-types.js';
import { chWarehouseStatus } from './inspect-clickhouse.js';
import type { SqlValue, Warehouse } from './warehouse.js';

export interface WarehouseStatus {
  readonly location: string;
  readonly schemaVersion: number;
  /** Rows per table the store holds (every canonical table on DuckDB; a cluster's tables on ClickHouse). */
  readonly tables: Partial<Record<CanonicalTable, number>>;
  readonly imports: readonly ImportLogEntry[];
}

export interface ImportLogEntry {
  readonly import_id: string;
  readonly source: string;
  readonly preset: string;
  readonly started_at: Date;
  readonly rows_read: number;
  readonly rows_imported: number;
  readonly rows_quarantined: number;
}

export async function warehouseStatus(wh: Warehouse, lastImports = 10): Promise<WarehouseStatus> {
  if (wh instanceof ClickHouseStore) return chWarehouseStatus(wh, lastImports);
  const tables = {} as Record<CanonicalTable, number>;
  for (const t of [...DATA_TABLES, 'quarantine'] as CanonicalTable[]) {
    const [row] = await wh.rows<{ n: number }>(`SELECT count(*) AS n FROM ${ident(t)}`);
    tables[t] = row?.n ?? 0;
  }
  const imports = await wh.rows<ImportLogEntry & Record<string, unknown>>(
    `SELECT import_id, source, preset, started_at, rows_read, rows_imported, rows_quarantined
     FROM imports ORDER BY started_at DESC LIMIT ?`,
    [lastImports],
  );
  return { location: wh.location, schemaVersion: wh.schemaVersion, tables, imports };
}

export interface QuarantineFilter {
  readonly reason?: QuarantineReason;
  readonly source?: string;
  readonly limit?: number;
}

export interface QuarantineEntry {
  readonly source: string;
  readonly line: number;
  readonly column: string | null;
  readonly reason: QuarantineReason;
  readonly detail: string;
  readonly raw: string;
}

export interface QuarantineReport {
  readonly total: number;
  readonly byReason: Partial<Record<QuarantineReason, number>>;
  readonly rows: readonly QuarantineEntry[];
}

export async function listQuarantine(
  wh: Warehouse,
  filter: QuarantineFilter = {},
): Promise<QuarantineReport> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  if (filter.reason) {
    where.push('reason = ?');
    params.push(filter.reason);
  }
  if (filter.source) {
    where.push('source LIKE ?');
    params.push(`%${filter.source}%`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  // SQL both engines accept (`shopsight quarantine` runs on a ClickHouse cluster too); ClickHouse
  // returns its 64-bit counts and lines as strings, hence Number().
  const counts = await wh.rows<{ reason: QuarantineReason; n: number | string }>(
    `SELECT reason, count(*) AS n FROM quarantine ${clause} GROUP BY reason ORDER BY n DESC, reason`,
    params,
  );
  const rows = await wh.rows<QuarantineEntry & Record<string, unknown>>(
    `SELECT source, line, "column", reason, detail, raw FROM quarantine ${clause}
     ORDER BY source, line, reason LIMIT ?`,
    [...params, filter.limit ?? 20],
  );
  return {
    total: counts.reduce((s, c) => s + Number(c.n), 0),
    byReason: Object.fromEntries(counts.map((c) => [c.reason, Number(c.n)])),
    rows: rows.map((r) => ({ ...r, line: Number(r.line) })),
  };
}
