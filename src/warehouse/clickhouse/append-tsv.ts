/**
 * @module warehouse/clickhouse/append-tsv
 * `Warehouse.append()`'s columns as TabSeparated text for ClickHouse, in chunks: numbers as
 * written (NaN = NULL), texts escaped by tsvField, flags 1/0, times as UTC 'YYYY-MM-DD hh:mm:ss'.
 *
 * @example
 *   [...appendTsvLines('t', { id: ['a', null], x: Float64Array.of(1.5, NaN) })].join('');
 *   // 'a\t1.5\n\\N\t\\N\n'
 */
import type { AppendColumn } from '../warehouse.js';
import { chDateTime, tsvField } from './format-value.js';

const CHUNK_ROWS = 10_000;

/** One column's field writer: index -> TSV text. */
function fieldOf(table: string, name: string, col: AppendColumn): (i: number) => string {
  if (col instanceof Float64Array) return (i) => (Number.isNaN(col[i]!) ? '\\N' : String(col[i]));
  if (col instanceof Int32Array) return (i) => String(col[i]);
  const sample = (col as readonly unknown[]).find((v) => v !== null && v !== undefined);
  if (sample === undefined || typeof sample === 'string') {
    const s = col as readonly (string | null)[];
    return (i) => tsvField(s[i] ?? null);
  }
  if (typeof sample === 'boolean') {
    const b = col as readonly (boolean | null)[];
    return (i) => (b[i] === null || b[i] === undefined ? '\\N' : b[i] ? '1' : '0');
  }
  if (sample instanceof Date) {
    const d = col as readonly (Date | null)[];
    return (i) => (d[i] ? chDateTime(d[i]!) : '\\N');
  }
  throw new TypeError(
    `append(${table}): column ${name} holds ${typeof sample} values, which cannot be appended`,
  );
}

/** The rows as TSV, CHUNK_ROWS lines per yielded string. Every column must have the same length. */
export function* appendTsvLines(
  table: string,
  columns: Readonly<Record<string, AppendColumn>>,
): Iterable<string> {
  const names = Object.keys(columns);
  const length = columns[names[0]!]!.length;
  for (const n of names) {
    if (columns[n]!.length !== length) {
      throw new RangeError(
        `append(${table}): column ${n} has ${columns[n]!.length} values, ${names[0]} has ${length}`,
      );
    }
  }
  const fields = names.map((n) => fieldOf(table, n, columns[n]!));
  for (let start = 0; start < length; start += CHUNK_ROWS) {
    const end = Math.min(length, start + CHUNK_ROWS);
    const lines: string[] = [];
    for (let i = start; i < end; i++) lines.push(fields.map((f) => f(i)).join('\t'));
    yield lines.join('\n') + '\n';
  }
}
