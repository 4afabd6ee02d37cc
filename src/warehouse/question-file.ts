/**
 * @module warehouse/question-file
 * Reads the `question` column of a CSV file (a batch of shopper questions) with DuckDB's CSV reader,
 * in file order. A file without that column, or that DuckDB cannot read, is refused by name.
 */
import { literal } from './duckdb/sql-types.js';
import type { Warehouse } from './warehouse.js';

export async function readQuestionFile(wh: Warehouse, path: string): Promise<string[]> {
  const file = literal(path);
  let columns: string[];
  try {
    columns = (
      await wh.rows<{ column_name: string }>(
        `DESCRIBE SELECT * FROM read_csv(${file}, header = true, all_varchar = true)`,
      )
    ).map((c) => c.column_name);
  } catch (err) {
    throw new Error(`${path}: cannot be read as CSV: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  if (!columns.includes('question')) {
    throw new Error(`${path}:1: no column named question (the header has ${columns.join(', ')})`);
  }
  const rows = await wh.rows<{ question: string | null }>(
    `SELECT question FROM read_csv(${file}, header = true, all_varchar = true)`,
  );
  return rows.map((r) => r.question ?? '');
}
