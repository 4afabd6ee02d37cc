/**
 * @module warehouse/import/import-rows
 * Rows sent through the API (a product, a customer, an order with its lines) go through the same
 * pipeline as a file: staged as JSON Lines, framed with every check the importer makes, quarantined
 * with their reason, loaded with the importer's upsert rules. One thing differs: a request is all or
 * nothing. When any row is refused, none of the request's data is written, but the refused rows stay
 * in the quarantine (with the request as their source), so nothing a client sent is silently lost.
 *
 * Each row's keys are canonical column names of the frame; only the keys sent are written (an
 * upsert of a product's price leaves its title alone), as a mapping that lacks a column does.
 *
 * @example
 *   const r = await importRows(wh, { frame: 'products', rows: [{ product_id: '85123A', price: 2.95 }],
 *     source: 'PUT /v1/products/85123A (request 7f3a)' });
 *   r.ok ? r.summary.rowsImported : r.rejected[0].detail;
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FRAMES, type FrameName } from '../../ingest/frames.js';
import type { Mapping, Preset } from '../../ingest/mapping.js';
import type { ImportSummary } from '../../ingest/summary.js';
import type { QuarantineReason } from '../../schema/tables.js';
import type { Warehouse } from '../warehouse.js';
import { importSource } from './import-source.js';
import { dropStaging } from './stage-source.js';
import { stagingNames } from './staging-names.js';

export interface RowsImport {
  readonly frame: FrameName;
  /** Rows keyed by the frame's column names; values as JSON gives them (checked like file fields). */
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** How the quarantine names where the rows came from (the request). */
  readonly source: string;
  /** Lines naming a product the catalogue lacks are refused (default: a bare product is created). */
  readonly unknownProducts?: 'create' | 'quarantine';
}

/** A refused row: `line` is its 1-based position among the rows sent. */
export interface RowRejection {
  readonly line: number;
  readonly column: string | null;
  readonly reason: QuarantineReason;
  readonly detail: string;
}

export type RowsImportResult =
  | { readonly ok: true; readonly summary: ImportSummary }
  | { readonly ok: false; readonly importId: string; readonly rejected: readonly RowRejection[] };

class RowsRefused extends Error {
  constructor(
    readonly importId: string,
    readonly quarantined: readonly Record<string, unknown>[],
  ) {
    super('rows refused');
  }
}

/** The keys of `rows` that are not columns of `frame` (the caller turns them into a 400). */
export function unknownColumns(
  frame: FrameName,
  rows: readonly Readonly<Record<string, unknown>>[],
): string[] {
  const known = new Set(FRAMES[frame].columns.map((c) => c.name));
  return [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => !known.has(k));
}

export async function importRows(wh: Warehouse, input: RowsImport): Promise<RowsImportResult> {
  const unknown = unknownColumns(input.frame, input.rows);
  if (unknown.length) throw new RangeError(`not columns of ${input.frame}: ${unknown.join(', ')}`);
  const keys = [...new Set(input.rows.flatMap((r) => Object.keys(r)))];
  const mapping: Mapping = {
    frame: input.frame,
    format: { kind: 'ndjson' },
    columns: Object.fromEntries(keys.map((k) => [k, k])),
    ...(input.unknownProducts ? { unknownProducts: input.unknownProducts } : {}),
  };
  const preset: Preset = { name: 'api', description: 'rows sent through the HTTP API', files: [{ mapping }] };
  const dir = await mkdtemp(join(tmpdir(), 'shopsight-rows-'));
  const file = join(dir, 'rows.ndjson');
  // Every value as text, as a file's fields are: the frame's typed checks decide what it is.
  const asText = (v: unknown): unknown =>
    v === null || v === undefined ? null : typeof v === 'object' ? JSON.stringify(v) : String(v);
  await writeFile(
    file,
    input.rows
      .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, asText(v)]))))
      .join('\n') + '\n',
  );
  try {
    const summary = await wh.transaction(async () => {
      const s = await importSource(wh, { target: file, preset, sourceName: input.source, fileChecks: false });
      if (s.rowsQuarantined > 0) {
        const rows = await wh.rows(`SELECT * FROM quarantine WHERE import_id = ? ORDER BY line`, [
          s.importId,
        ]);
        throw new RowsRefused(s.importId, rows);
      }
      return s;
    });
    return { ok: true, summary };
  } catch (err) {
    if (!(err instanceof RowsRefused)) throw err;
    // The request's data rolled back with the transaction; its refused rows are kept, with why.
    await wh.transaction(async () => {
      for (const q of err.quarantined) {
        await wh.exec('INSERT INTO quarantine VALUES (?, ?, ?, ?, ?, ?, ?)', [
          q['import_id'] as string,
          q['source'] as string,
          q['line'] as number,
          q['column'] as string | null,
          q['reason'] as string,
          q['detail'] as string,
          q['raw'] as string,
        ]);
      }
    });
    return {
      ok: false,
      importId: err.importId,
      rejected: err.quarantined.map((q) => ({
        line: q['line'] as number,
        column: q['column'] as string | null,
        reason: q['reason'] as QuarantineReason,
        detail: q['detail'] as string,
      })),
    };
  } finally {
    // The rollback brought back the staging tables the import dropped inside it.
    const n = stagingNames(0);
    await wh.exec(`DROP TABLE IF EXISTS ${n.frame}`).catch(() => undefined);
    await wh.exec(`DROP TABLE IF EXISTS ${n.rejects}`).catch(() => undefined);
    await dropStaging(wh, n).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Whether a catalogue or customer row with this id is stored (an upsert then updates, else creates). */
export async function keyedRowExists(
  wh: Warehouse,
  table: 'products' | 'customers',
  id: string,
): Promise<boolean> {
  const key = table === 'products' ? 'product_id' : 'customer_id';
  const rows = await wh.rows(`SELECT 1 FROM ${table} WHERE ${key} = ?`, [id]);
  return rows.length > 0;
}
