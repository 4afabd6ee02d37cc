/**
 * @module warehouse/import/check-frame
 * Whole-file sanity checks on a built frame, for the mistakes that quarantining row by row hides:
 * a mapping that is wrong for the file (a date format that fits no row, a column of `NA`s), and a
 * mapping that imports cleanly but gives implausible numbers (a line total read as a unit price).
 * The first kind stops the import before anything is written; the second is reported as a warning.
 *
 * "Most rows": a column fails the file when its value cannot be used (not convertible to its type,
 * or empty while required) in more than half of the rows the file holds. A few bad rows are the
 * data's fault and are quarantined; a majority is the mapping's fault.
 */
import { ImportError } from '../../ingest/errors.js';
import type { Mapping, SourceExpr } from '../../ingest/mapping.js';
import { ident, literal } from '../duckdb/sql-types.js';
import type { Warehouse } from '../warehouse.js';
import { sourceColumnOf, trimSql } from './compile-expr.js';
import type { StagingNames } from './staging-names.js';

/** More than this share of a file's rows failing on one column stops the import. */
export const MOST_ROWS = 0.5;

/** Failure reasons that say the column's value is unusable (not a business rule like zero price). */
const UNUSABLE = ['missing_required', 'invalid_number', 'invalid_timestamp', 'invalid_boolean'];

/** Date/time layouts tried on failing values to suggest a `format:` (day-first and month-first both). */
const CANDIDATE_FORMATS = [
  '%d/%m/%Y %H:%M:%S',
  '%d/%m/%Y %H:%M',
  '%d/%m/%Y',
  '%m/%d/%Y %H:%M:%S',
  '%m/%d/%Y %H:%M',
  '%m/%d/%Y',
  '%d.%m.%Y %H:%M',
  '%d.%m.%Y',
  '%d-%m-%Y %H:%M',
  '%d-%m-%Y',
  '%Y/%m/%d %H:%M:%S',
  '%Y/%m/%d',
  '%Y%m%d',
  '%d %b %Y',
  '%b %d, %Y',
];

/** Tokens exports write for "no value" (R and pandas: NA, NaN; spreadsheets: #N/A). */
const NULL_TOKENS = ['NA', 'N/A', 'NaN', 'nan', 'NULL', 'null', 'None', '#N/A'];
/** Longest token plus surrounding spaces worth trimming: longer values skip the comparison. */
const MAX_TOKEN_BYTES = 8;

type ColumnFailure = {
  column: string;
  reason: string;
  n: number;
};

/**
 * Throws when one column fails for most of the file's rows, naming the file, the column, the count,
 * examples, and what to change in the mapping (`format:` with the formats tried, or `nulls:`).
 */
export async function failOnMostlyBadColumn(
  wh: Warehouse,
  file: string,
  mapping: Mapping,
  sourceColumns: readonly string[],
  rows: number,
  n: StagingNames,
): Promise<void> {
  if (rows === 0) return;
  const failures = await wh.rows<ColumnFailure>(
    `SELECT _err."column" AS "column", _err.reason AS reason, count(*) AS n FROM ${n.frame}
     WHERE _err.reason IN (${UNUSABLE.map(literal).join(', ')}) GROUP BY ALL ORDER BY n DESC LIMIT 1`,
  );
  const worst = failures[0];
  if (!worst || worst.n <= rows * MOST_ROWS) return;
  const examples = await wh.rows<{ line: number; detail: string }>(
    `SELECT _line AS line, _err.detail AS detail FROM ${n.frame}
     WHERE _err."column" = ? AND _err.reason = ? ORDER BY _row LIMIT 3`,
    [worst.column, worst.reason],
  );
  const target = Object.entries(mapping.columns).find(([, e]) => sourceColumnOf(e) === worst.column);
  const [canonical, expr] = target ?? ['?', worst.column];
  const share = Math.round((100 * worst.n) / rows);
  let advice = '';
  if (sourceColumns.includes(worst.column)) {
    const tokens = await nullTokensIn(wh, worst.column, n, mapping);
    if (tokens.length) {
      advice += ` The values include ${tokens.map((t) => `'${t}'`).join(', ')}: if that means "no value", add nulls: [${tokens.join(', ')}] to the mapping.`;
    }
  }
  if (worst.reason === 'invalid_timestamp') {
    const suggested = sourceColumns.includes(worst.column) ? await suggestFormats(wh, worst.column, n) : [];
    advice +=
      ` Formats tried: ${formatsTried(expr)}. Give the column's layout with the format: option,` +
      ` e.g. ${canonical}: { column: ${worst.column}, format: "${suggested[0] ?? '%d/%m/%Y'}" }` +
      (suggested.length > 1
        ? ` (these fit every value checked: ${suggested.map((f) => `"${f}"`).join(', ')}; choose the one the export uses)`
        : suggested.length
          ? ' (it fits every value checked)'
          : '') +
      '.';
  }
  throw new ImportError(
    { file, column: worst.column },
    `${worst.n.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} rows (${share}%) have no usable ` +
      `${canonical} (${worst.reason}), more than half, so the mapping looks wrong for this file and nothing ` +
      `was imported. Examples: ${examples.map((e) => `line ${e.line}: ${e.detail}`).join('; ')}.${advice}`,
  );
}

/** Throws when no row of the file could be imported; the examples come from the quarantine rows. */
export async function failOnNothingImported(
  wh: Warehouse,
  file: string,
  rowsRead: number,
  importId: string,
): Promise<void> {
  const reasons = await wh.rows<{ reason: string; n: number }>(
    `SELECT reason, count(*) AS n FROM quarantine WHERE import_id = ? AND source = ? GROUP BY reason ORDER BY n DESC, reason`,
    [importId, file],
  );
  const examples = await wh.rows<{ line: number; column: string | null; detail: string }>(
    `SELECT line, "column", detail FROM quarantine WHERE import_id = ? AND source = ? ORDER BY line LIMIT 3`,
    [importId, file],
  );
  throw new ImportError(
    { file },
    `no row could be imported: all ${rowsRead.toLocaleString('en-US')} rows were quarantined ` +
      `(${reasons.map((r) => `${r.reason} ${r.n.toLocaleString('en-US')}`).join(', ')}), so nothing was written. ` +
      `Examples: ${examples.map((e) => `line ${e.line}${e.column ? ` column ${e.column}` : ''}: ${e.detail}`).join('; ')}.`,
  );
}

/**
 * A unit price that grows in step with the quantity is a line total (quantity x price) read as a
 * unit price, which multiplies revenue by the quantity. Measured as the slope of log(unit price)
 * on log(quantity) within each product (a price list gives about 0, a line total about 1), over
 * lines whose quantity differs from their product's mean. The means come from a GROUP BY joined
 * back (a hash table of products), not a window partitioned by product (a sort of every line).
 */
export async function lineTotalAsUnitPriceWarning(
  wh: Warehouse,
  file: string,
  mapping: Mapping,
  n: StagingNames,
): Promise<string | undefined> {
  const expr = mapping.columns['unit_price'];
  if (mapping.frame !== 'order_lines' || expr === undefined || 'line_total' in mapping.columns) return;
  const [r] = await wh.rows<{ slope: number | null; lines: number; as_mapped: number; as_total: number }>(
    `WITH l AS (
       SELECT product_id, ln(abs(quantity)) AS lq, ln(unit_price) AS lp, abs(quantity) * unit_price AS as_mapped,
              unit_price AS as_total
       FROM ${n.frame} WHERE _err IS NULL AND unit_price > 0 AND quantity <> 0
     ), m AS (
       SELECT product_id, avg(lq) AS mq, avg(lp) AS mp FROM l GROUP BY product_id
     ), d AS (
       SELECT lq - mq AS dq, lp - mp AS dp, as_mapped, as_total FROM l JOIN m USING (product_id)
     )
     SELECT sum(dq * dp) / nullif(sum(dq * dq), 0) AS slope, count(*) FILTER (WHERE abs(dq) > 1e-9) AS lines,
            CAST(sum(as_mapped) AS DOUBLE) AS as_mapped, CAST(sum(as_total) AS DOUBLE) AS as_total
     FROM d`,
  );
  if (!r || r.slope === null || r.lines < 10 || r.slope < 0.5) return;
  const money = (v: number): string => v.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return (
    `${file}: column ${sourceColumnOf(expr)}, mapped as unit_price, grows with the quantity ` +
    `(slope ${r.slope.toFixed(2)} of log price on log quantity within products, over ${r.lines.toLocaleString('en-US')} lines; ` +
    `a price list gives about 0): it looks like a line total (quantity x price). Revenue as mapped is ` +
    `${money(r.as_mapped)}; read as line totals it would be ${money(r.as_total)}. If the column is the ` +
    `line's amount, map it as line_total instead of unit_price.`
  );
}

/**
 * Text columns whose values are an export's "no value" token (e.g. 528 titles that read "NA"):
 * worth a warning, since text never fails to convert and the token would be stored as a title.
 */
export async function nullTokenWarnings(
  wh: Warehouse,
  file: string,
  mapping: Mapping,
  sourceColumns: readonly string[],
  n: StagingNames,
): Promise<string[]> {
  const out: string[] = [];
  const columns = [
    ...new Set(
      Object.values(mapping.columns)
        .map(sourceColumnOf)
        .filter((c) => sourceColumns.includes(c)),
    ),
  ];
  if (!columns.length) return out;
  // One pass finds the columns holding a token at all (usually none); only those are broken down.
  const [hits = {}] = await wh.rows<Record<string, number>>(
    `SELECT ${columns
      .map((c, i) => {
        const tokens = unsetTokens(mapping, c);
        // CASE, not AND: both sides of an AND are evaluated for every row. A value that trims to a
        // token holds the token's first character: testing for those first (contains, a byte
        // search) spares the trim and the comparisons on the numbers and codes that make up most
        // short fields (Online Retail: 164-203 against 260-334 ms of CPU, 4 alternating runs, load 17).
        const firsts = [...new Set(tokens.map((t) => t[0]!))];
        const mayHold = firsts.map((ch) => `contains(${ident(c)}, ${literal(ch)})`).join(' OR ');
        return tokens.length
          ? `count(*) FILTER (WHERE CASE WHEN strlen(${ident(c)}) <= ${MAX_TOKEN_BYTES} AND (${mayHold}) THEN ${trimSql(ident(c))} IN (${tokens.map(literal).join(', ')}) END) AS c${i}`
          : `0 AS c${i}`;
      })
      .join(', ')} FROM ${n.src}`,
  );
  for (const [i, column] of columns.entries()) {
    if (!hits[`c${i}`]) continue;
    const counts = await tokenCounts(wh, column, n, mapping);
    for (const { token, n: count } of counts) {
      out.push(
        `${file}: column ${column} holds '${token}' in ${count.toLocaleString('en-US')} row${count === 1 ? '' : 's'}; ` +
          `it is kept as text. If it means "no value", add nulls: [${token}] to the mapping.`,
      );
    }
  }
  return out;
}

/** The "no value" tokens a column's mapping does not already declare. */
function unsetTokens(mapping: Mapping, column: string): string[] {
  const given = new Set([...(mapping.nulls ?? []), ...columnNulls(mapping, column)]);
  return NULL_TOKENS.filter((t) => !given.has(t));
}

async function tokenCounts(
  wh: Warehouse,
  column: string,
  n: StagingNames,
  mapping: Mapping,
): Promise<{ token: string; n: number }[]> {
  const tokens = unsetTokens(mapping, column);
  if (!tokens.length) return [];
  return wh.rows<{ token: string; n: number }>(
    `SELECT trim(${ident(column)}) AS token, count(*) AS n FROM ${n.src}
     WHERE trim(${ident(column)}) IN (${tokens.map(literal).join(', ')}) GROUP BY ALL ORDER BY n DESC`,
  );
}

async function nullTokensIn(
  wh: Warehouse,
  column: string,
  n: StagingNames,
  mapping: Mapping,
): Promise<string[]> {
  return (await tokenCounts(wh, column, n, mapping)).map((t) => t.token);
}

function columnNulls(mapping: Mapping, column: string): readonly string[] {
  return Object.values(mapping.columns).flatMap((e) =>
    typeof e === 'object' && 'column' in e && e.column === column ? (e.nulls ?? []) : [],
  );
}

/** Candidate layouts that parse every one of (up to 200) failing values, best first. */
async function suggestFormats(wh: Warehouse, column: string, n: StagingNames): Promise<string[]> {
  const c = ident(column);
  const fits = CANDIDATE_FORMATS.map(
    (f, i) => `count(*) FILTER (WHERE try_strptime(v, ${literal(f)}) IS NOT NULL) AS f${i}`,
  );
  const [r] = await wh.rows<Record<string, number>>(
    `SELECT count(*) AS total, ${fits.join(', ')} FROM (
       SELECT trim(s.${c}) AS v FROM ${n.src} s JOIN ${n.frame} f USING (_row)
       WHERE f._err.reason = 'invalid_timestamp' AND f._err."column" = ${literal(column)} LIMIT 200)`,
  );
  if (!r || !r['total']) return [];
  return CANDIDATE_FORMATS.filter((_, i) => r[`f${i}`] === r['total']);
}

function formatsTried(expr: SourceExpr): string {
  const f = typeof expr === 'object' && 'column' in expr ? expr.format : undefined;
  if (f === undefined)
    return 'ISO 8601 only (2024-01-31 or 2024-01-31 13:45:00, optionally with an offset), as no format: is given';
  return (typeof f === 'string' ? [f] : f).map((x) => `"${x}"`).join(', ');
}
