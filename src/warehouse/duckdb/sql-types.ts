/** How the canonical logical types are stored in DuckDB: the one place that decides it. */
import type { ColumnType } from '../../schema/tables.js';

export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  text: 'VARCHAR',
  // Exact money: sums of DECIMAL do not drift the way sums of DOUBLE do.
  money: 'DECIMAL(18,4)',
  number: 'DOUBLE',
  integer: 'BIGINT',
  timestamp: 'TIMESTAMP',
  boolean: 'BOOLEAN',
  json: 'JSON',
};

/** Double-quote an identifier for DuckDB. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Single-quote a string literal for DuckDB. */
export function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
