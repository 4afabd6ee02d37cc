/**
 * @module warehouse/duckdb/append-columns
 * Bulk rows into a table through DuckDB's appender, from one array per column: what
 * `Warehouse.append` runs. Measured writing 200,000 order_risk rows (under load, CPU seconds): an
 * INSERT of the rows sent as one JSON value per 20,000 took 3.3 CPU-s, the appender 1.7 (plus 0.5 to
 * turn the reasons lists into JSON text).
 */
import { DuckDBTimestampValue, DuckDBTypeId, type DuckDBConnection } from '@duckdb/node-api';
import type { AppendColumn } from '../warehouse.js';
import { ident } from './sql-types.js';

type Put = (r: number) => void;

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
    const puts: Put[] = names.map((name, c): Put => {
      const values = columns[name];
      if (values === undefined) return () => appender.appendDefault();
      const typeId = appender.columnType(c).typeId;
      const fail = (): never => {
        throw new Error(
          `append to ${table}.${name}: cannot append these values to a ${appender.columnType(c)}`,
        );
      };
      if (values instanceof Float64Array) {
        if (typeId !== DuckDBTypeId.DOUBLE) fail();
        return (r) => (Number.isNaN(values[r]!) ? appender.appendNull() : appender.appendDouble(values[r]!));
      }
      if (values instanceof Int32Array) {
        if (typeId !== DuckDBTypeId.INTEGER) fail();
        return (r) => appender.appendInteger(values[r]!);
      }
      const first = values.find((v) => v !== null);
      if (first === undefined) return () => appender.appendNull();
      if (typeof first === 'string') {
        if (typeId !== DuckDBTypeId.VARCHAR) fail();
        const texts = values as readonly (string | null)[];
        return (r) => (texts[r] === null ? appender.appendNull() : appender.appendVarchar(texts[r]!));
      }
      if (typeof first === 'boolean') {
        if (typeId !== DuckDBTypeId.BOOLEAN) fail();
        const flags = values as readonly (boolean | null)[];
        return (r) => (flags[r] === null ? appender.appendNull() : appender.appendBoolean(flags[r]!));
      }
      if (first instanceof Date) {
        if (typeId !== DuckDBTypeId.TIMESTAMP) fail();
        const times = values as readonly (Date | null)[];
        return (r) =>
          times[r] === null
            ? appender.appendNull()
            : appender.appendTimestamp(new DuckDBTimestampValue(BigInt(times[r]!.getTime()) * 1000n));
      }
      return fail();
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
