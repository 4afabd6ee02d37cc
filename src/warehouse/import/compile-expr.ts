/**
 * @module warehouse/import/compile-expr
 * Compiles the declarative pieces of a mapping (ingest/mapping.ts) to DuckDB SQL: a source
 * expression to a text value, and a text value to its canonical type. Kept apart from the frame
 * builder so each rule can be read (and tested) on its own.
 */
import { ImportError } from '../../ingest/errors.js';
import type { SourceExpr, ValueCase } from '../../ingest/mapping.js';
import type { ColumnType } from '../../schema/tables.js';
import { ident, literal } from '../duckdb/sql-types.js';

/** The source column an expression reads, for error messages ('(constant)' when none). */
export function sourceColumnOf(expr: SourceExpr): string {
  if (typeof expr === 'string') return expr;
  if ('column' in expr) return expr.column;
  if ('concat' in expr) return expr.concat.join('+');
  if ('object' in expr) return expr.object.join('+');
  return '(constant)';
}

/** Source columns an expression needs ($line is not one). */
export function referencedColumns(expr: SourceExpr): string[] {
  if (typeof expr === 'string') return [expr];
  if ('column' in expr) return [expr.column];
  if ('concat' in expr) return expr.concat.filter((c) => c !== '$line');
  if ('object' in expr) return [...expr.object];
  return [];
}

/**
 * `trim(x)`, calling trim only where it can change something. DuckDB's trim strips the Unicode
 * space separators (category Zs) at both ends, and the only ASCII one is ' ': a value of ASCII only
 * (as many bytes as characters) that neither starts nor ends with ' ' is its own trim. trim itself
 * copies every value and costs about six times this test (measured on Online Retail's
 * Description: 190 ms of CPU against 30 ms for 541,909 values), and the import trims every field.
 */
export function trimSql(x: string): string {
  return `CASE WHEN prefix(${x}, ' ') OR suffix(${x}, ' ') OR strlen(${x}) <> length(${x}) THEN trim(${x}) ELSE ${x} END`;
}

/** A source field as trimmed text; NULL when empty or one of the mapping's "no value" markers. */
const text = (col: string, nulls: readonly string[]): string => {
  const trimmed = trimSql(`s.${ident(col)}`);
  return nulls.length
    ? `CASE WHEN ${trimmed} NOT IN ('', ${nulls.map(literal).join(', ')}) THEN ${trimmed} END`
    : `nullif(${trimmed}, '')`;
};

const constant = (v: ValueCase['value']): string => (v === null ? 'NULL::VARCHAR' : literal(String(v)));

/** SQL for the expression's value as trimmed text (NULL when empty or a `nulls` marker). */
export function compileTextExpr(expr: SourceExpr, nulls: readonly string[] = []): string {
  if (typeof expr === 'string') return text(expr, nulls);
  if ('value' in expr) return constant(expr.value);
  if ('concat' in expr) {
    const parts = expr.concat.map((c) => (c === '$line' ? 'CAST(s._line AS VARCHAR)' : text(c, nulls)));
    // `||` yields NULL when any part is missing: a key built from a missing part is no key.
    return parts.join(` || ${literal(expr.separator ?? '-')} || `);
  }
  if ('object' in expr) {
    // Values stay text (a missing one is JSON null): the reader decides what each means.
    return `CAST(json_object(${expr.object.map((c) => `${literal(c)}, ${text(c, nulls)}`).join(', ')}) AS VARCHAR)`;
  }
  const v = text(expr.column, nulls);
  if (!expr.cases?.length) return v;
  const whens = expr.cases.map((c) => {
    const conds: string[] = [];
    if (c.prefix !== undefined) conds.push(`starts_with(${v}, ${literal(c.prefix)})`);
    if (c.equals?.length) conds.push(`${v} IN (${c.equals.map(literal).join(', ')})`);
    return `WHEN ${conds.length ? conds.join(' OR ') : 'false'} THEN ${constant(c.value)}`;
  });
  const otherwise = 'else' in expr && expr.else !== undefined ? constant(expr.else) : v;
  return `CASE ${whens.join(' ')} ELSE ${otherwise} END`;
}

/** SQL converting the text value `v` to the canonical type; NULL when it does not convert. */
export function compileTypedExpr(v: string, type: ColumnType, expr: SourceExpr, file: string): string {
  const fmt = typeof expr === 'object' && 'column' in expr ? expr.format : undefined;
  const scale = typeof expr === 'object' && 'column' in expr ? expr.scale : undefined;
  switch (type) {
    case 'text':
      return v;
    case 'number': {
      const n = `TRY_CAST(${v} AS DOUBLE)`;
      const scaled = scale !== undefined ? `(${n} * ${scale})` : n;
      return `CASE WHEN isfinite(${n}) THEN ${scaled} END`;
    }
    case 'money':
      return scale !== undefined
        ? `TRY_CAST(CASE WHEN isfinite(TRY_CAST(${v} AS DOUBLE)) THEN TRY_CAST(${v} AS DOUBLE) * ${scale} END AS DECIMAL(18,4))`
        : `TRY_CAST(${v} AS DECIMAL(18,4))`;
    case 'integer':
      return `TRY_CAST(${v} AS BIGINT)`;
    case 'boolean':
      return `CASE WHEN lower(${v}) IN ('true', 't', '1', 'yes', 'y') THEN true
                   WHEN lower(${v}) IN ('false', 'f', '0', 'no', 'n') THEN false END`;
    case 'json':
      return `CASE WHEN json_valid(${v}) THEN ${v}::JSON END`;
    case 'timestamp':
      return compileTimestamp(v, fmt, file);
  }
}

function compileTimestamp(v: string, fmt: string | readonly string[] | undefined, file: string): string {
  if (fmt === undefined) {
    // ISO 8601, with or without an offset; offsets are converted to UTC.
    // (A plain cast to TIMESTAMP would accept "+01:00" and drop it, so offsets are detected first.)
    return `CASE WHEN regexp_matches(${v}, '([+-]\\d{2}:?\\d{2}|Z)$') THEN timezone('UTC', TRY_CAST(${v} AS TIMESTAMPTZ))
                 ELSE TRY_CAST(${v} AS TIMESTAMP) END`;
  }
  if (fmt === 'epoch') return `CAST(to_timestamp(TRY_CAST(${v} AS DOUBLE)) AT TIME ZONE 'UTC' AS TIMESTAMP)`;
  if (fmt === 'epoch_ms') return `epoch_ms(TRY_CAST(${v} AS BIGINT))`;
  // Sequence files carry order, not time: item n of a line gets 2000-01-01 plus n seconds.
  if (fmt === 'sequence') return `TIMESTAMP '2000-01-01' + to_seconds(TRY_CAST(${v} AS BIGINT))`;
  const list = typeof fmt === 'string' ? [fmt] : [...fmt];
  if (list.length === 0) throw new ImportError({ file }, 'an empty list of date formats');
  const withZone = list.some((f) => /%z|%Z/.test(f));
  const parsed = `try_strptime(${v}, [${list.map(literal).join(', ')}])`;
  return withZone ? `timezone('UTC', ${parsed})` : parsed;
}

/** Words for the type in error details. */
export const TYPE_WORDS: Readonly<Record<ColumnType, string>> = {
  text: 'text',
  number: 'a number',
  money: 'an amount',
  integer: 'a whole number',
  boolean: 'true/false',
  json: 'JSON',
  timestamp: 'a date/time',
};

export const INVALID_REASON: Readonly<Record<ColumnType, string>> = {
  text: 'invalid_value',
  number: 'invalid_number',
  money: 'invalid_number',
  integer: 'invalid_number',
  boolean: 'invalid_boolean',
  json: 'invalid_value',
  timestamp: 'invalid_timestamp',
};

/** How a format is named in an error detail. */
export function formatWords(expr: SourceExpr): string {
  if (typeof expr === 'object' && 'column' in expr && expr.format !== undefined) {
    const f = expr.format;
    return typeof f === 'string'
      ? ` (expected format ${f})`
      : ` (expected one of the formats ${f.join(', ')})`;
  }
  return '';
}
