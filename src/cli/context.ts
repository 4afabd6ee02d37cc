/**
 * @module cli/context
 * What every command shares: where the database is, how to print for humans or for scripts.
 * Human output and progress go to stderr/stdout as usual; with --json, stdout carries exactly one
 * JSON document and nothing else, so `shopsight x --json | jq` always works.
 */
import { Option } from 'commander';
import { DEFAULT_DB, MissingDatabaseError, openWarehouse, resolveDbLocation } from '../warehouse/open.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export const dbOption = (): Option =>
  new Option(
    '--db <path>',
    'DuckDB file (default: $SHOPSIGHT_DB or ./shopsight.duckdb); or clickhouse://host:8123/db?cluster=c, a ClickHouse cluster, for the commands docs/clickhouse.md lists',
  );

export const jsonOption = (): Option =>
  new Option('--json', 'print one JSON object on stdout and nothing else');

/**
 * Free text (quarantined raw rows, reviews, support questions) is printed with e-mails, phone, ID
 * and card numbers, IPs and addresses masked (ml/text/pii.ts); this flag prints it as stored.
 */
export const showPersonalOption = (): Option =>
  new Option('--show-personal', 'print personal data in free text as stored (default: masked)');

/**
 * Open the warehouse named by --db / SHOPSIGHT_DB, run fn, always close. Only commands that write a
 * store (import, demo) pass `create: true`; every other command refuses a database that does not
 * exist instead of creating an empty one and reporting zeros from it.
 */
export async function withWarehouse<T>(
  db: string | undefined,
  fn: (wh: Warehouse) => Promise<T>,
  options: {
    create?: boolean;
    /** The server's API call doing the same work, named when `shopsight serve` holds the file. */
    viaServer?: string;
    /** The command runs on ClickHouse too (open.ts CLICKHOUSE_COMMANDS): open a clickhouse:// location. */
    clickhouse?: boolean;
  } = {},
): Promise<T> {
  const location = resolveDbLocation(db);
  const wh = await openWarehouse(location, {
    create: options.create ?? false,
    clickhouse: options.clickhouse ?? false,
    ...(options.viaServer ? { viaServer: options.viaServer } : {}),
  }).catch((err: unknown) => {
    if (!(err instanceof MissingDatabaseError)) throw err;
    throw new Error(
      `${err.message}. Import a store into it first (${suggest('import <file-or-folder> --preset <name>', db)}) ` +
        `or load the sample store (${suggest('demo', db)})` +
        (db === undefined ? `; without --db the database is $SHOPSIGHT_DB, else ./${DEFAULT_DB}` : ''),
      { cause: err },
    );
  });
  try {
    return await fn(wh);
  } finally {
    await wh.close();
  }
}

/**
 * A command to suggest in output, written the way the README runs it (`npx shopsight ...`, which
 * works in the project folder after `npm install`), carrying the --db of the run when it is not the
 * default, so the suggestion works as printed.
 */
export function suggest(args: string, db?: string): string {
  const withDb = db !== undefined && db !== resolveDbLocation() ? ` --db ${shellWord(db)}` : '';
  return `\`npx shopsight ${args}${withDb}\``;
}

function shellWord(s: string): string {
  return /^[\w./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer, 2) + '\n');
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value;
}

/** Left-aligned text table for terminal output. */
export function formatTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => formatCell(c)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r: string[]): string =>
    r.map((c, i) => (/^-?[\d,.]+%?$/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 19).replace('T', ' ');
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v.toLocaleString('en-US');
    return v.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
  }
  return String(v);
}
