/**
 * @module warehouse/read-text-column
 * One text column of a CSV file, every row in file order, for scoring a file of texts (`shopsight
 * reviews score`). DuckDB parses (quotes, embedded newlines, gzip), every field as text; a file
 * without the column is refused naming the columns it has; a line DuckDB cannot parse fails with
 * its message (which names the line). Empty fields come back as '' so the output keeps every row.
 *
 * @example
 *   await readTextColumn(wh, 'reviews.csv', 'review'); // ['质量很好', 'too small', '']
 *
 * The file is local, not in the store: with a ClickHouse store an in-memory DuckDB parses it.
 */
import { existsSync } from 'node:fs';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';
import { literal } from './duckdb/sql-types.js';
import type { Warehouse } from './warehouse.js';

export async function readTextColumn(wh: Warehouse, path: string, column: string): Promise<string[]> {
  if (!existsSync(path)) throw new Error(`${path}: no such file`);
  if (wh.engine !== 'duckdb') {
    const parser = await DuckDBWarehouse.open(':memory:', { memoryLimit: '256MB' });
    try {
      return await readTextColumn(parser, path, column);
    } finally {
      await parser.close();
    }
  }
  const source = `read_csv(${literal(path)}, header = true, all_varchar = true)`;
  const names = (await wh.rows<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`)).map(
    (r) => r.column_name,
  );
  if (!names.includes(column)) {
    throw new Error(
      `${path}: no column '${column}' (the header has ${names.map((n) => `'${n}'`).join(', ')})`,
    );
  }
  const c = await wh.columns(`SELECT "${column.replace(/"/g, '""')}" AS text FROM ${source}`, {
    text: 'str',
  });
  return c.text.map((t) => t ?? '');
}
