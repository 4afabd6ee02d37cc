/**
 * @module warehouse/import/import-source
 * Imports a file or a folder with a preset, all in one transaction: either every file lands
 * (usable rows in the canonical tables, the rest in the quarantine with line, column and reason)
 * or, on any error, the database is left exactly as it was.
 *
 * @example
 *   const summary = await importSource(wh, { target: 'online_retail.csv.gz', preset: getPreset('online-retail') });
 *   summary.rowsRead === summary.rowsImported + summary.rowsQuarantined; // always
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ImportError } from '../../ingest/errors.js';
import { FRAMES } from '../../ingest/frames.js';
import type { InflateAhead } from '../../ingest/inflate-ahead.js';
import { dropAbsentOptionalColumns, type Mapping, type Preset } from '../../ingest/mapping.js';
import type { PseudonymKey } from '../../ingest/pseudonymise.js';
import {
  countLines,
  inLoadOrder,
  resolveSources,
  verifyGzip,
  type SourceFile,
} from '../../ingest/sources.js';
import type { FileImportSummary, ImportSummary, TableCount } from '../../ingest/summary.js';
import { DATA_TABLES, type CanonicalTable, type QuarantineReason } from '../../schema/tables.js';
import { ident, literal } from '../duckdb/sql-types.js';
import type { Warehouse } from '../warehouse.js';
import { buildFrame, checkMappedColumns, flagDuplicateKeys, flagUnknownReferences } from './build-frame.js';
import {
  failOnMostlyBadColumn,
  failOnNothingImported,
  lineTotalAsUnitPriceWarning,
  nullTokenWarnings,
} from './check-frame.js';
import { referencedColumns } from './compile-expr.js';
import { recordImportedStatuses } from '../order-status.js';
import { loadFrame, type WrittenCounts } from './load-frame.js';
import { dropStaging, stageSource, type SourceRowsById } from './stage-source.js';
import { stagingNames, type StagingNames } from './staging-names.js';

export interface ImportOptions {
  /** File or folder. */
  readonly target: string;
  readonly preset: Preset;
  /** Replace customer ids, e-mails and anonymous ids by keyed pseudonyms. */
  readonly pseudonymKey?: PseudonymKey;
  /** Called as each step starts (for progress display). */
  readonly onStep?: (step: string, fileIndex: number, fileCount: number) => void;
  /** How the quarantine names the source (default: the file's path); rows sent through the API name their request. */
  readonly sourceName?: string;
  /**
   * The whole-file checks (one column unusable in most rows, no row usable) judge a mapping against
   * a file; rows sent through the API have no mapping to get wrong, so they only get the row checks.
   * Default true.
   */
  readonly fileChecks?: boolean;
  /** A .gz source already being decompressed (ingest/inflate-ahead.ts); the caller disposes of it. */
  readonly inflated?: InflateAhead;
}

export async function importSource(wh: Warehouse, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const startedAt = new Date();
  const { files, skipped } = resolveSources(options.target, options.preset);
  const ordered = inLoadOrder(files);
  const importId = `imp_${startedAt
    .toISOString()
    .replace(/[-:.TZ]/g, '')
    .slice(0, 14)}_${randomUUID().slice(0, 8)}`;
  const written: WrittenCounts = {};
  const fileSummaries: FileImportSummary[] = [];

  // Phase 1, outside the transaction: read and check every file into temporary tables. DuckDB works
  // on tables created inside a transaction noticeably slower, and nothing here touches stored data.
  const prepared: PreparedFile[] = [];
  let inflateDir: string | undefined;
  try {
    for (const [i, file] of ordered.entries()) {
      const step = (s: string): void => options.onStep?.(s, i, ordered.length);
      if (file.compressed) {
        // Decompressed to a temporary copy, checked to the end of the stream (a truncated .gz
        // fails here, before anything is read), lines counted on the way; the database then reads
        // the copy on all cores instead of inflating the .gz on one. The copy lives only while
        // the file is staged. The caller may have started this already (options.inflated).
        const ahead = options.inflated?.take(file.path);
        let copy: string;
        if (ahead) copy = ahead.copy;
        else {
          inflateDir ??= mkdtempSync(join(tmpdir(), 'shopsight-import-'));
          copy = join(inflateDir, `${i}-${basename(file.path).replace(/\.gz$/i, '')}`);
        }
        const lines = await (ahead ? ahead.lines : verifyGzip(file.path, copy));
        try {
          prepared.push(await prepareFile(wh, file, i, options, step, Promise.resolve(lines), copy));
        } finally {
          rmSync(copy, { force: true });
        }
        continue;
      }
      // A plain file is counted only when the CSV reader needs it.
      const lineCount =
        file.format.kind === 'csv' && file.format.delimiter ? countLines(file.path) : Promise.resolve(0);
      lineCount.catch(() => undefined); // handled below; this only keeps an early failure from being "unhandled"
      prepared.push(await prepareFile(wh, file, i, options, step, lineCount));
      await lineCount;
    }
    // Phase 2, one transaction: quarantine and canonical tables change together or not at all.
    await commitByCheckpoint(wh, () =>
      wh.transaction(async () => {
        for (const [i, p] of prepared.entries()) {
          options.onStep?.('writing', i, ordered.length);
          const { summary, counts } = await commitFile(wh, p, importId, startedAt, options);
          fileSummaries.push(summary);
          for (const [t, n] of Object.entries(counts)) {
            written[t as CanonicalTable] = (written[t as CanonicalTable] ?? 0) + (n ?? 0);
          }
        }
        const totals = sumSummaries(fileSummaries);
        await wh.exec(`INSERT INTO imports VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?, ?, ?, ?)`, [
          importId,
          options.target,
          options.preset.name,
          startedAt,
          totals.rowsRead,
          totals.rowsImported,
          totals.rowsQuarantined,
          JSON.stringify({ files: fileSummaries, skipped }),
        ]);
      }),
    );
  } finally {
    if (inflateDir) rmSync(inflateDir, { recursive: true, force: true });
    for (const p of prepared) {
      await wh.exec(`DROP TABLE IF EXISTS ${p.names.frame}`);
      await wh.exec(`DROP TABLE IF EXISTS ${p.names.rejects}`);
      await dropStaging(wh, p.names);
    }
  }

  const tables: Partial<Record<CanonicalTable, TableCount>> = {};
  for (const t of [...DATA_TABLES, 'order_status_history', 'quarantine'] as CanonicalTable[]) {
    if (written[t] === undefined && t !== 'quarantine') continue;
    const [row] = await wh.rows<{ n: number }>(`SELECT count(*) AS n FROM ${ident(t)}`);
    tables[t] = {
      written: t === 'quarantine' ? sumSummaries(fileSummaries).rowsQuarantined : written[t]!,
      total: row?.n ?? 0,
    };
  }
  return {
    importId,
    preset: options.preset.name,
    target: options.target,
    database: wh.location,
    files: fileSummaries,
    skippedFiles: skipped,
    ...sumSummaries(fileSummaries),
    tables,
    warnings: fileSummaries.flatMap((f) => f.warnings),
    pseudonymised: Boolean(options.pseudonymKey),
    elapsedSeconds: Math.round((performance.now() - started) / 10) / 100,
  };
}

/**
 * Runs `write` with DuckDB's checkpoint threshold low, so that a commit of more than 1 MB writes the
 * changes straight into the database file instead of first into the write-ahead log, which the
 * checkpoint at close would then write again (Online Retail: a 5.6 MB log, about 0.5 s of CPU at
 * close). Just as durable. The setting is put back after: reset to DuckDB's default when it was
 * that (the warehouse never sets it), else set to the value as DuckDB shows it (to 0.1 MiB).
 */
async function commitByCheckpoint<T>(wh: Warehouse, write: () => Promise<T>): Promise<T> {
  const current = async (): Promise<string | undefined> =>
    (await wh.rows<{ t: string }>("SELECT current_setting('checkpoint_threshold') AS t"))[0]?.t;
  const before = await current();
  await wh.exec("SET checkpoint_threshold = '1MB'");
  try {
    return await write();
  } finally {
    await wh.exec('RESET checkpoint_threshold');
    if (before !== undefined && (await current()) !== before) {
      await wh.exec(`SET checkpoint_threshold = ${literal(before)}`);
    }
  }
}

interface PreparedFile {
  readonly file: SourceFile;
  /** The file's mapping less optional columns the file does not have. */
  readonly mapping: Mapping;
  readonly names: StagingNames;
  readonly rowsRead: number;
  readonly mapped: ReadonlySet<string>;
  readonly defaulted: ReadonlySet<string>;
  readonly rawSql: string;
  /** The quarantined rows' source fields are looked up by row (stage-source.ts). */
  readonly rowsById: SourceRowsById;
  /** Things that imported but look wrong (printed with the summary). */
  readonly warnings: readonly string[];
}

async function prepareFile(
  wh: Warehouse,
  file: SourceFile,
  index: number,
  { pseudonymKey, fileChecks = true }: ImportOptions,
  step: (s: string) => void,
  lineCount: Promise<number>,
  /** A decompressed copy of a .gz file to read instead of the file itself. */
  readFrom: string = file.path,
): Promise<PreparedFile> {
  const referenced = [...new Set(Object.values(file.mapping.columns).flatMap(referencedColumns))];
  const n = stagingNames(index);
  step('reading');
  const staged = await stageSource(wh, file, referenced, n, lineCount, readFrom);
  const mapping = dropAbsentOptionalColumns(file.mapping, staged.columns);
  const lineFormat = ['ndjson', 'whitespace', 'sequences'].includes(file.format.kind);
  const input = {
    file: file.path,
    mapping,
    sourceColumns: staged.columns,
    duplicateKey:
      mapping.allowDuplicateRows || file.format.kind === 'sequences'
        ? null
        : lineFormat
          ? ['_raw']
          : staged.columns,
    lineFormat,
    rowsById: staged.rowsById,
    ...(pseudonymKey ? { pseudonymKey } : {}),
  };
  if (file.format.kind !== 'ndjson') checkMappedColumns(input);
  else
    await checkJsonKeysPresent(
      wh,
      file,
      [...new Set(Object.values(mapping.columns).flatMap(referencedColumns))],
      staged.rows,
      n,
    );

  step('validating');
  await buildFrame(wh, input, n);
  const mapped = new Set(Object.keys(mapping.columns));
  const key =
    mapping.frame === 'order_lines'
      ? mapped.has('line_no')
        ? ['order_id', 'line_no']
        : []
      : FRAMES[mapping.frame].key;
  if (key.length && key.every((k) => mapped.has(k))) await flagDuplicateKeys(wh, key, n);
  if (fileChecks) await failOnMostlyBadColumn(wh, file.path, mapping, staged.columns, staged.rows, n);
  const revenue = await lineTotalAsUnitPriceWarning(wh, file.path, mapping, n);
  const warnings = [
    ...(await nullTokenWarnings(wh, file.path, mapping, staged.columns, n)),
    ...(revenue ? [revenue] : []),
  ];
  // Columns the frame fills by default (status, is_merchandise) are loaded into new rows only.
  const defaulted = new Set<string>();
  for (const c of FRAMES[mapping.frame].columns)
    if ((c.name === 'status' || c.name === 'is_merchandise') && !mapped.has(c.name)) defaulted.add(c.name);
  for (const c of defaulted) mapped.add(c);
  // A line total without a unit price: build-frame derives the unit price.
  if (mapped.has('line_total')) mapped.add('unit_price');
  // How a quarantined row is quoted: its line as is, or its fields as a JSON object.
  const rawSql = lineFormat
    ? 's._raw'
    : `to_json(struct_pack(${staged.columns.map((c) => `${ident(c)} := s.${ident(c)}`).join(', ')}))::VARCHAR`;
  return {
    file,
    mapping,
    names: n,
    rowsRead: staged.rows + staged.rejectedLines,
    mapped,
    defaulted,
    rawSql,
    rowsById: staged.rowsById,
    warnings,
  };
}

async function commitFile(
  wh: Warehouse,
  prepared: PreparedFile,
  importId: string,
  startedAt: Date,
  { sourceName, fileChecks = true }: ImportOptions,
): Promise<{ summary: FileImportSummary; counts: WrittenCounts }> {
  const { file, mapped, defaulted, names: n, mapping } = prepared;
  const source = sourceName ?? file.path;
  // These checks read stored tables, which earlier files of this import may have filled.
  if (mapping.frame === 'order_items') {
    await flagUnknownReferences(wh, n, 'order_id', 'orders', 'order_id', 'unknown_order', 'order');
  }
  if (
    mapping.unknownProducts === 'quarantine' &&
    ['order_items', 'order_lines', 'events', 'reviews', 'stock'].includes(mapping.frame)
  ) {
    await flagUnknownReferences(wh, n, 'product_id', 'products', 'product_id', 'unknown_product', 'product');
  }
  await writeQuarantine(wh, prepared, importId, source);
  const counts = await loadFrame(wh, n.frame, mapping.frame, mapped, defaulted);
  const withOrders = mapping.frame === 'orders' || mapping.frame === 'order_lines';
  const statusTimes = mapped.has('status_changed_at') ? 'source' : 'ordered_at';
  if (withOrders) {
    // A status the mapping does not give is a default: recorded for new orders, never as a change.
    const usable =
      (mapping.frame === 'orders' ? '_err IS NULL' : '_order_ok') +
      (defaulted.has('status') ? ' AND order_id NOT IN (SELECT order_id FROM order_status_history)' : '');
    counts.order_status_history = await recordImportedStatuses(
      wh,
      n.frame,
      usable,
      statusTimes === 'source',
      startedAt,
    );
  }

  const reasons = await wh.rows<{ reason: QuarantineReason; n: number }>(
    `SELECT reason, count(*) AS n FROM quarantine WHERE import_id = ? AND source = ? GROUP BY reason ORDER BY n DESC, reason`,
    [importId, source],
  );
  const [ok] = await wh.rows<{ ok: number }>(`SELECT count(*) AS ok FROM ${n.frame} WHERE _err IS NULL`);
  const rowsImported = ok?.ok ?? 0;
  const rowsQuarantined = reasons.reduce((s, r) => s + r.n, 0);
  const { rowsRead } = prepared;
  // A file that yields nothing is a wrong mapping or a wrong file: fail (the transaction rolls back).
  if (fileChecks && rowsRead > 0 && rowsImported === 0)
    await failOnNothingImported(wh, source, rowsRead, importId);
  if (rowsRead !== rowsImported + rowsQuarantined) {
    throw new Error(
      `internal accounting error on ${file.path}: read ${rowsRead} != imported ${rowsImported} + quarantined ${rowsQuarantined}`,
    );
  }
  return {
    summary: {
      source: file.path,
      format: file.format.kind,
      frame: mapping.frame,
      rowsRead,
      rowsImported,
      rowsQuarantined,
      quarantinedByReason: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
      ...(withOrders ? { statusTimes } : {}),
      warnings: prepared.warnings,
    },
    counts,
  };
}

async function writeQuarantine(
  wh: Warehouse,
  prepared: PreparedFile,
  importId: string,
  source: string,
): Promise<void> {
  const { names: n } = prepared;
  // A re-import of the same file replaces what its earlier imports quarantined.
  await wh.exec('DELETE FROM quarantine WHERE source = ?', [source]);
  await wh.exec(`INSERT INTO quarantine SELECT ?, ?, line, "column", reason, detail, raw FROM ${n.rejects}`, [
    importId,
    source,
  ]);
  await wh.exec(
    `INSERT INTO quarantine
     SELECT ${literal(importId)}, ${literal(source)}, f._line, f._err."column", f._err.reason, f._err.detail,
            ${prepared.rawSql}
     FROM ${n.frame} f
     JOIN (${prepared.rowsById(`SELECT _row FROM ${n.frame} WHERE _err IS NOT NULL`)}) s ON s._row = f._row
     WHERE f._err IS NOT NULL`,
  );
}

/** NDJSON has no header: a mapped key that no line of the file has is a mapping error, not bad rows. */
async function checkJsonKeysPresent(
  wh: Warehouse,
  file: SourceFile,
  referenced: readonly string[],
  rows: number,
  n: StagingNames,
): Promise<void> {
  if (rows === 0) return;
  for (const key of referenced) {
    const [row] = await wh.rows<{ present: number }>(`SELECT count(${ident(key)}) AS present FROM ${n.src}`);
    if (!row?.present) {
      throw new ImportError(
        { file: file.path, line: 1, column: key },
        `the mapping reads key '${key}', but no line of the file has it`,
      );
    }
  }
}

function sumSummaries(files: readonly FileImportSummary[]): {
  rowsRead: number;
  rowsImported: number;
  rowsQuarantined: number;
  quarantinedByReason: Partial<Record<QuarantineReason, number>>;
} {
  const byReason: Partial<Record<QuarantineReason, number>> = {};
  for (const f of files) {
    for (const [r, n] of Object.entries(f.quarantinedByReason)) {
      byReason[r as QuarantineReason] = (byReason[r as QuarantineReason] ?? 0) + (n ?? 0);
    }
  }
  return {
    rowsRead: files.reduce((s, f) => s + f.rowsRead, 0),
    rowsImported: files.reduce((s, f) => s + f.rowsImported, 0),
    rowsQuarantined: files.reduce((s, f) => s + f.rowsQuarantined, 0),
    quarantinedByReason: byReason,
  };
}
