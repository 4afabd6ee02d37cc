/**
 * @module warehouse/warehouse
 * The engine-neutral face of the store's canonical tables. Everything above this stage talks to a
 * `Warehouse`, never to DuckDB itself, so a ClickHouse implementation can sit beside the DuckDB one
 * (selected by URL scheme in `open.ts`) without touching features, tasks or surfaces.
 *
 * @example
 *   const wh = await openWarehouse('shopsight.duckdb');
 *   await wh.rows<{ n: number }>('SELECT count(*) AS n FROM orders'); // [{ n: 25900 }]
 */

/** A value that can be bound to a `?` placeholder. */
export type SqlValue = string | number | boolean | null | Date;

/** A plain result row: integers as numbers, DECIMAL as numbers, TIMESTAMP as Date. */
export type Row = Record<string, unknown>;

export interface QueryProgress {
  /** 0..100, or -1 when the engine cannot tell. */
  readonly percentage: number;
}

export interface Warehouse {
  /** Which engine holds the data (for dialect-specific SQL). */
  readonly engine: 'duckdb';
  /** File path or URL the warehouse was opened from. */
  readonly location: string;
  /** Schema version of the open database after migrations. */
  readonly schemaVersion: number;
  /** Run statements that return nothing of interest. */
  exec(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /** Run a query and return its (small) result as plain rows. Big results go through column readers. */
  rows<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Run `fn` inside one transaction: either everything it wrote is committed, or nothing is.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Progress of the statement running now (for progress bars). */
  progress(): QueryProgress;
  close(): Promise<void>;
}
