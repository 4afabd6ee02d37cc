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
import {
  CH_REPLICATED_TABLES,
  CH_TABLES,
  chColumns,
  type ChColumn,
  type ChTable,
} from '../clickhouse/schema.js';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse.js';
import { importSource, type ImportOptions } from './import-source.js';

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
        const rows = await copyTable(stage, ch, table, dir);
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

/**
 * Rows per INSERT: each chunk of the staged table is written by DuckDB to a CSV file and streamed
 * from disk to ClickHouse, so neither process holds a table in memory (100 million events included)
 * and each INSERT makes parts of a size ClickHouse merges comfortably.
 */
const CHUNK_ROWS = 2_000_000;

/** A column of the staged table as ClickHouse reads it from CSV. */
function csvExpression(c: ChColumn, carried: boolean): string {
  const col = carried && c.name === 'customer_id' ? 'o.customer_id' : `t."${c.name}"`;
  switch (c.type) {
    // Whole seconds, UTC, 'YYYY-MM-DD hh:mm:ss' (what DateTime('UTC') reads).
    case 'timestamp':
      return `strftime(${col}, '%Y-%m-%d %H:%M:%S')`;
    case 'boolean':
      return `CAST(${col} AS INTEGER)`;
    // Money as DuckDB's exact decimal text, read exactly by Decimal(18, 4); JSON as its text.
    case 'money':
    case 'json':
      return `CAST(${col} AS VARCHAR)`;
    default:
      return col;
  }
}

/** Streams one table from the staging DuckDB into ClickHouse, a CSV chunk at a time; returns the rows sent. */
async function copyTable(
  stage: Warehouse,
  ch: ClickHouseStore,
  table: ChTable,
  dir: string,
): Promise<number> {
  const columns = chColumns(table);
  const carried =
    columns.some((c) => c.name === 'customer_id') &&
    !TABLES[table].columns.some((c) => c.name === 'customer_id');
  const from = carried ? `"${table}" t LEFT JOIN orders o ON o.order_id = t.order_id` : `"${table}" t`;
  const select = columns.map((c) => csvExpression(c, carried)).join(', ');
  // rowid ranges: an upsert leaves gaps, so the chunks run to the largest rowid, not the count.
  const [range] = await stage.rows<{ n: number; hi: number | null }>(
    `SELECT count(*)::DOUBLE AS n, max(rowid)::DOUBLE AS hi FROM "${table}"`,
  );
  const n = Number(range?.n ?? 0);
  if (n === 0) return 0;
  const file = join(dir, `${table}.csv`);
  const everyNode = (CH_REPLICATED_TABLES as readonly string[]).includes(table);
  for (let lo = 0; lo <= Number(range!.hi); lo += CHUNK_ROWS) {
    await stage.exec(
      `COPY (SELECT ${select} FROM ${from} WHERE t.rowid >= ${lo} AND t.rowid < ${lo + CHUNK_ROWS}) ` +
        `TO '${file.replace(/'/g, "''")}' (FORMAT csv, HEADER false, NULL '\\N')`,
    );
    await ch.insertCsvFile(
      table,
      columns.map((c) => c.name),
      file,
      { everyNode },
    );
  }
  rmSync(file, { force: true });
  return n;
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
