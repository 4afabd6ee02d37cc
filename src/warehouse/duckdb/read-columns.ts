/**
 * @module warehouse/duckdb/read-columns
 * Streams a query's result chunk by chunk (2,048 rows each) into growing typed arrays. The query is
 * wrapped so DuckDB casts each column to the kind asked for: numbers arrive as DOUBLE or INTEGER,
 * timestamps as epoch milliseconds, everything else as VARCHAR. Measured in stack-facts: this path
 * reads 1M x 4 columns in about 0.12 s, against 0.8 s for row objects.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { allocateColumn, finishColumns, growColumn, type ColumnBuffer } from '../column-buffers.js';
import type { ColumnKind, Columns } from '../warehouse.js';
import { ident } from './sql-types.js';

function castFor(name: string, kind: ColumnKind): string {
  const col = ident(name);
  switch (kind) {
    case 'f64':
    case 'f32':
      return `CAST(${col} AS DOUBLE) AS ${col}`;
    case 'i32':
      return `CAST(${col} AS INTEGER) AS ${col}`;
    case 'ts':
      return `CAST(epoch_ms(CAST(${col} AS TIMESTAMP)) AS DOUBLE) AS ${col}`;
    case 'str':
      return `CAST(${col} AS VARCHAR) AS ${col}`;
  }
}

export async function readColumns<S extends Record<string, ColumnKind>>(
  conn: DuckDBConnection,
  sql: string,
  kinds: S,
  params?: DuckDBValue[],
): Promise<Columns<S>> {
  const names = Object.keys(kinds);
  if (!names.length) throw new Error('columns(): name at least one column to read');
  const wrapped = `SELECT ${names.map((n) => castFor(n, kinds[n]!)).join(', ')} FROM (${sql}) AS _q`;
  const result = await conn.stream(wrapped, params);
  let capacity = 4096;
  let length = 0;
  const bufs: ColumnBuffer[] = names.map((n) => allocateColumn(kinds[n]!, capacity));
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const rows = chunk.rowCount;
    if (length + rows > capacity) {
      while (length + rows > capacity) capacity *= 2;
      for (let c = 0; c < names.length; c++) bufs[c] = growColumn(bufs[c]!, kinds[names[c]!]!, capacity);
    }
    for (let c = 0; c < names.length; c++) {
      const vector = chunk.getColumnVector(c);
      const buf = bufs[c]!;
      if (Array.isArray(buf)) {
        for (let r = 0; r < rows; r++) buf.push(vector.getItem(r) as string | null);
      } else {
        const missing = buf instanceof Int32Array ? 0 : NaN;
        for (let r = 0; r < rows; r++) {
          const v = vector.getItem(r) as number | null;
          buf[length + r] = v ?? missing;
        }
      }
    }
    length += rows;
  }
  return finishColumns<S>(names, bufs, length);
}
