/**
 * @module ingest/summary
 * What an import reports. The invariant every summary keeps: rowsRead = rowsImported + rowsQuarantined.
 */
import type { CanonicalTable, QuarantineReason } from '../schema/tables.js';
import type { SourceFormatKind } from './mapping.js';

export interface TableCount {
  /** Rows this import inserted or replaced. */
  readonly written: number;
  /** Rows in the table after the import. */
  readonly total: number;
}

export interface FileImportSummary {
  readonly source: string;
  readonly format: SourceFormatKind;
  readonly frame: string;
  readonly rowsRead: number;
  readonly rowsImported: number;
  readonly rowsQuarantined: number;
  readonly quarantinedByReason: Partial<Record<QuarantineReason, number>>;
  /**
   * Files with orders: where the time of each order status came from. 'source': the mapped
   * status_changed_at; 'ordered_at': the file has none, so a status is taken as known when the order
   * was placed (a change seen by a later import is dated at that import).
   */
  readonly statusTimes?: 'source' | 'ordered_at';
  /** Imported, but looks wrong: e.g. a line total mapped as a unit price, titles that read "NA". */
  readonly warnings: readonly string[];
}

export interface ImportSummary {
  readonly importId: string;
  readonly preset: string;
  readonly target: string;
  readonly database: string;
  readonly files: readonly FileImportSummary[];
  readonly skippedFiles: readonly string[];
  readonly rowsRead: number;
  readonly rowsImported: number;
  readonly rowsQuarantined: number;
  readonly quarantinedByReason: Partial<Record<QuarantineReason, number>>;
  readonly tables: Partial<Record<CanonicalTable, TableCount>>;
  /** Every file's warnings. */
  readonly warnings: readonly string[];
  readonly pseudonymised: boolean;
  readonly elapsedSeconds: number;
}
