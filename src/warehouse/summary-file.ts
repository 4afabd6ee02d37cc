/**
 * @module warehouse/summary-file
 * Reads a customer summary CSV an analyst already has (one row per customer: frequency, recency,
 * T and, for spend models, monetary_value; other columns such as ID are ignored) into typed
 * arrays, with the file line of every row so later checks can point at it.
 *
 * The file is read through DuckDB as raw lines and split in SQL (the way ingest stages line
 * formats): that gives each row its exact line in the file, so a non-numeric value is reported as
 * `file:line:column: reason`. Blank lines are skipped. Quoting is limited to quotes around a whole
 * field (a summary file holds numbers and ids, never commas inside a value).
 *
 * @example
 *   const s = await readSummaryFile(wh, 'cdnow_summary.csv', ['frequency', 'recency', 'T']);
 *   s.columns.frequency; // Float64Array(2357)
 *   s.lines[0];          // 2 (the first data row is on line 2)
 */
import { existsSync } from 'node:fs';
import { ImportError } from '../ingest/errors.js';
import type { Warehouse } from './warehouse.js';

export interface SummaryFile<C extends string> {
  readonly file: string;
  /** One Float64Array per requested column, in file order. */
  readonly columns: Record<C, Float64Array>;
  /** The file line (1-based, header = 1) of each row. */
  readonly lines: Int32Array;
  readonly rows: number;
}

const LINES = 'sf_lines';

/**
 * Loads `file` into the temporary table `table` as one VARCHAR column `line`, a row per file line
 * in order (rowid + 1 = the line, the table being created outside a transaction); the caller drops
 * the table. A missing or unreadable file is an ImportError naming it.
 */
export async function loadRawLines(wh: Warehouse, file: string, table: string): Promise<void> {
  if (!existsSync(file)) throw new ImportError({ file }, 'no such file');
  await wh.exec(`DROP TABLE IF EXISTS ${table}`);
  await wh
    .exec(
      // strict_mode off and the \r trimmed here, as the importer's line reader does: a file that
      // mixes CRLF and LF line ends (an edited export) reads line by line instead of failing.
      `CREATE TEMP TABLE ${table} AS SELECT rtrim(line, E'\\r') AS line FROM read_csv(?, columns = {'line': 'VARCHAR'}, ` +
        `header = false, delim = E'\\x01', quote = '', escape = '', strict_mode = false, auto_detect = false)`,
      [file],
    )
    .catch((err: unknown) => {
      throw new ImportError({ file }, `cannot read the file: ${(err as Error).message}`);
    });
}

/**
 * Reads the requested numeric columns, matched to the header case-insensitively by name or by one
 * of its `aliases` (e.g. BTYD's x, t_x, zbar). Throws an
 * ImportError naming the file, line and column for a missing file, missing column, wrong field
 * count, empty or non-numeric value. Range checks belong to the model that uses the numbers.
 */
export async function readSummaryFile<C extends string>(
  wh: Warehouse,
  file: string,
  wanted: readonly C[],
  aliases: Partial<Record<C, readonly string[]>> = {},
): Promise<SummaryFile<C>> {
  await loadRawLines(wh, file, LINES);
  try {
    return await readLines(wh, file, wanted, aliases);
  } finally {
    await wh.exec(`DROP TABLE IF EXISTS ${LINES}`);
  }
}

async function readLines<C extends string>(
  wh: Warehouse,
  file: string,
  wanted: readonly C[],
  aliases: Partial<Record<C, readonly string[]>>,
): Promise<SummaryFile<C>> {
  // Row ids of a table created outside a transaction start at 0, so line = rowid + 1.
  const [head] = await wh.rows<{ line: string | null }>(`SELECT line FROM ${LINES} WHERE rowid = 0`);
  if (!head?.line?.trim())
    throw new ImportError({ file, line: 1 }, 'the file is empty or has no header line');
  const header = head.line.split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const position = new Map<C, number>();
  for (const c of wanted) {
    const names = [c, ...(aliases[c] ?? [])].map((n) => n.toLowerCase());
    const i = header.findIndex((h) => names.includes(h.toLowerCase()));
    if (i < 0) {
      const also = aliases[c]?.length ? ` or ${aliases[c]!.map((a) => `'${a}'`).join(' or ')}` : '';
      throw new ImportError(
        { file, line: 1, column: c },
        `missing column '${c}'${also} (the header has: ${header.join(', ')})`,
      );
    }
    position.set(c, i + 1); // DuckDB lists are 1-based
  }
  await wh.exec(
    `CREATE OR REPLACE TEMP TABLE sf_fields AS
     SELECT CAST(rowid + 1 AS INTEGER) AS _line, list_transform(string_split(line, ','), v -> trim(trim(v), '"')) AS f
     FROM ${LINES} WHERE rowid > 0 AND line IS NOT NULL AND trim(line) <> ''`,
  );
  try {
    // The first bad field in file order, if any: wrong field count, then empty, then non-numeric.
    const problems = wanted.map((c) => {
      const v = `f[${position.get(c)}]`;
      return `WHEN ${v} = '' THEN '${c}\tempty value'
              WHEN TRY_CAST(${v} AS DOUBLE) IS NULL THEN '${c}\tnot a number: ''' || ${v} || ''''`;
    });
    const [bad] = await wh.rows<{ _line: number; problem: string }>(
      `SELECT _line, problem FROM (
         SELECT _line, CASE WHEN len(f) <> ${header.length}
           THEN '\texpected ${header.length} fields as in the header, found ' || len(f)
           ${problems.join('\n')} END AS problem
         FROM sf_fields) WHERE problem IS NOT NULL ORDER BY _line LIMIT 1`,
    );
    if (bad) {
      const [column, reason] = bad.problem.split('\t') as [string, string];
      throw new ImportError({ file, line: bad._line, column: column || undefined }, reason);
    }
    const select = wanted.map((c, k) => `CAST(f[${position.get(c)}] AS DOUBLE) AS c${k}`).join(', ');
    const kinds: Record<string, 'f64' | 'i32'> = { _line: 'i32' };
    wanted.forEach((_, k) => (kinds[`c${k}`] = 'f64'));
    const read = await wh.columns(`SELECT _line, ${select} FROM sf_fields ORDER BY _line`, kinds);
    const columns = {} as Record<C, Float64Array>;
    wanted.forEach((c, k) => (columns[c] = read[`c${k}`] as Float64Array));
    return { file, columns, lines: read['_line'] as Int32Array, rows: read.length };
  } finally {
    await wh.exec('DROP TABLE IF EXISTS sf_fields');
  }
}
