/**
 * @module warehouse/inspect-clickhouse
 * inspect.ts's warehouseStatus on a ClickHouse cluster: the row count of each table the cluster
 * holds (FINAL: a re-imported row not yet merged away counts once, as on DuckDB) and the last
 * imports from the import log (every node holds it whole; the entry node's copy is read).
 * ClickHouse hands 64-bit integers and times over as text; they come back as numbers and Dates.
 *
 * @example
 *   const s = await chWarehouseStatus(ch, 10); // { tables: { products: 4070, ..., reviews: 0 }, imports: [...] }
 */
import { DATA_TABLES, type CanonicalTable } from '../schema/tables.js';
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { CH_TABLES } from './clickhouse/schema.js';
import { chCount } from './import/import-into-clickhouse.js';
import type { ImportLogEntry, WarehouseStatus } from './inspect.js';

export async function chWarehouseStatus(ch: ClickHouseStore, lastImports: number): Promise<WarehouseStatus> {
  const tables: Partial<Record<CanonicalTable, number>> = {};
  // DuckDB's order (inspect.ts), of the tables the cluster holds.
  for (const t of [...DATA_TABLES, 'quarantine'] as CanonicalTable[]) {
    const held = CH_TABLES.find((c) => c === t);
    if (held) tables[held] = await chCount(ch, held);
  }
  const rows = await ch.rows<Record<keyof ImportLogEntry, string | number>>(
    `SELECT import_id, source, preset, started_at, rows_read, rows_imported, rows_quarantined
     FROM imports FINAL ORDER BY started_at DESC, import_id LIMIT ?`,
    [lastImports],
  );
  const imports: ImportLogEntry[] = rows.map((r) => ({
    import_id: String(r.import_id),
    source: String(r.source),
    preset: String(r.preset),
    // DateTime('UTC') as 'YYYY-MM-DD hh:mm:ss'.
    started_at: new Date(`${String(r.started_at).replace(' ', 'T')}Z`),
    rows_read: Number(r.rows_read),
    rows_imported: Number(r.rows_imported),
    rows_quarantined: Number(r.rows_quarantined),
  }));
  return { location: ch.location, schemaVersion: ch.schemaVersion, tables, imports };
}
