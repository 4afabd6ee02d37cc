/**
 * @module warehouse/import/stage-source
 * Reads one source file into temporary tables with every source field as text, exposed as the view
 * `src` (see staging-names.ts) with
 * `_row` (a unique row number) and `_line` (the line in the file a person would open), and collects
 * lines DuckDB could not parse into `rejects`. DuckDB parses; no row passes through JS.
 *
 * Why all text: type errors are ours to find and explain per row (quarantine), not DuckDB's to
 * refuse for the whole file. Why `_line` is computed: DuckDB numbers the rows it kept, so the lines
 * it rejected are added back to give each row its true line in the file.
 */
import { ImportError } from '../../ingest/errors.js';
import { readCsvHeader, type SourceFile } from '../../ingest/sources.js';
import { ident, literal } from '../duckdb/sql-types.js';
import type { Warehouse } from '../warehouse.js';
import type { StagingNames } from './staging-names.js';

export interface StagedSource {
  /** Source column names, as the file names them (for sequences: user, item, position). */
  readonly columns: readonly string[];
  /** Rows staged. */
  readonly rows: number;
  /** Lines DuckDB could not parse (already in the rejects table). */
  readonly rejectedLines: number;
  /** Looks up rows of the src view by `_row` (see SourceRowsById). */
  readonly rowsById: SourceRowsById;
}

/**
 * SQL for the rows of the src view (same columns) whose `_row` is among those `ids` returns (a
 * query of one column). Where src is a view over the raw table, the rows are looked up by the raw
 * table's row id, which DuckDB fetches directly instead of scanning and filtering the whole file
 * through the view: for the few thousand duplicate candidates or quarantined rows of Online Retail,
 * about a third of the CPU of the same query through the view (micro-benchmark, 3 alternating
 * runs, load 17).
 */
export type SourceRowsById = (ids: string) => string;

// CASE, not AND: DuckDB evaluates both sides of AND, and json_type fails on text that is not JSON.
const IS_JSON_OBJECT = `coalesce(CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' END, false)`;

const STORE_REJECTS =
  "store_rejects = true, rejects_table = 'ss_reject_errors', rejects_scan = 'ss_reject_scans'";

/**
 * The line-size limit of a fixed-dialect CSV read, and its buffer. DuckDB's default limit of 2 MiB
 * makes its parallel reader cut the file into many small pieces; at 16 MiB (the buffer the same) it
 * reads Online Retail's 47 MB (decompressed) into the staging table for about 0.61-0.73 s of CPU
 * against 0.83-1.08 s (micro-benchmark, 4-5 alternating runs each, load 20-23: relative figures
 * only). A larger buffer alone, or a smaller one with the 2 MiB limit, did not help. The 2 MiB
 * limit itself is kept, by us: see MAX_LINE_BYTES.
 */
const CSV_READ_BYTES = 16 * 1024 * 1024;
/** A line holding more than this (fields and delimiters) is quarantined: DuckDB's own default limit. */
const MAX_LINE_BYTES = 2 * 1024 * 1024;

/** Names no header uses: a column catching fields beyond the header's, and the "no value" marker. */
const EXTRA_FIELDS = '_shopsight_extra_fields';
const NO_FIELD = '\\x02shopsight-no-field\\x03';

// Lenient: random bytes must not stop the line reader (a \x01 byte inside a line ends its text).
const LINE_READER = (path: string, encoding?: string): string =>
  `read_csv(${literal(path)}, columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01', quote = '', strict_mode = false, ` +
  `escape = '', auto_detect = false, store_rejects = true, rejects_table = 'ss_reject_errors', ` +
  `rejects_scan = 'ss_reject_scans'${encoding ? `, encoding = ${literal(encoding)}` : ''})`;

export async function stageSource(
  wh: Warehouse,
  file: SourceFile,
  referenced: readonly string[],
  n: StagingNames,
  /** The file's non-blank lines (sources.ts countLines), needed for a CSV with a fixed dialect. */
  lineCount: Promise<number> = Promise.resolve(0),
  /**
   * Where the bytes are read from: for a .gz, the decompressed copy import-source made while it
   * checked the stream (DuckDB reads a plain file on all cores, a .gz on one). Messages still
   * name `file.path`.
   */
  readFrom: string = file.path,
): Promise<StagedSource> {
  await wh.exec('DROP TABLE IF EXISTS ss_reject_errors');
  await wh.exec('DROP TABLE IF EXISTS ss_reject_scans');
  await dropStaging(wh, n);
  await wh.exec(
    `CREATE OR REPLACE TEMP TABLE ${n.rejects} (line BIGINT, "column" VARCHAR, reason VARCHAR, detail VARCHAR, raw VARCHAR)`,
  );
  const fmt = file.format;
  // Formats whose src view is a copy of its own (line formats, the line-by-line CSV reading).
  let rowsById: SourceRowsById = (ids) => `SELECT * FROM ${n.src} WHERE _row IN (${ids})`;
  try {
    switch (fmt.kind) {
      case 'csv': {
        if (fmt.delimiter) {
          const byId = await readFixedDialectCsv(
            wh,
            file,
            readFrom,
            fmt.delimiter,
            fmt.quote ?? '"',
            n,
            lineCount,
          );
          if (byId) rowsById = byId;
        } else {
          const opts = [
            'all_varchar = true',
            'header = true',
            STORE_REJECTS,
            fmt.quote ? `quote = ${literal(fmt.quote)}` : '',
            fmt.encoding ? `encoding = ${literal(fmt.encoding)}` : '',
          ].filter(Boolean);
          await wh.exec(
            `CREATE TEMP TABLE ${n.raw} AS SELECT * FROM read_csv(${literal(readFrom)}, ${opts.join(', ')})`,
          );
          await collectRejects(wh, 1, n);
          rowsById = await numberRows(wh, 1, n);
        }
        break;
      }
      case 'parquet': {
        await wh.exec(
          `CREATE TEMP TABLE ${n.raw} AS SELECT COLUMNS(*)::VARCHAR FROM read_parquet(${literal(readFrom)})`,
        );
        await wh.exec('CREATE TEMP TABLE ss_reject_lines (line BIGINT, kept_before BIGINT)');
        rowsById = await numberRows(wh, 0, n);
        break;
      }
      case 'ndjson': {
        await readLines(wh, readFrom, n);
        const extracts = referenced.map(
          (c) =>
            `json_extract_string(line, ${literal('$.' + c.split('.').map(jsonKey).join('.'))}) AS "${c.replaceAll('"', '""')}"`,
        );
        await wh.exec(
          `INSERT INTO ${n.rejects} SELECT _line, NULL, 'invalid_json', 'the line is not a JSON object', line
           FROM ss_lines WHERE NOT ${IS_JSON_OBJECT}`,
        );
        await wh.exec(
          `CREATE TEMP TABLE ${n.data} AS SELECT _line AS _row, _line, line AS _raw${extracts.length ? ', ' + extracts.join(', ') : ''}
           FROM ss_lines WHERE ${IS_JSON_OBJECT}`,
        );
        await wh.exec(`CREATE TEMP VIEW ${n.src} AS SELECT * FROM ${n.data}`);
        break;
      }
      case 'whitespace': {
        await readLines(wh, readFrom, n);
        const header = fmt.header ?? (await headerOf(wh, file));
        const fields = header.map((h, i) => `f[${i + 1}] AS "${h.replaceAll('"', '""')}"`).join(', ');
        await wh.exec(
          `CREATE TEMP TABLE ss_split AS SELECT _line, line, regexp_split_to_array(trim(line), '\\s+') AS f FROM ss_lines
           WHERE _line > ${fmt.header ? 0 : 1}`,
        );
        await wh.exec(
          `INSERT INTO ${n.rejects} SELECT _line, NULL, 'malformed_row',
             'expected ' || ${header.length} || ' fields separated by spaces, found ' || len(f), line
           FROM ss_split WHERE len(f) <> ${header.length}`,
        );
        await wh.exec(
          `CREATE TEMP TABLE ${n.data} AS SELECT _line AS _row, _line, line AS _raw, ${fields} FROM ss_split WHERE len(f) = ${header.length}`,
        );
        await wh.exec(`CREATE TEMP VIEW ${n.src} AS SELECT * FROM ${n.data}`);
        await wh.exec('DROP TABLE ss_split');
        break;
      }
      case 'markdown': {
        // One question per heading, its answer the lines below it up to the next heading. A heading
        // with nothing below it is a section title, not an entry; text before the first heading
        // is reported, not dropped.
        await readLines(wh, readFrom, n);
        await wh.exec(
          `CREATE TEMP TABLE ss_md AS SELECT _line, line, is_heading,
             sum(CAST(is_heading AS INTEGER)) OVER (ORDER BY _line ROWS UNBOUNDED PRECEDING) AS section
           FROM (SELECT _line, line, regexp_matches(line, '^ {0,3}#{1,6}\\s') AS is_heading FROM ss_lines)`,
        );
        await wh.exec(
          `INSERT INTO ${n.rejects} SELECT _line, NULL, 'malformed_row',
             'text before the first heading (a Markdown FAQ has one question per heading)', line
           FROM ss_md WHERE section = 0`,
        );
        await wh.exec(
          `CREATE TEMP TABLE ${n.data} AS
           SELECT row_number() OVER (ORDER BY h._line) AS _row, h._line, h.line AS _raw,
                  trim(regexp_replace(regexp_replace(h.line, '^ {0,3}#+\\s*', ''), '\\s#+\\s*$', '')) AS question,
                  string_agg(trim(b.line), '\n' ORDER BY b._line) AS answer
           FROM ss_md h JOIN ss_md b ON b.section = h.section AND NOT b.is_heading
           WHERE h.is_heading
           GROUP BY h._line, h.line`,
        );
        await wh.exec(`CREATE TEMP VIEW ${n.src} AS SELECT * FROM ${n.data}`);
        await wh.exec('DROP TABLE ss_md');
        break;
      }
      case 'sequences': {
        await readLines(wh, readFrom, n);
        await wh.exec(
          `CREATE TEMP TABLE ss_split AS SELECT _line, line, string_split(regexp_replace(trim(line), '\\s+', ' ', 'g'), ' ') AS f
           FROM ss_lines`,
        );
        await wh.exec(
          `INSERT INTO ${n.rejects} SELECT _line, NULL, 'malformed_row', 'a sequence line needs a user and at least one item', line
           FROM ss_split WHERE len(f) < 2`,
        );
        // One row per item; position 1 is the user's first item.
        await wh.exec(
          `CREATE TEMP TABLE ${n.data} AS
           SELECT row_number() OVER (ORDER BY _line, position) AS _row, _line, line AS _raw, f[1] AS "user",
                  f[position + 1] AS item, CAST(position AS VARCHAR) AS position
           FROM (SELECT _line, line, f, unnest(range(1, len(f))) AS position FROM ss_split WHERE len(f) >= 2)`,
        );
        await wh.exec(`CREATE TEMP VIEW ${n.src} AS SELECT * FROM ${n.data}`);
        await wh.exec('DROP TABLE ss_split');
        break;
      }
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    throw new ImportError({ file: file.path }, describeReadError(err as Error, file));
  }
  const [{ rows = 0 } = {}] = await wh.rows<{ rows: number }>(`SELECT count(*) AS rows FROM ${n.src}`);
  const [{ rejected = 0 } = {}] = await wh.rows<{ rejected: number }>(
    `SELECT count(DISTINCT line) AS rejected FROM ${n.rejects}`,
  );
  const cols = await wh.rows<{ name: string }>(`DESCRIBE ${n.src}`);
  const columns = cols
    .map((c) => String(c['column_name' as 'name']))
    .filter((c) => !['_row', '_line', '_raw'].includes(c));
  return { columns, rows, rejectedLines: rejected, rowsById };
}

/** A CSV dialect the mapping fixes, with the field names of the file's first line. */
interface Dialect {
  readonly header: readonly string[];
  readonly delimiter: string;
  readonly quote: string;
}

/**
 * A CSV whose dialect the mapping gives is read with exactly that dialect: no sniffing (a few
 * lines of random bytes can defeat the sniffer, which then refuses the whole file) and lenient
 * quoting (a stray quote does not stop the reader). Rows with too many or too few fields are
 * found here rather than by DuckDB, which drops surplus fields in lenient mode: one column more
 * than the header catches surplus fields, and fields missing at the end are padded with NULL
 * while present but empty fields read as '' (nullstr is set to text no file holds).
 */
async function readFixedDialectCsv(
  wh: Warehouse,
  file: SourceFile,
  readFrom: string,
  delimiter: string,
  quote: string,
  n: StagingNames,
  lineCount: Promise<number>,
): Promise<SourceRowsById | undefined> {
  const fmt = file.format as { encoding?: string };
  const header = await readCsvHeader(file);
  const columns = [...header, EXTRA_FIELDS].map((c) => `${literal(c)}: 'VARCHAR'`).join(', ');
  const opts = [
    `columns = {${columns}}`,
    'header = true',
    'auto_detect = false',
    'strict_mode = false',
    'null_padding = true',
    `nullstr = E'${NO_FIELD}'`,
    `delim = ${literal(delimiter)}, quote = ${literal(quote)}, escape = ${literal(quote)}`,
    `buffer_size = ${CSV_READ_BYTES}, max_line_size = ${CSV_READ_BYTES}`,
    STORE_REJECTS,
    fmt.encoding ? `encoding = ${literal(fmt.encoding)}` : '',
  ].filter(Boolean);
  await wh.exec(
    `CREATE TEMP TABLE ${n.raw} AS SELECT * FROM read_csv(${literal(readFrom)}, ${opts.join(', ')})`,
  );
  const dialect = { header, delimiter, quote };
  if (await lineByLineReadsMore(wh, file, readFrom, dialect, n, await lineCount)) {
    await readCsvLineByLine(wh, file, readFrom, dialect, n);
    return undefined;
  }
  await collectRejects(wh, 1, n);
  const { last, extra, tooLong, tooLongWhole } = fieldChecks(header);
  const fields = header.map((h) => `coalesce(r.${ident(h)}, '')`).join(` || ${literal(delimiter)} || `);
  const numbering = await rowNumbering(wh, 1, n);
  const { row, line } = numbering;
  const malformed = `r.${extra} IS NOT NULL OR r.${last} IS NULL OR ${tooLongWhole}`;
  const rejectsBefore = await countOf(wh, `SELECT count(*) AS n FROM ${n.rejects}`);
  await wh.exec(
    `INSERT INTO ${n.rejects}
     SELECT ${line}, NULL, 'malformed_row',
            CASE WHEN ${tooLong} THEN 'the line holds more than ${MAX_LINE_BYTES.toLocaleString('en-US')} bytes (2 MiB)'
                 WHEN r.${extra} IS NOT NULL THEN 'more fields than the header''s ${header.length}'
                 ELSE 'fewer fields than the header''s ${header.length}' END,
            ${fields} || coalesce(${literal(delimiter)} || r.${extra}, '')
     FROM ${n.raw} r WHERE ${malformed}`,
  );
  // The quarantined rows leave the raw table (their row ids, hence the others' lines, stay as they
  // were), so that src is the raw table as is: a filter in the view would be evaluated on every
  // one of the file's rows by each of the five or so statements that read src (Online Retail:
  // about 0.1 s of CPU each). Usually there are none to delete.
  if ((await countOf(wh, `SELECT count(*) AS n FROM ${n.rejects}`)) > rejectsBefore)
    await wh.exec(`DELETE FROM ${n.raw} WHERE rowid IN (SELECT r.rowid FROM ${n.raw} r WHERE ${malformed})`);
  await wh.exec(
    `CREATE TEMP VIEW ${n.src} AS SELECT ${row} AS _row, ${line} AS _line, r.* EXCLUDE (${extra}) FROM ${n.raw} r`,
  );
  return rawRowsById(n, numbering, `r.* EXCLUDE (${extra})`);
}

/**
 * SQL over a raw row `r` of a fixed-dialect read: its last header field and the surplus-fields
 * column (NULL padding marks a short row, a surplus field a long one), and whether the row's fields
 * and delimiters exceed MAX_LINE_BYTES (the reader itself allows lines up to CSV_READ_BYTES).
 *
 * `tooLongWhole` is the same test for a row that has every header field and no surplus one (the
 * only rows `malformed` still asks it of): NULL padding is trailing and an empty field reads as ''
 * (nullstr), so such a row has no NULL field and its length is the plain sum. Without the
 * coalesce and + 1 per field it costs about half (Online Retail's 541,909 rows: 47-55 against
 * 102-131 ms of CPU, 4 alternating runs, load 17).
 */
function fieldChecks(header: readonly string[]): {
  last: string;
  extra: string;
  tooLong: string;
  tooLongWhole: string;
} {
  const extra = ident(EXTRA_FIELDS);
  const bytes = [...header.map(ident), extra].map((c) => `coalesce(strlen(r.${c}) + 1, 0)`).join(' + ');
  const wholeBytes = header.map((c) => `strlen(r.${ident(c)})`).join(' + ');
  return {
    last: ident(header[header.length - 1]!),
    extra,
    tooLong: `(${bytes} - 1 > ${MAX_LINE_BYTES})`,
    tooLongWhole: `(${wholeBytes} > ${MAX_LINE_BYTES - (header.length - 1)})`,
  };
}

/**
 * A quoted field may span lines, or a stray opening quote may have swallowed the lines after it
 * (into one field, or into one rejected record), hiding whole rows. Both show as fewer records
 * than the file has lines; then the file is also read line by line (each line parsed on its own)
 * and whichever reading yields more complete rows is the right one.
 */
async function lineByLineReadsMore(
  wh: Warehouse,
  file: SourceFile,
  readFrom: string,
  { header, delimiter, quote }: Dialect,
  n: StagingNames,
  lines: number,
): Promise<boolean> {
  const count = (sql: string): Promise<number> => countOf(wh, sql);
  const rejected = (await count(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'ss_reject_errors'`,
  ))
    ? await count('SELECT count(DISTINCT line) AS n FROM ss_reject_errors')
    : 0;
  const records = (await count(`SELECT count(*) AS n FROM ${n.raw}`)) + rejected;
  // The header is one of the lines and no record. (Not counted, e.g. an encoding the line count
  // cannot read: 0 lines, no second reading.)
  if (records >= lines - 1) return false;
  const { last, extra, tooLongWhole } = fieldChecks(header);
  const rows = await count(
    `SELECT count(*) AS n FROM ${n.raw} r WHERE r.${extra} IS NULL AND r.${last} IS NOT NULL AND NOT ${tooLongWhole}`,
  );
  const encoding = (file.format as { encoding?: string }).encoding;
  const reader = LINE_READER(readFrom, encoding).replace(
    /store_rejects = true.*'ss_reject_scans'/,
    'ignore_errors = true',
  );
  // Counts the header line too (it splits into the header's fields): hence the - 1.
  const complete = await count(
    `SELECT count(*) AS n FROM (
       SELECT ${splitFieldsSql('line', delimiter, quote)} AS f, line FROM (SELECT rtrim(line, E'\\r') AS line FROM ${reader}))
     WHERE ${wholeLineSql(delimiter)} AND len(f) = ${header.length}`,
  );
  return complete - 1 > rows;
}

/** The fields of one CSV line: quoted (doubled quotes inside) or unquoted (not starting with a quote). */
function splitFieldsSql(line: string, delimiter: string, quote: string): string {
  const [d, q] = [reEscape(delimiter), reEscape(quote)];
  const field = `(?:^|${d})(${q}(?:[^${q}]|${q}${q})*${q}|(?:[^${d}${q}][^${d}]*)?)`;
  return `regexp_extract_all(${line}, ${literal(field)}, 1)`;
}

/** The split fields `f` make up the whole `line` (else a quote is unbalanced). */
function wholeLineSql(delimiter: string): string {
  return `array_to_string(f, ${literal(delimiter)}) = line`;
}

/**
 * The reading used when a stray quote would swallow lines: each line is parsed on its own, so a
 * line with an unbalanced quote is quarantined alone and the lines after it read normally. (Quoted
 * fields cannot span lines here: in a file with both, the lines of a multi-line value are
 * quarantined, each with its line number.)
 */
async function readCsvLineByLine(
  wh: Warehouse,
  file: SourceFile,
  readFrom: string,
  { header, delimiter, quote }: Dialect,
  n: StagingNames,
): Promise<void> {
  await wh.exec(`DROP TABLE ${n.raw}`);
  await wh.exec(`DELETE FROM ${n.rejects}`);
  await wh.exec('DROP TABLE IF EXISTS ss_reject_errors');
  await wh.exec('DROP TABLE IF EXISTS ss_reject_scans');
  await readLines(wh, readFrom, n, (file.format as { encoding?: string }).encoding);
  await wh.exec(
    `CREATE TEMP TABLE ss_split AS
     SELECT _line, line, ${splitFieldsSql('line', delimiter, quote)} AS f
     FROM (SELECT _line, rtrim(line, E'\\r') AS line FROM ss_lines WHERE _line > 1)`,
  );
  const whole = wholeLineSql(delimiter);
  await wh.exec(
    `INSERT INTO ${n.rejects}
     SELECT _line, NULL, 'malformed_row',
            CASE WHEN NOT ${whole} THEN 'a quote on this line is not closed (or is followed by text before the delimiter)'
                 WHEN len(f) > ${header.length} THEN 'more fields than the header''s ${header.length}'
                 ELSE 'fewer fields than the header''s ${header.length}' END,
            line
     FROM ss_split WHERE NOT ${whole} OR len(f) <> ${header.length}`,
  );
  const unquote = (x: string): string =>
    `CASE WHEN starts_with(${x}, ${literal(quote)}) THEN replace(substring(${x}, 2, length(${x}) - 2), ${literal(quote + quote)}, ${literal(quote)}) ELSE ${x} END`;
  const cols = header.map((h, i) => `${unquote(`f[${i + 1}]`)} AS ${ident(h)}`).join(', ');
  await wh.exec(
    `CREATE TEMP TABLE ${n.data} AS SELECT _line AS _row, _line, ${cols}
     FROM ss_split WHERE ${whole} AND len(f) = ${header.length}`,
  );
  await wh.exec(`CREATE TEMP VIEW ${n.src} AS SELECT * FROM ${n.data}`);
  await wh.exec('DROP TABLE ss_split');
}

function reEscape(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');
}

/** Lines of a text file, numbered from 1 exactly (blank lines dropped: they hold no row). */
async function readLines(wh: Warehouse, path: string, n: StagingNames, encoding?: string): Promise<void> {
  await wh.exec(`CREATE TEMP TABLE ${n.raw} AS SELECT * FROM ${LINE_READER(path, encoding)}`);
  await collectRejects(wh, 0, n);
  await wh.exec('DROP TABLE IF EXISTS ss_lines');
  // Rejected lines (invalid UTF-8) are missing from the raw table: number the rest around them.
  const base = await firstRowId(wh, n);
  await wh.exec(
    `CREATE TEMP TABLE ss_lines AS SELECT ${lineNumberSql(0, base)} AS _line, line FROM ${n.raw} r
     WHERE line IS NOT NULL AND trim(line) <> ''`,
  );
  await wh.exec(`DROP TABLE ${n.raw}`);
}

/**
 * The src view is the raw table plus `_row` and `_line`. Row ids of a table created inside a
 * transaction do not start at 0, hence the base.
 */
async function numberRows(wh: Warehouse, headerLines: number, n: StagingNames): Promise<SourceRowsById> {
  const numbering = await rowNumbering(wh, headerLines, n);
  const { row, line } = numbering;
  // A view, not a copy: the frame builder reads the file's rows once.
  await wh.exec(`CREATE TEMP VIEW ${n.src} AS SELECT ${row} AS _row, ${line} AS _line, r.* FROM ${n.raw} r`);
  return rawRowsById(n, numbering, 'r.*');
}

/** How src numbers a row `r` of the raw table: `_row` and `_line` as SQL, and the first row id. */
interface RowNumbering {
  readonly row: string;
  readonly line: string;
  readonly base: string;
}

/**
 * SourceRowsById of a src view over the raw table: `_row` is the row id less `base`. Only rows the
 * view keeps are ever asked for (the ids come from src itself), so its filter is not repeated.
 */
function rawRowsById(n: StagingNames, { row, line, base }: RowNumbering, fields: string): SourceRowsById {
  return (ids) =>
    `SELECT ${row} AS _row, ${line} AS _line, ${fields} FROM ${n.raw} r
     WHERE r.rowid IN (SELECT _id + ${base} FROM (${ids}) AS ss_ids(_id))`;
}

/** SQL for `_row` and `_line` of a row `r` of the raw table. */
async function rowNumbering(wh: Warehouse, headerLines: number, n: StagingNames): Promise<RowNumbering> {
  const base = await firstRowId(wh, n);
  const [{ rejected = 0 } = {}] = await wh.rows<{ rejected: number }>(
    'SELECT count(*) AS rejected FROM ss_reject_lines',
  );
  // Without rejected lines (the usual case) the line is a plain offset; no join needed.
  const line = rejected === 0 ? `(r.rowid - ${base} + 1 + ${headerLines})` : lineNumberSql(headerLines, base);
  return { row: `r.rowid - ${base}`, line, base };
}

/** Drop everything stageSource creates (also after a finished file, to free memory). */
export async function dropStaging(wh: Warehouse, n: StagingNames): Promise<void> {
  await wh.exec(`DROP VIEW IF EXISTS ${n.src}`);
  for (const t of [n.raw, 'ss_lines', 'ss_split', n.data]) await wh.exec(`DROP TABLE IF EXISTS ${t}`);
}

/** The number `sql` selects as `n`. */
async function countOf(wh: Warehouse, sql: string): Promise<number> {
  return (await wh.rows<{ n: number }>(sql))[0]?.n ?? 0;
}

async function firstRowId(wh: Warehouse, n: StagingNames): Promise<string> {
  // As text: row ids inside a transaction start near 2^55, beyond a double's exact integers.
  const [{ base = '0' } = {}] = await wh.rows<{ base: string }>(
    `SELECT CAST(coalesce(min(rowid), 0) AS VARCHAR) AS base FROM ${n.raw}`,
  );
  return base;
}

/**
 * Row k (0-based) of the rows DuckDB kept sits on file line k + 1 + headerLines + (rejected lines
 * before it). Rejected line j (1-based, ascending) has (line_j - headerLines - j) kept rows before it.
 */
function lineNumberSql(headerLines: number, base: string): string {
  return `(r.rowid - ${base} + 1 + ${headerLines} + (SELECT count(*) FROM ss_reject_lines x WHERE x.kept_before <= r.rowid - ${base}))`;
}

async function collectRejects(wh: Warehouse, headerLines: number, n: StagingNames): Promise<void> {
  const exists = await wh.rows("SELECT 1 FROM duckdb_tables() WHERE table_name = 'ss_reject_errors'");
  await wh.exec('DROP TABLE IF EXISTS ss_reject_lines');
  if (!exists.length) {
    await wh.exec('CREATE TEMP TABLE ss_reject_lines (line BIGINT, kept_before BIGINT)');
    return;
  }
  // One quarantine row per rejected line (DuckDB may report several errors on one line).
  await wh.exec(
    `INSERT INTO ${n.rejects}
     SELECT line, column_name,
            CASE WHEN error_type IN ('INVALID ENCODING', 'INVALID UNICODE') THEN 'invalid_encoding' ELSE 'malformed_row' END,
            error_message, coalesce(csv_line, '')
     FROM (SELECT *, row_number() OVER (PARTITION BY line ORDER BY column_idx) AS k FROM ss_reject_errors) WHERE k = 1`,
  );
  await wh.exec(
    `CREATE TEMP TABLE ss_reject_lines AS
     SELECT line, line - ${headerLines} - row_number() OVER (ORDER BY line) AS kept_before
     FROM (SELECT DISTINCT line FROM ss_reject_errors)`,
  );
}

async function headerOf(wh: Warehouse, file: SourceFile): Promise<string[]> {
  const first = await wh.rows<{ line: string }>('SELECT line FROM ss_lines WHERE _line = 1');
  if (!first.length)
    throw new ImportError({ file: file.path, line: 1 }, 'the first line should name the fields');
  return first[0]!.line.trim().split(/\s+/);
}

function jsonKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : `"${k.replaceAll('"', '\\"')}"`;
}

function describeReadError(err: Error, file: SourceFile): string {
  const msg = err.message.split('\n')[0] ?? err.message;
  if (file.compressed && /gzip|compress|inflate|truncat|unexpected end/i.test(err.message)) {
    return `the gzip stream is damaged or truncated (${msg})`;
  }
  if (/No files found|could not be found|No such file/i.test(err.message)) return 'no such file';
  if (/sniffing/i.test(err.message) && file.format.kind === 'csv') {
    return (
      `cannot read the file: DuckDB could not guess its CSV dialect (${msg}). Give it in the mapping, ` +
      `e.g. format: { kind: csv, delimiter: "," }: the file is then read without guessing and lines ` +
      `that cannot be parsed are quarantined`
    );
  }
  return `cannot read the file: ${msg}`;
}
