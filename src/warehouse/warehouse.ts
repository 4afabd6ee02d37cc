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
export type SqlValue = string | number | boolean | null | Date | Uint8Array;

/** A plain result row: integers as numbers, DECIMAL as numbers, TIMESTAMP as Date. */
export type Row = Record<string, unknown>;

/**
 * How `columns()` hands a result column to JavaScript: as a typed array for numbers (NULL -> NaN for
 * floats, 0 for i32), epoch milliseconds for timestamps ('ts', NULL -> NaN), or strings
 * ('str', NULL -> null).
 */
export type ColumnKind = 'f64' | 'f32' | 'i32' | 'ts' | 'str';

export type ColumnArray<K extends ColumnKind> = K extends 'f64' | 'ts'
  ? Float64Array
  : K extends 'f32'
    ? Float32Array
    : K extends 'i32'
      ? Int32Array
      : (string | null)[];

export type Columns<S extends Record<string, ColumnKind>> = { [C in keyof S]: ColumnArray<S[C]> } & {
  readonly length: number;
};

/**
 * One column's values for `append()`: numbers as a typed array (Float64Array: NaN = NULL), texts
 * (JSON columns included) as strings, flags as booleans, times as Dates; null = NULL.
 */
export type AppendColumn =
  | Float64Array
  | Int32Array
  | readonly (string | null)[]
  | readonly (boolean | null)[]
  | readonly (Date | null)[];

export interface QueryProgress {
  /** 0..100, or -1 when the engine cannot tell. */
  readonly percentage: number;
}

export interface Warehouse {
  /** Which engine holds the data (for dialect-specific SQL). */
  readonly engine: 'duckdb' | 'clickhouse';
  /** File path or URL the warehouse was opened from. */
  readonly location: string;
  /** Schema version of the open database after migrations. */
  readonly schemaVersion: number;
  /** Run statements that return nothing of interest. */
  exec(sql: string, params?: readonly SqlValue[]): Promise<void>;
  /** Run a query and return its (small) result as plain rows. Big results go through column readers. */
  rows<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Run a query and read the named result columns chunk by chunk into typed arrays: the way large
   * results (features, interactions) leave the database, with no object per row.
   *
   * @example
   *   const c = await wh.columns('SELECT customer_id, total FROM orders', { customer_id: 'str', total: 'f64' });
   *   c.length; c.total[0]; // Float64Array
   */
  columns<S extends Record<string, ColumnKind>>(
    sql: string,
    kinds: S,
    params?: readonly SqlValue[],
  ): Promise<Columns<S>>;
  /**
   * Append rows to `table` in bulk, one array per column (all the same length; a column left out
   * gets its default): the way large results (a million risk scores) go in, with no SQL text or
   * JSON per row. Part of the transaction in progress, if any.
   *
   * @example
   *   await wh.append('order_risk', { order_id: ['o1'], score: Float64Array.of(0.9), ... });
   */
  append(table: string, columns: Readonly<Record<string, AppendColumn>>): Promise<void>;
  /**
   * Run `fn` inside one transaction: either everything it wrote is committed, or nothing is.
   * Nested calls join the outer transaction.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * A second connection to the same open database, with its own transactions. One connection runs
   * one statement at a time, so concurrent callers (the server's request pool, a training job)
   * each take their own. close() on it closes that connection only.
   */
  connect(): Promise<Warehouse>;
  /** Stop the statement running now on this connection (a time limit ran out); it fails with an error. */
  interrupt?(): void;
  /** Progress of the statement running now (for progress bars). */
  progress(): QueryProgress;
  close(): Promise<void>;
}
