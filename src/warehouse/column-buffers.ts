/**
 * @module warehouse/column-buffers
 * The growable typed-array buffers both engines' `columns()` readers fill (duckdb/read-columns.ts
 * from DuckDB's chunks, clickhouse/read-columns.ts from TabSeparated lines): one place for how a
 * kind is stored, how a buffer doubles, and how the result is cut to its length.
 */
import type { ColumnKind, Columns } from './warehouse.js';

export type ColumnBuffer = Float64Array | Float32Array | Int32Array | (string | null)[];

export function allocateColumn(kind: ColumnKind, capacity: number): ColumnBuffer {
  switch (kind) {
    case 'f64':
    case 'ts':
      return new Float64Array(capacity);
    case 'f32':
      return new Float32Array(capacity);
    case 'i32':
      return new Int32Array(capacity);
    case 'str':
      return [];
  }
}

/** A typed buffer copied into one of `capacity`; string columns grow by push and are returned as they are. */
export function growColumn(buf: ColumnBuffer, kind: ColumnKind, capacity: number): ColumnBuffer {
  if (Array.isArray(buf)) return buf;
  const next = allocateColumn(kind, capacity) as Float64Array | Float32Array | Int32Array;
  next.set(buf as never);
  return next;
}

/** The filled buffers as the `Columns` result: typed arrays cut to `length`. */
export function finishColumns<S extends Record<string, ColumnKind>>(
  names: readonly string[],
  bufs: readonly ColumnBuffer[],
  length: number,
): Columns<S> {
  const out: Record<string, unknown> = { length };
  names.forEach((n, c) => {
    const buf = bufs[c]!;
    out[n] = Array.isArray(buf) ? buf : buf.slice(0, length);
  });
  return out as Columns<S>;
}
