/**
 * @module warehouse/ask/sql-guard
 * Checks SQL written by a language model (or a person) before it runs, with DuckDB's own parser:
 * `json_serialize_sql` serialises SELECT statements only (anything else is an error there), and the
 * tree it returns is walked here. Allowed: exactly one SELECT (set operations, CTEs, subqueries,
 * window functions included) that reads only the allowed views and its own CTEs, calls no table
 * function (read_csv, read_parquet, glob, range, query, ... : file readers included) and none of the
 * scalar functions that read the environment or change state. What runs is the statement DuckDB
 * rebuilds from the checked tree (`json_deserialize_sql`), not the text that came in, so a comment
 * or a trailing statement cannot ride along.
 *
 * @example
 *   await guardSql(wh, 'SELECT country, count(*) FROM ask_orders GROUP BY 1'); // { sql: 'SELECT country, count_star() ...' }
 *   await guardSql(wh, "SELECT * FROM read_csv('/etc/passwd')"); // throws SqlGuardError: calls the table function read_csv
 */
import type { Warehouse } from '../warehouse.js';
import { ASK_VIEW_NAMES } from './views.js';

export class SqlGuardError extends Error {
  override readonly name = 'SqlGuardError';
}

export interface GuardedSql {
  /** The statement rebuilt by DuckDB from the checked tree: what will run. */
  readonly sql: string;
  /** The views it reads. */
  readonly reads: readonly string[];
}

/** Scalar functions that read settings or the environment, or change state: never in a question. */
const DENIED_FUNCTIONS: ReadonlySet<string> = new Set([
  'current_setting',
  'getenv',
  'setseed',
  'nextval',
  'currval',
  'read_text',
  'read_blob',
  'sql_auto_complete',
]);

/** Table reference kinds that are plain relational reading. TABLE_FUNCTION, SHOW_REF and the rest are not. */
const ALLOWED_TABLE_REFS: ReadonlySet<string> = new Set([
  'BASE_TABLE',
  'JOIN',
  'SUBQUERY',
  'EMPTY',
  'EXPRESSION_LIST',
]);
const TABLE_REF_KINDS: ReadonlySet<string> = new Set([
  ...ALLOWED_TABLE_REFS,
  'TABLE_FUNCTION',
  'SHOW_REF',
  'PIVOT',
  'COLUMN_DATA',
  'DELIM_GET',
  'CTE',
]);

/** Longer than any question needs; a bound on what the parser is asked to read. */
export const MAX_SQL_CHARS = 20_000;

export async function guardSql(
  wh: Warehouse,
  sql: string,
  allowed: ReadonlySet<string> = ASK_VIEW_NAMES,
): Promise<GuardedSql> {
  const text = sql.trim();
  if (!text) throw new SqlGuardError('the SQL is empty');
  if (text.length > MAX_SQL_CHARS) {
    throw new SqlGuardError(
      `the SQL is ${text.length} characters long; at most ${MAX_SQL_CHARS} are allowed`,
    );
  }
  const [row] = await wh.rows<{ j: string }>('SELECT json_serialize_sql(CAST(? AS VARCHAR)) AS j', [text]);
  const tree = JSON.parse(row!.j) as { error: boolean; error_message?: string; statements?: unknown[] };
  if (tree.error) {
    const why = tree.error_message ?? 'cannot be parsed';
    throw new SqlGuardError(
      /Only SELECT/i.test(why)
        ? 'only a SELECT statement may run (no INSERT, UPDATE, DELETE, DDL, COPY, ATTACH, PRAGMA, SET)'
        : `the SQL does not parse: ${why}`,
    );
  }
  const statements = tree.statements ?? [];
  if (statements.length !== 1) {
    throw new SqlGuardError(`one statement only; this SQL has ${statements.length}`);
  }
  const cteNames = new Set<string>();
  collectCteNames(statements[0], cteNames);
  const reads = new Set<string>();
  walk(statements[0], (node) => checkNode(node, allowed, cteNames, reads));
  const [rebuilt] = await wh.rows<{ s: string }>('SELECT json_deserialize_sql(CAST(? AS JSON)) AS s', [
    row!.j,
  ]);
  return { sql: rebuilt!.s, reads: [...reads].sort() };
}

function checkNode(
  node: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  cteNames: ReadonlySet<string>,
  reads: Set<string>,
): void {
  const type = typeof node['type'] === 'string' ? node['type'] : '';
  const isTableRef =
    TABLE_REF_KINDS.has(type) && 'alias' in node && 'query_location' in node && !('class' in node);
  if (isTableRef && !ALLOWED_TABLE_REFS.has(type)) {
    if (type === 'TABLE_FUNCTION') {
      const fn = (node['function'] as { function_name?: string } | undefined)?.function_name ?? '?';
      throw new SqlGuardError(`calls the table function ${fn}; only the views ${list(allowed)} may be read`);
    }
    throw new SqlGuardError(
      `uses ${type.toLowerCase().replace(/_/g, ' ')}; only plain SELECTs over ${list(allowed)} may run`,
    );
  }
  if (type === 'BASE_TABLE') {
    const name = String(node['table_name'] ?? '').toLowerCase();
    const schema = String(node['schema_name'] ?? '').toLowerCase();
    const catalog = String(node['catalog_name'] ?? '');
    if (catalog || (schema && schema !== 'main')) {
      throw new SqlGuardError(
        `reads ${[catalog, schema, name].filter(Boolean).join('.')}: other schemas and databases are not allowed`,
      );
    }
    if (!schema && cteNames.has(name)) return;
    if (!allowed.has(name))
      throw new SqlGuardError(
        `reads ${node['table_name']}, which is not one of the allowed views ${list(allowed)}`,
      );
    reads.add(name);
    return;
  }
  if (node['class'] === 'FUNCTION' || node['class'] === 'WINDOW' || node['class'] === 'AGGREGATE') {
    const name = String(node['function_name'] ?? '').toLowerCase();
    const schema = String(node['schema'] ?? '');
    const catalog = String(node['catalog'] ?? '');
    if (DENIED_FUNCTIONS.has(name))
      throw new SqlGuardError(`calls ${name}, which reads settings or the environment or changes state`);
    if (catalog || (schema && schema !== 'main'))
      throw new SqlGuardError(
        `calls ${[catalog, schema, name].filter(Boolean).join('.')}: functions of other schemas are not allowed`,
      );
  }
}

function collectCteNames(tree: unknown, out: Set<string>): void {
  walk(tree, (node) => {
    const map = (node['cte_map'] as { map?: { key?: string }[] } | undefined)?.map;
    for (const entry of map ?? []) if (entry.key) out.add(entry.key.toLowerCase());
  });
}

function walk(value: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const node = value as Record<string, unknown>;
  visit(node);
  for (const key in node) walk(node[key], visit);
}

const list = (names: ReadonlySet<string>): string => [...names].sort().join(', ');
