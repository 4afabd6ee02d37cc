/**
 * @module warehouse/ask/run-guarded
 * Runs a data question's SQL: guarded first (sql-guard.ts), then on a connection of its own inside a
 * READ ONLY transaction (DuckDB refuses any write there), with a row limit and a time limit (the
 * statement is interrupted when it runs out), always rolled back and closed.
 */
import type { Row, Warehouse } from '../warehouse.js';
import { guardSql, SqlGuardError } from './sql-guard.js';

export interface GuardedRunOptions {
  /** Rows returned at most; `truncated` says when there were more. */
  readonly maxRows?: number;
  readonly timeoutMs?: number;
  readonly allowed?: ReadonlySet<string>;
}

export interface GuardedResult {
  /** The SQL that ran (DuckDB's rebuild of the checked statement). */
  readonly sql: string;
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly rows: readonly Row[];
  readonly truncated: boolean;
  readonly reads: readonly string[];
}

export class SqlTimeoutError extends Error {
  override readonly name = 'SqlTimeoutError';
}

/** A checked statement that DuckDB could not run (a wrong column, a type error). */
export class SqlRunError extends Error {
  override readonly name = 'SqlRunError';
}

export const DEFAULT_MAX_ROWS = 200;
export const DEFAULT_TIMEOUT_MS = 10_000;

export async function runGuardedSql(
  wh: Warehouse,
  sql: string,
  options: GuardedRunOptions = {},
): Promise<GuardedResult> {
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const guarded = await guardSql(wh, sql, options.allowed);
  const conn = await wh.connect();
  let timer: NodeJS.Timeout | undefined;
  try {
    await conn.exec('BEGIN TRANSACTION READ ONLY');
    const described = await conn.rows<{ column_name: string; column_type: string }>(
      `DESCRIBE SELECT * FROM (${guarded.sql}) AS q`,
    );
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(() => {
        conn.interrupt?.();
        fail(new SqlTimeoutError(`the query ran longer than ${timeoutMs} ms and was stopped`));
      }, timeoutMs);
    });
    const rows = await Promise.race([
      conn.rows(`SELECT * FROM (${guarded.sql}) AS q LIMIT ${maxRows + 1}`),
      timeout,
    ]);
    return {
      sql: guarded.sql,
      columns: described.map((d) => ({ name: d.column_name, type: d.column_type })),
      rows: rows.slice(0, maxRows),
      truncated: rows.length > maxRows,
      reads: guarded.reads,
    };
  } catch (err) {
    if (err instanceof SqlTimeoutError || err instanceof SqlGuardError) throw err;
    throw new SqlRunError(`the query failed: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    clearTimeout(timer);
    await conn.exec('ROLLBACK').catch(() => undefined);
    await conn.close();
  }
}
