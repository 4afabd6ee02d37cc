/**
 * @module warehouse/record-file
 * Reads a CSV of customers to score (`uplift score --file`) as text records, one per data line in
 * file order, with each record's line, so the caller can say `file:line:column: reason`. The file
 * is read through DuckDB as raw lines and split on commas (quotes around a whole field are
 * removed; a value with a comma inside is not supported: feature files hold numbers and labels),
 * like warehouse/summary-file.ts. Blank lines are skipped.
 *
 * @example
 *   const f = await readRecordFile(wh, 'customers.csv', ['recency', 'channel']);
 *   f.records[0]; // { recency: '6', channel: 'Web', ... every header column }
 *   f.lines[0];   // 2
 */
import { ImportError } from '../ingest/errors.js';
import { loadRawLines } from './summary-file.js';
import type { Warehouse } from './warehouse.js';

export interface RecordFile {
  readonly file: string;
  readonly header: readonly string[];
  readonly records: readonly Readonly<Record<string, string>>[];
  /** The file line (1-based, header = 1) of each record. */
  readonly lines: readonly number[];
}

const LINES = 'rf_lines';

/** Throws an ImportError for a missing file, an empty one, a required column absent, or a line whose field count differs from the header's. */
export async function readRecordFile(
  wh: Warehouse,
  file: string,
  required: readonly string[],
): Promise<RecordFile> {
  await loadRawLines(wh, file, LINES);
  try {
    // Row ids of a table created outside a transaction start at 0, so line = rowid + 1.
    const all = await wh.rows<{ n: number; line: string | null }>(
      `SELECT CAST(rowid + 1 AS INTEGER) AS n, line FROM ${LINES} ORDER BY rowid`,
    );
    const head = all[0];
    if (!head?.line?.trim())
      throw new ImportError({ file, line: 1 }, 'the file is empty or has no header line');
    const split = (line: string): string[] =>
      line
        .replace(/\r$/, '')
        .split(',')
        .map((v) => v.trim().replace(/^"(.*)"$/, '$1'));
    const header = split(head.line);
    for (const c of required) {
      if (!header.includes(c)) {
        throw new ImportError(
          { file, line: 1, column: c },
          `missing column '${c}' (the header has: ${header.join(', ')})`,
        );
      }
    }
    const records: Record<string, string>[] = [];
    const lines: number[] = [];
    for (const { n, line } of all.slice(1)) {
      if (line === null || line.trim() === '') continue;
      const fields = split(line);
      if (fields.length !== header.length) {
        throw new ImportError(
          { file, line: n },
          `expected ${header.length} fields as in the header, found ${fields.length}`,
        );
      }
      records.push(Object.fromEntries(header.map((h, i) => [h, fields[i]!])));
      lines.push(n);
    }
    if (records.length === 0) throw new ImportError({ file, line: 2 }, 'no data lines after the header');
    return { file, header, records, lines };
  } finally {
    await wh.exec(`DROP TABLE IF EXISTS ${LINES}`);
  }
}
