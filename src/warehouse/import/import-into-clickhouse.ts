/**
 * @module warehouse/import/import-into-clickhouse
 * Imports a file or folder into a ClickHouse cluster through the very same import as DuckDB's:
 * importSource() runs into a temporary DuckDB file (same presets, mapping, parsing, checks,
 * quarantine, counts, so read = imported + quarantined holds by the same code), then each table's
 * rows are streamed from it as typed columns into ClickHouse as TabSeparated: the sharded tables
 * through their Distributed table (insert_distributed_sync=1), products to every node. The tables
 * are ReplacingMergeTree on the canonical key and the import ends with OPTIMIZE ... FINAL on every
 * node, so importing the same file again changes nothing.
 *
 * What differs from DuckDB (docs/clickhouse.md): a row replaced by a later import is replaced whole
 * (DuckDB's upsert keeps the columns the later mapping lacks, and an order's lines are replaced as a
 * set: a line that a later file drops stays here); times are kept to the second.
 *
 * @example
 *   const ch = await ClickHouseStore.open('clickhouse://127.0.0.1:18123/shop?cluster=shopsight');
 *   const s = await importIntoClickHouse(ch, { target: 'online_retail.csv.gz', preset: getPreset('online-retail') });
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportSummary, TableCount } from '../../ingest/summary.js';
import { TABLES, type CanonicalTable } from '../../schema/tables.js';
import type { ClickHouseStore } from '../clickhouse/clickhouse-store.js';
import { chDateTime, tsvField } from '../clickhouse/format-value.js';
import { CH_REPLICATED_TABLES, CH_TABLES, chColumns, type ChTable } from '../clickhouse/schema.js';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import type { ColumnKind, Warehouse } from '../warehouse.js';
import { importSource, type ImportOptions } from './import-source.js';

/** Rows per TSV chunk handed to the HTTP body. */
const CHUNK_ROWS = 20_000;

/** Called as the import goes (progress output; the node-failure test stops a node from here). */
export interface ClickHouseImportHooks {
  /** After `table`'s rows are all on the cluster, before the next table. */
  readonly tableWritten?: (table: ChTable, rows: number) => Promise<void> | void;
}

/**
 * A write to the cluster failed part way through an import (a node died or stopped answering).
 * Rows of tables already sent stay on the shards that took them, and the imports log has no row for
 * the attempt (it is written after every table): re-running the same import once every node is up
 * replaces those rows (ReplacingMergeTree on each table's key) and ends with the counts of a clean
 * import.
 */
export class ClickHouseImportFailedError extends Error {
  override readonly name = 'ClickHouseImportFailedError';
  constructor(
    message: string,
    /** The shards that did not answer when the failure was examined. */
    readonly down: readonly { shard: number; url: string; reason: string }[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export async function importIntoClickHouse(
  ch: ClickHouseStore,
  options: ImportOptions,
  hooks: ClickHouseImportHooks = {},
): Promise<ImportSummary> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-ch-import-'));
  const stage = await DuckDBWarehouse.open(join(dir, 'stage.duckdb'), {
    memoryLimit: process.env['SHOPSIGHT_MEMORY_LIMIT'] ?? '1GB',
  });
  try {
    const summary = await importSource(stage, {
      ...options,
      sourceName: options.sourceName ?? options.target,
    });
    await refuseTablesNotHeld(stage, options.preset.name);
    let step = 'before the first table';
    try {
      for (const table of CH_TABLES) {
        step = `writing ${table}`;
        const rows = await copyTable(stage, ch, table);
        await hooks.tableWritten?.(table, rows);
      }
      step = 'writing the imports log';
      await copyImportLog(stage, ch);
      // Replace re-imported rows now rather than at some later merge, so counts are final on return.
      step = 'merging replaced rows (OPTIMIZE ... FINAL)';
      for (const table of CH_TABLES) {
        const local = (CH_REPLICATED_TABLES as readonly string[]).includes(table) ? table : `${table}_local`;
        await ch.execOnEachNode(`OPTIMIZE TABLE \`${ch.target.database}\`.\`${local}\` FINAL`);
      }
      await ch.execOnEachNode(`OPTIMIZE TABLE \`${ch.target.database}\`.imports FINAL`);
    } catch (err) {
      throw await importFailure(ch, step, err);
    }
    const tables: Partial<Record<CanonicalTable, TableCount>> = {};
    for (const [t, count] of Object.entries(summary.tables) as [CanonicalTable, TableCount][]) {
      tables[t] = { written: count.written, total: await chCount(ch, t as ChTable) };
    }
    return {
      ...summary,
      database: ch.location,
      tables,
      elapsedSeconds: Math.round((performance.now() - started) / 10) / 100,
    };
  } finally {
    await stage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The error an import fails with when the cluster fails under it: which node, and how to recover. */
async function importFailure(
  ch: ClickHouseStore,
  step: string,
  err: unknown,
): Promise<ClickHouseImportFailedError> {
  const down = await ch.unreachableNodes().catch(() => []);
  const cause = err instanceof Error ? err.message : String(err);
  const who = down.length
    ? down.map((d) => `node ${d.url} (shard ${d.shard}) does not answer: ${d.reason}`).join('; ')
    : `every node answers now; the write failed with: ${cause}`;
  return new ClickHouseImportFailedError(
    `import into ClickHouse failed while ${step}: ${who}. The import is incomplete and not recorded ` +
      `in the imports log; rows already sent stay until a retry replaces them: once every node is up, ` +
      `run the same import again (it ends with the counts of a clean import)` +
      (down.length ? ` [cause: ${cause}]` : ''),
    down,
    { cause: err },
  );
}

/** Rows in a ClickHouse table (FINAL: as if every replaced row were already merged away). */
export async function chCount(ch: ClickHouseStore, table: ChTable): Promise<number> {
  const [row] = await ch.rows<{ n: number }>(`SELECT count() AS n FROM \`${table}\` FINAL`);
  return Number(row?.n ?? 0);
}

/** A preset that fills a table ClickHouse does not hold yet is refused before anything is written. */
async function refuseTablesNotHeld(stage: Warehouse, preset: string): Promise<void> {
  for (const table of Object.keys(TABLES) as CanonicalTable[]) {
    if ((CH_TABLES as readonly string[]).includes(table)) continue;
    const [row] = await stage.rows<{ n: number }>(`SELECT count(*) AS n FROM "${table}"`);
    if ((row?.n ?? 0) > 0) {
      throw new Error(
        `the preset '${preset}' writes ${row!.n} rows to ${table}, which ClickHouse does not hold yet ` +
          `(it holds ${CH_TABLES.join(', ')}; docs/clickhouse.md): nothing was written to ClickHouse`,
      );
    }
  }
}

const KIND: Record<string, ColumnKind> = {
  text: 'str',
  json: 'str',
  // Money as text: DuckDB's DECIMAL printed exactly, read exactly by Decimal(18, 4).
  money: 'str',
  number: 'f64',
  integer: 'f64',
  boolean: 'f64',
  timestamp: 'ts',
};

/** Streams one table from the staging DuckDB into ClickHouse; returns the rows sent. */
async function copyTable(stage: Warehouse, ch: ClickHouseStore, table: ChTable): Promise<number> {
  const columns = chColumns(table);
  const carried =
    columns.some((c) => c.name === 'customer_id') &&
    !TABLES[table].columns.some((c) => c.name === 'customer_id');
  const select = carried
    ? `SELECT t.*, o.customer_id FROM "${table}" t LEFT JOIN orders o ON o.order_id = t.order_id`
    : `SELECT * FROM "${table}"`;
  const kinds = Object.fromEntries(columns.map((c) => [c.name, KIND[c.type]!]));
  const data = await stage.columns(select, kinds);
  if (data.length === 0) return 0;
  const fields = columns.map((c) => {
    const values = data[c.name] as Float64Array | (string | null)[];
    if (c.type === 'timestamp') {
      const ms = values as Float64Array;
      return (i: number): string => (Number.isNaN(ms[i]!) ? '\\N' : chDateTime(new Date(ms[i]!)));
    }
    if (values instanceof Float64Array) {
      return (i: number): string => (Number.isNaN(values[i]!) ? '\\N' : String(values[i]));
    }
    return (i: number): string => tsvField(values[i]!);
  });
  function* body(): Iterable<string> {
    for (let start = 0; start < data.length; start += CHUNK_ROWS) {
      const end = Math.min(data.length, start + CHUNK_ROWS);
      const lines: string[] = [];
      for (let i = start; i < end; i++) lines.push(fields.map((f) => f(i)).join('\t'));
      yield lines.join('\n') + '\n';
    }
  }
  await ch.insertTsv(
    table,
    columns.map((c) => c.name),
    body,
    { everyNode: (CH_REPLICATED_TABLES as readonly string[]).includes(table) },
  );
  return data.length;
}

/** The import log row, written to every node like the catalogue. */
async function copyImportLog(stage: Warehouse, ch: ClickHouseStore): Promise<void> {
  const rows = await stage.rows<{
    import_id: string;
    source: string;
    preset: string;
    started_at: Date;
    finished_at: Date;
    rows_read: number;
    rows_imported: number;
    rows_quarantined: number;
    summary: string;
  }>(
    'SELECT import_id, source, preset, started_at, finished_at, rows_read, rows_imported, rows_quarantined, CAST(summary AS VARCHAR) AS summary FROM imports',
  );
  const columns = [
    'import_id',
    'source',
    'preset',
    'started_at',
    'finished_at',
    'rows_read',
    'rows_imported',
    'rows_quarantined',
    'summary',
  ];
  await ch.insertTsv(
    'imports',
    columns,
    () =>
      rows.map(
        (r) =>
          [
            tsvField(r.import_id),
            tsvField(r.source),
            tsvField(r.preset),
            chDateTime(r.started_at),
            chDateTime(r.finished_at),
            String(r.rows_read),
            String(r.rows_imported),
            String(r.rows_quarantined),
            tsvField(r.summary),
          ].join('\t') + '\n',
      ),
    { everyNode: true },
  );
}
