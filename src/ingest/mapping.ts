/**
 * @module ingest/mapping
 * A mapping says how one source file becomes rows of one frame: the file format and, for each
 * canonical column, which source column (or constant, or rule) fills it. Built-in presets are
 * mappings written in TypeScript; `--preset generic --mapping file.yaml` reads the same structure
 * from YAML or JSON. Mappings are declarations only: the warehouse compiles them to SQL.
 *
 * @example
 *   const m: Mapping = {
 *     frame: 'order_lines',
 *     format: { kind: 'csv' },
 *     columns: {
 *       order_id: 'InvoiceNo',
 *       ordered_at: { column: 'InvoiceDate', format: '%Y-%m-%d %H:%M:%S' },
 *       status: { column: 'InvoiceNo', cases: [{ prefix: 'C', value: 'cancelled' }], else: 'placed' },
 *     },
 *   };
 */
import type { FrameName } from './frames.js';

export type SourceFormat =
  /** Delimited text with a header row (also .csv.gz). DuckDB sniffs the delimiter unless given. */
  | { kind: 'csv'; delimiter?: string; quote?: string; encoding?: 'utf-8' | 'latin-1' | 'utf-16' }
  /** One JSON object per line (NDJSON / JSON Lines); column names may be dotted paths (customer.email). */
  | { kind: 'ndjson' }
  | { kind: 'parquet' }
  /** Fields separated by runs of spaces, first line a header (e.g. CDNOW_master.txt). */
  | { kind: 'whitespace'; header?: readonly string[] }
  /** `user item item ...` per line, items in time order: yields columns user, item, position. */
  | { kind: 'sequences' }
  /** A Markdown FAQ: one question per heading, the answer below it; yields columns question, answer. */
  | { kind: 'markdown' };

export type SourceFormatKind = SourceFormat['kind'];

/** A rule mapping a source value to a constant (first matching case wins). */
export interface ValueCase {
  /** Matches when the source value starts with this text. */
  readonly prefix?: string;
  /** Matches when the source value equals one of these (exact, case-sensitive). */
  readonly equals?: readonly string[];
  readonly value: string | number | boolean | null;
}

/** How one canonical column gets its value. A bare string is a source column name. */
export type SourceExpr =
  | string
  | {
      /** Source column (CSV header name, JSON path, or a `sequences` column: user, item, position). */
      readonly column: string;
      /** strptime format(s) for timestamps, e.g. '%d/%m/%Y %H:%M'; also 'epoch' and 'epoch_ms'. */
      readonly format?: string | readonly string[];
      /** Multiply numbers (e.g. 0.01 for amounts in cents). */
      readonly scale?: number;
      /** Map values to constants; no match gives `else` (default: the value itself). */
      readonly cases?: readonly ValueCase[];
      readonly else?: string | number | boolean | null;
      /** Skip this column when the file does not have it (layouts with optional columns). */
      readonly optional?: boolean;
      /** Other names the column goes by in some files (`cat` or `category`): the first present is read. */
      readonly alternatives?: readonly string[];
      /** Values that mean "no value" in this column, on top of the mapping's `nulls`. */
      readonly nulls?: readonly string[];
    }
  | { readonly value: string | number | boolean | null }
  /** Join several source columns (or `$line`, the source line number) into one key. */
  | { readonly concat: readonly string[]; readonly separator?: string }
  /** A JSON object of several source columns' text values, keyed by column name (e.g. a contact's features). */
  | { readonly object: readonly string[] };

export interface Mapping {
  readonly frame: FrameName;
  readonly format: SourceFormat;
  readonly columns: Readonly<Record<string, SourceExpr>>;
  /**
   * Lines that reference a product missing from the catalogue: `create` adds a bare product row
   * (for sources that have no catalogue), `quarantine` rejects the line. Default: create.
   */
  readonly unknownProducts?: 'create' | 'quarantine';
  /** Skip the exact-duplicate check (for formats where repeats are real, like purchase sequences). */
  readonly allowDuplicateRows?: boolean;
  /**
   * Values that mean "no value" in every column (R and pandas write `NA`), compared after trimming
   * and before any typing or cases. An empty field is always no value.
   */
  readonly nulls?: readonly string[];
}

/** The "no value" markers that apply to one column: the mapping's and the column's own. */
export function nullsFor(mapping: Mapping, expr: SourceExpr): readonly string[] {
  const own = typeof expr === 'object' && 'column' in expr ? (expr.nulls ?? []) : [];
  return [...(mapping.nulls ?? []), ...own];
}

/** Where a mapping applies: a file name pattern inside a folder import, or any file. */
export interface PresetFile {
  /** Matches the file's base name (without .gz); undefined = the preset's only file. */
  readonly match?: RegExp;
  readonly mapping: Mapping;
}

export interface Preset {
  readonly name: string;
  readonly description: string;
  readonly files: readonly PresetFile[];
}

/**
 * The mapping as it applies to a file with these columns: an entry whose column is absent reads its
 * first present alternative; an optional entry with neither is dropped.
 */
export function dropAbsentOptionalColumns(mapping: Mapping, available: readonly string[]): Mapping {
  const have = new Set(available);
  const columns = Object.fromEntries(
    Object.entries(mapping.columns)
      .map(([name, e]): [string, SourceExpr] => {
        if (typeof e !== 'object' || !('column' in e) || have.has(e.column) || !e.alternatives)
          return [name, e];
        const present = e.alternatives.find((a) => have.has(a));
        return [name, present ? { ...e, column: present } : e];
      })
      .filter(([, e]) => !(typeof e === 'object' && 'column' in e && e.optional && !have.has(e.column))),
  );
  return { ...mapping, columns };
}
