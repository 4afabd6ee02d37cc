/**
 * @module warehouse/duckdb/append-columns
 * Bulk rows into a table through DuckDB's appender, from one array per column: what
 * `Warehouse.append` runs. Measured writing 200,000 order_risk rows (under load, CPU seconds): an
 * INSERT of the rows sent as one JSON value per 20,000 took 3.3 CPU-s, the appender 1.7 (plus 0.5 to
 * turn the reasons lists into JSON text).
 */
import {
  DuckDBDataChunk,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
} from './node-api.js';
import type { AppendColumn } from '../warehouse.js';
import { ident } from './sql-types.js';

type Put = (r: number) => void;

/** Rows per data chunk: DuckDB's vector size, the most one chunk holds. */
const CHUNK_ROWS = 2048;

/** Checks that `values` can go into a column of type `typeId` (the same rule for both paths below). */
function checkKind(values: AppendColumn, typeId: DuckDBTypeId, fail: () => never): void {
  if (values instanceof Float64Array) {
    if (typeId !== DuckDBTypeId.DOUBLE) fail();
    return;
  }
  if (values instanceof Int32Array) {
    if (typeId !== DuckDBTypeId.INTEGER) fail();
    return;
  }
  const first = values.find((v) => v !== null);
  if (first === undefined) return;
  const expected =
    typeof first === 'string'
      ? DuckDBTypeId.VARCHAR
      : typeof first === 'boolean'
        ? DuckDBTypeId.BOOLEAN
        : first instanceof Date
          ? DuckDBTypeId.TIMESTAMP
          : null;
  if (expected === null || typeId !== expected) fail();
}

/**
 * Every column given: the rows go in data chunks of CHUNK_ROWS, column by column. Numbers, flags
 * and times are written into the chunk's buffers from JavaScript and copied once per chunk; only
 * texts cross into DuckDB one value at a time. Measured writing 200,000 order_risk rows (under load
 * 13, CPU-s): the appender value by value 1.0, chunks 0.4.
 */
function appendChunks(
  appender: DuckDBAppender,
  types: readonly DuckDBType[],
  columns: readonly AppendColumn[],
  rows: number,
): void {
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - start);
    const chunk = DuckDBDataChunk.create(types, n);
    columns.forEach((values, c) => {
      const vector = chunk.getColumnVector(c);
      if (values instanceof Float64Array) {
        for (let i = 0; i < n; i++) {
          const v = values[start + i]!;
          vector.setItem(i, Number.isNaN(v) ? null : v);
        }
      } else if (values instanceof Int32Array) {
        for (let i = 0; i < n; i++) vector.setItem(i, values[start + i]!);
      } else {
        for (let i = 0; i < n; i++) {
          const v = values[start + i] ?? null;
          vector.setItem(i, v instanceof Date ? new DuckDBTimestampValue(BigInt(v.getTime()) * 1000n) : v);
        }
      }
      vector.flush();
    });
    appender.appendDataChunk(chunk);
  }
}

export async function appendColumns(
  conn: DuckDBConnection,
  table: string,
  columns: Readonly<Record<string, AppendColumn>>,
): Promise<void> {
  const described = (await conn.runAndReadAll(`DESCRIBE ${ident(table)}`)).getRowObjectsJS();
  const names = described.map((d) => String(d['column_name']));
  for (const given of Object.keys(columns)) {
    if (!names.includes(given)) throw new Error(`append to ${table}: it has no column '${given}'`);
  }
  const lengths = new Set(Object.values(columns).map((c) => c.length));
  if (lengths.size > 1) throw new Error(`append to ${table}: the columns differ in length`);
  const rows = lengths.size ? [...lengths][0]! : 0;
  if (rows === 0) return;
  const appender = await conn.createAppender(table);
  try {
    names.forEach((name, c) => {
      const values = columns[name];
      if (values === undefined) return;
      checkKind(values, appender.columnType(c).typeId, () => {
        throw new Error(
          `append to ${table}.${name}: cannot append these values to a ${appender.columnType(c)}`,
        );
      });
    });
    if (names.every((name) => columns[name] !== undefined)) {
      const types = names.map((_, c) => appender.columnType(c));
      appendChunks(
        appender,
        types,
        names.map((name) => columns[name]!),
        rows,
      );
      appender.flushSync();
      return;
    }
    // A column left out gets its default, which only the value-by-value appender can give.
    const puts: Put[] = names.map((name): Put => {
      const values = columns[name];
      if (values === undefined) return () => appender.appendDefault();
      if (values instanceof Float64Array)
        return (r) => (Number.isNaN(values[r]!) ? appender.appendNull() : appender.appendDouble(values[r]!));
      if (values instanceof Int32Array) return (r) => appender.appendInteger(values[r]!);
      const first = values.find((v) => v !== null);
      if (first === undefined) return () => appender.appendNull();
      if (typeof first === 'string') {
        const texts = values as readonly (string | null)[];
        return (r) => (texts[r] === null ? appender.appendNull() : appender.appendVarchar(texts[r]!));
      }
      if (typeof first === 'boolean') {
        const flags = values as readonly (boolean | null)[];
        return (r) => (flags[r] === null ? appender.appendNull() : appender.appendBoolean(flags[r]!));
      }
      const times = values as readonly (Date | null)[];
      return (r) =>
        times[r] === null
          ? appender.appendNull()
          : appender.appendTimestamp(new DuckDBTimestampValue(BigInt(times[r]!.getTime()) * 1000n));
    });
    for (let r = 0; r < rows; r++) {
      for (const put of puts) put(r);
      appender.endRow();
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
