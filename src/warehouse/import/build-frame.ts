/**
 * @module warehouse/import/build-frame
 * From the staged source (the src view) builds the frame table: one row per source row with every canonical
 * column typed, and `_err`, the first reason the row cannot be used (NULL when it can). For
 * order_lines, `_order_ok` says whether the row's order-level fields are sound: a line can be
 * quarantined (zero price, say) while its invoice still counts as an order.
 *
 * Checks, in order: required fields, types, allowed values and ranges, exact duplicates of an
 * earlier line, then (after the frame exists) duplicate keys and references to unknown products.
 */
import { ImportError } from '../../ingest/errors.js';
import { FRAMES, type FrameColumn } from '../../ingest/frames.js';
import { nullsFor, type Mapping, type SourceExpr } from '../../ingest/mapping.js';
import { NAME_COLUMNS, PERSONAL_COLUMNS, type PseudonymKey } from '../../ingest/pseudonymise.js';
import { closestName } from '../../ingest/suggest.js';
import { EVENT_TYPES, ORDER_STATUSES, type QuarantineReason } from '../../schema/tables.js';
import { ident, literal } from '../duckdb/sql-types.js';
import type { Warehouse } from '../warehouse.js';
import type { SourceRowsById } from './stage-source.js';
import type { StagingNames } from './staging-names.js';
import {
  INVALID_REASON,
  TYPE_WORDS,
  compileTextExpr,
  compileTypedExpr,
  formatWords,
  referencedColumns,
  sourceColumnOf,
} from './compile-expr.js';

export interface BuildFrameInput {
  readonly file: string;
  readonly mapping: Mapping;
  readonly sourceColumns: readonly string[];
  /** Partition key for exact duplicates: all source columns, or the raw line for line formats. */
  readonly duplicateKey: readonly string[] | null;
  readonly pseudonymKey?: PseudonymKey;
  /** The source has one text line per row (`_raw`), quoted as is in the quarantine. */
  readonly lineFormat: boolean;
  /** Rows of the src view by `_row` (stage-source.ts). */
  readonly rowsById: SourceRowsById;
}

interface Check {
  readonly cond: string;
  readonly reason: QuarantineReason;
  readonly column: string;
  readonly detail: string;
  /** Order-level field of order_lines. */
  readonly header: boolean;
}

const CANCELLED = `('cancelled', 'returned')`;

/** Fail before reading data when the mapping names source columns the file does not have. */
export function checkMappedColumns(input: BuildFrameInput): void {
  const available = new Set(input.sourceColumns);
  for (const [target, expr] of Object.entries(input.mapping.columns)) {
    for (const col of referencedColumns(expr)) {
      if (!available.has(col)) {
        const hint = closestName(col, input.sourceColumns);
        throw new ImportError(
          { file: input.file, line: 1, column: col },
          `the mapping reads column '${col}' for ${target}, but the file has no such column` +
            `${hint ? ` (did you mean '${hint}'?)` : ''}; its columns are: ${input.sourceColumns.join(', ')}`,
        );
      }
    }
  }
}

export async function buildFrame(wh: Warehouse, input: BuildFrameInput, n: StagingNames): Promise<void> {
  const { mapping } = input;
  const frame = FRAMES[mapping.frame];
  const exprs = new Map<string, SourceExpr>(Object.entries(mapping.columns));
  // Defaults that make a mapping short: a status-less order is placed; unflagged products are goods.
  if (!exprs.has('status') && frame.columns.some((c) => c.name === 'status'))
    exprs.set('status', { value: 'placed' });
  if (frame.columns.some((c) => c.name === 'is_merchandise') && !exprs.has('is_merchandise')) {
    exprs.set('is_merchandise', { value: true });
  }
  const mapped = frame.columns.filter((c) => exprs.has(c.name));

  const textCols = mapped.map((c) => {
    let sql = compileTextExpr(exprs.get(c.name)!, nullsFor(mapping, exprs.get(c.name)!));
    if (input.pseudonymKey && (PERSONAL_COLUMNS as readonly string[]).includes(c.name)) {
      sql = pseudonymSql(sql, input.pseudonymKey);
    }
    if (input.pseudonymKey && (NAME_COLUMNS as readonly string[]).includes(c.name))
      sql = 'CAST(NULL AS VARCHAR)';
    return `${sql} AS ${ident('r_' + c.name)}`;
  });
  const typedCols = mapped.map(
    (c) =>
      `${compileTypedExpr(ident('r_' + c.name), c.type, exprs.get(c.name)!, input.file)} AS ${ident(c.name)}`,
  );
  const checks = mapped.flatMap((c) => columnChecks(c, exprs.get(c.name)!, mapping.frame, exprs));
  const errCase = (list: Check[]): string =>
    list.length
      ? `CASE ${list
          .map(
            (k) =>
              `WHEN ${k.cond} THEN struct_pack(reason := ${literal(k.reason)}, "column" := ${literal(k.column)}, detail := ${k.detail})`,
          )
          .join(' ')} END`
      : `NULL::STRUCT(reason VARCHAR, "column" VARCHAR, detail VARCHAR)`;
  const isLines = mapping.frame === 'order_lines';
  // A line total without a unit price: the unit price is derived (the total itself is kept exactly).
  const derivedUnitPrice =
    isLines && exprs.has('line_total') && !exprs.has('unit_price')
      ? `, CAST(abs(line_total) / nullif(abs(quantity), 0) AS DECIMAL(18,4)) AS unit_price`
      : '';
  const headerChecks = checks.filter((k) => !isLines || k.header);
  const lineChecks = isLines ? checks.filter((k) => !k.header) : [];
  // Exact duplicates: a 64-bit hash of the source fields is kept per row; markDuplicates groups
  // by it afterwards and confirms field by field, so a hash collision never quarantines a row.
  const hashed = input.duplicateKey
    ? `hash(${input.duplicateKey.map((c) => `s.${ident(c)}`).join(', ')})`
    : 'NULL::UBIGINT';

  await wh.exec(`DROP TABLE IF EXISTS ${n.frame}`);
  await wh.exec(`
    CREATE TEMP TABLE ${n.frame} AS
    WITH src AS (
      SELECT s._row, s._line, ${hashed} AS _h, ${textCols.join(', ')} FROM ${n.src} s
    ), typed AS (
      SELECT *, ${typedCols.join(', ')} FROM src
    ), checked AS (
      SELECT *, ${errCase(headerChecks)} AS _order_err, ${errCase(lineChecks)} AS _line_err FROM typed
    )
    SELECT _row, _line, _h, ${mapped.map((c) => ident(c.name)).join(', ')}${derivedUnitPrice},
           _order_err IS NULL AS _order_ok,
           coalesce(_order_err, _line_err) AS _err
    FROM checked`);
  if (input.duplicateKey) await markDuplicates(wh, input.duplicateKey, input.rowsById, n);
}

/**
 * Quarantine rows that repeat an earlier row of the file exactly. Candidates share a hash; each is
 * compared field by field with the group's first row before it is flagged. Rows already
 * quarantined for another reason keep that reason.
 */
async function markDuplicates(
  wh: Warehouse,
  key: readonly string[],
  rowsById: SourceRowsById,
  n: StagingNames,
): Promise<void> {
  const same = key.map((c) => `a.${ident(c)} IS NOT DISTINCT FROM b.${ident(c)}`).join(' AND ');
  await wh.exec(`CREATE OR REPLACE TEMP TABLE ss_dup_groups AS
    SELECT _h, min(_row) AS first_row FROM ${n.frame} GROUP BY _h HAVING count(*) > 1`);
  const [{ groups = 0 } = {}] = await wh.rows<{ groups: number }>(
    'SELECT count(*) AS groups FROM ss_dup_groups',
  );
  if (groups === 0) {
    // The usual case for clean exports: no candidates, so no second pass over the source.
    await wh.exec('DROP TABLE ss_dup_groups');
    return;
  }
  await wh.exec(`
    CREATE OR REPLACE TEMP TABLE ss_dups AS
    WITH groups AS (SELECT * FROM ss_dup_groups), pairs AS (
      SELECT f._row, g.first_row FROM ${n.frame} f JOIN groups g USING (_h) WHERE f._row <> g.first_row
    ), rows AS (
      ${rowsById('SELECT _row FROM pairs UNION ALL SELECT first_row FROM pairs')}
    )
    SELECT p._row, b._line AS first_line FROM pairs p JOIN rows a ON a._row = p._row JOIN rows b ON b._row = p.first_row
    WHERE ${same}`);
  await wh.exec(`
    UPDATE ${n.frame} f SET _err = struct_pack(reason := 'duplicate_row', "column" := NULL::VARCHAR,
      detail := 'an exact copy of line ' || d.first_line)
    FROM ss_dups d WHERE f._row = d._row AND f._err IS NULL`);
  await wh.exec('DROP TABLE ss_dups');
  await wh.exec('DROP TABLE ss_dup_groups');
}

/** Quarantine rows (still unflagged) whose key repeats an earlier row of the same file. */
export async function flagDuplicateKeys(
  wh: Warehouse,
  key: readonly string[],
  n: StagingNames,
): Promise<void> {
  const k = key.map(ident).join(', ');
  await wh.exec(`
    UPDATE ${n.frame} f SET _err = struct_pack(reason := 'duplicate_key', "column" := ${literal(key.join('+'))},
      detail := 'same ' || ${literal(key.join(' + '))} || ' as line ' || d.first_line || ' but different content')
    FROM (SELECT _row, row_number() OVER (PARTITION BY ${k} ORDER BY _row) AS n,
                 first_value(_line) OVER (PARTITION BY ${k} ORDER BY _row) AS first_line
          FROM ${n.frame} WHERE _err IS NULL) d
    WHERE f._row = d._row AND d.n > 1`);
}

/** Quarantine rows whose `column` value is not in `table`.`tableKey` (nor produced by this file). */
export async function flagUnknownReferences(
  wh: Warehouse,
  n: StagingNames,
  column: string,
  table: string,
  tableKey: string,
  reason: QuarantineReason,
  words: string,
): Promise<void> {
  await wh.exec(`
    UPDATE ${n.frame} f SET _err = struct_pack(reason := ${literal(reason)}, "column" := ${literal(column)},
      detail := ${literal(words + ' ')} || ('''' || f.${ident(column)} || '''') || ' is not in the ${table} table')
    WHERE f._err IS NULL AND f.${ident(column)} IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM ${ident(table)} t WHERE t.${ident(tableKey)} = f.${ident(column)})`);
}

function columnChecks(
  c: FrameColumn,
  expr: SourceExpr,
  frame: string,
  exprs: Map<string, SourceExpr>,
): Check[] {
  const r = ident('r_' + c.name);
  const t = ident(c.name);
  const src = sourceColumnOf(expr);
  const header = Boolean(c.header);
  const shown = `('''' || left(${r}, 100) || '''')`;
  const out: Check[] = [];
  const add = (cond: string, reason: QuarantineReason, detail: string): void => {
    out.push({ cond, reason, column: src, detail, header });
  };
  if (c.required)
    add(`${r} IS NULL`, 'missing_required', literal(`${c.name} is required but ${src} is empty`));
  if (c.type !== 'text') {
    add(
      `${r} IS NOT NULL AND ${t} IS NULL`,
      INVALID_REASON[c.type] as QuarantineReason,
      `${shown} || ${literal(` is not ${TYPE_WORDS[c.type]}${formatWords(expr)}`)}`,
    );
  }
  if (c.type === 'timestamp') {
    add(
      `${t} < TIMESTAMP '1990-01-01' OR ${t} > now()::TIMESTAMP + INTERVAL 1 DAY`,
      'timestamp_out_of_range',
      `${shown} || ' is before 1990 or in the future'`,
    );
  }
  const oneOf = (values: readonly string[]): void =>
    add(
      `${t} NOT IN (${values.map(literal).join(', ')})`,
      'invalid_value',
      `${shown} || ${literal(` is not one of ${values.join(', ')}`)}`,
    );
  if (c.name === 'status') oneOf(ORDER_STATUSES);
  if (c.name === 'status_changed_at')
    add(`${t} < "ordered_at"`, 'invalid_value', `${shown} || ' is before the order time (ordered_at)'`);
  if (c.name === 'type' && frame === 'events') oneOf(EVENT_TYPES);
  if (c.name === 'kind' && frame === 'knowledge') oneOf(['faq', 'policy', 'product']);
  // A constant currency (Online Retail's GBP) is checked here once, not by a regular expression on
  // every row (about 50-80 ms of CPU on Online Retail's 541,909 rows, 4 alternating runs, load 13);
  // an invalid constant still quarantines every row with the reason below.
  const validConstant =
    typeof expr === 'object' &&
    'value' in expr &&
    (expr.value === null || (typeof expr.value === 'string' && /^[A-Z]{3}$/.test(expr.value)));
  if (c.name === 'currency' && !validConstant) {
    add(
      `NOT regexp_full_match(${t}, '[A-Z]{3}')`,
      'invalid_value',
      `${shown} || ' is not an ISO 4217 currency code'`,
    );
  }
  if (c.name === 'rating')
    add(`${t} < 1 OR ${t} > 5`, 'invalid_value', `${shown} || ' is not a rating from 1 to 5'`);
  if (c.name === 'label' && frame === 'reviews')
    add(
      `${t} NOT IN (0, 1)`,
      'invalid_value',
      `${shown} || ' is not a sentiment label (1/0, positive/negative)'`,
    );
  // A review teaches or tests sentiment through its stars or its label: one of them must be there.
  if (frame === 'reviews' && (c.name === 'label' || (c.name === 'rating' && !exprs.has('label')))) {
    const other = c.name === 'label' && exprs.has('rating') ? ' AND "rating" IS NULL' : '';
    add(
      `${r} IS NULL${other}`,
      'missing_required',
      literal(`a review needs a rating or a label, and ${src} is empty${other ? ' as is the rating' : ''}`),
    );
  }
  if (c.name === 'on_hand') add(`${t} < 0`, 'invalid_value', `${shown} || ' is a negative stock level'`);
  if (c.name === 'total') add(`${t} < 0`, 'invalid_value', `${shown} || ' is a negative order total'`);
  if (c.name === 'price') add(`${t} < 0`, 'negative_price', `${shown} || ' is a negative price'`);
  if (c.name === 'unit_price') {
    add(`${t} < 0`, 'negative_price', `${shown} || ' is a negative unit price'`);
    add(`${t} = 0`, 'zero_price', `'unit price is zero'`);
  }
  if (c.name === 'line_total') {
    // A credit note's line total may carry the quantity's minus sign; it is stored positive.
    const reversal = exprs.has('status') ? `"status" IN ${CANCELLED} AND quantity < 0` : 'false';
    add(`${t} < 0 AND NOT (${reversal})`, 'negative_price', `${shown} || ' is a negative line total'`);
    add(`${t} = 0`, 'zero_price', `'line total is zero'`);
  }
  if (c.name === 'quantity') {
    // Credit notes carry negative quantities: allowed (and stored positive) on cancelled/returned orders.
    const reversal = exprs.has('status') && frame === 'order_lines' ? `"status" IN ${CANCELLED}` : 'false';
    add(
      `${t} = 0 OR (${t} < 0 AND NOT (${reversal}))`,
      'non_positive_quantity',
      `${shown} || ' is not a positive quantity'`,
    );
  }
  return out;
}

function pseudonymSql(valueSql: string, key: PseudonymKey): string {
  const inner = `sha256(unhex(${literal(key.innerPadHex)}) || encode(${valueSql}))`;
  return `CASE WHEN ${valueSql} IS NOT NULL THEN 'p_' || left(sha256(unhex(${literal(key.outerPadHex)}) || unhex(${inner})), 32) END`;
}
