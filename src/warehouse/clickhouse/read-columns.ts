/**
 * @module warehouse/clickhouse/read-columns
 * `Warehouse.columns()` on ClickHouse: the query is wrapped so the server casts each column to the
 * kind asked for (numbers as Float64 or Int32, times as epoch seconds, everything else as String)
 * and streams TabSeparated text, which is parsed line by line straight into growing typed arrays,
 * the same shapes duckdb/read-columns.ts fills: no object per row, no JSON.
 *
 * TabSeparated: one line per row, fields split by tabs, NULL as `\N`, tab, newline and backslash
 * escaped with a backslash (unescaped here for 'str' columns only: numbers never carry escapes).
 */
import type { Readable } from 'node:stream';
import { allocateColumn, finishColumns, growColumn, type ColumnBuffer } from '../column-buffers.js';
import type { ColumnKind, Columns } from '../warehouse.js';

const quoted = (name: string): string => `\`${name.replace(/`/g, '\\`')}\``;

/** The cast each kind is read through (NULL stays NULL: every function here propagates it). */
function castFor(name: string, kind: ColumnKind): string {
  const col = quoted(name);
  switch (kind) {
    case 'f64':
    case 'f32':
      return `toFloat64(${col})`;
    case 'i32':
      return `toInt32(${col})`;
    case 'ts':
      // Epoch seconds of a DateTime('UTC'), or of a Date's midnight UTC (never the server's zone).
      return `toUInt32(toDateTime(${col}, 'UTC'))`;
    case 'str':
      return `toString(${col})`;
  }
}

/** The query whose TabSeparated output `parseColumns` reads, columns in `kinds` order. */
export function columnsQuery(sql: string, kinds: Record<string, ColumnKind>): string {
  const names = Object.keys(kinds);
  if (!names.length) throw new Error('columns(): name at least one column to read');
  return `SELECT ${names.map((n) => castFor(n, kinds[n]!)).join(', ')} FROM (${sql}) FORMAT TabSeparated`;
}

const UNESCAPE: Record<string, string> = {
  '\\': '\\',
  t: '\t',
  n: '\n',
  r: '\r',
  '0': '\0',
  b: '\b',
  f: '\f',
  "'": "'",
};

/** A TabSeparated field's text (ClickHouse's escapes undone). */
export function unescapeTsv(field: string): string {
  return field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => UNESCAPE[c] ?? c) : field;
}

/** ClickHouse prints non-finite floats as nan, inf, -inf. */
function toNumber(field: string): number {
  if (field === 'inf' || field === '+inf') return Infinity;
  if (field === '-inf') return -Infinity;
  return Number(field); // 'nan' -> NaN
}

/** Reads the TabSeparated stream of `columnsQuery(sql, kinds)` into typed arrays. */
export async function parseColumns<S extends Record<string, ColumnKind>>(
  stream: Readable,
  kinds: S,
): Promise<Columns<S>> {
  const names = Object.keys(kinds);
  const kindOf = names.map((n) => kinds[n]!);
  let capacity = 4096;
  let length = 0;
  const bufs: ColumnBuffer[] = kindOf.map((k) => allocateColumn(k, capacity));
  const take = (line: string): void => {
    if (length === capacity) {
      capacity *= 2;
      for (let c = 0; c < bufs.length; c++) bufs[c] = growColumn(bufs[c]!, kindOf[c]!, capacity);
    }
    const fields = line.split('\t');
    if (fields.length !== names.length) {
      throw new Error(`columns(): row ${length + 1} has ${fields.length} fields, expected ${names.length}`);
    }
    for (let c = 0; c < fields.length; c++) {
      const f = fields[c]!;
      const buf = bufs[c]!;
      if (Array.isArray(buf)) buf.push(f === '\\N' ? null : unescapeTsv(f));
      else if (f === '\\N') buf[length] = buf instanceof Int32Array ? 0 : NaN;
      else buf[length] = kindOf[c] === 'ts' ? Number(f) * 1000 : toNumber(f);
    }
    length++;
  };
  stream.setEncoding('utf8');
  let rest = '';
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      take(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') take(rest);
  return finishColumns<S>(names, bufs, length);
}
