/**
 * @module warehouse/duckdb/duckdb-warehouse
 * The embedded default engine, and (with node-api.ts, which loads it) the only module that uses @duckdb/node-api.
 * Opens (or creates) a DuckDB file, brings its schema to the latest version, and runs SQL.
 */
import { blobValue, DuckDBInstance, type DuckDBConnection, type DuckDBValue } from './node-api.js';
import type {
  AppendColumn,
  ColumnKind,
  Columns,
  QueryProgress,
  Row,
  SqlValue,
  Warehouse,
} from '../warehouse.js';
import { TransactionDepth } from '../transaction-depth.js';
import { appendColumns } from './append-columns.js';
import { readColumns } from './read-columns.js';
import { MIGRATIONS, type Migration } from './migrations.js';

export interface DuckDBOpenOptions {
  /** Cap DuckDB's memory (e.g. '1.5GB'); it spills to a temp directory beyond it. */
  readonly memoryLimit?: string;
  /** Worker threads; defaults to the number of cores. */
  readonly threads?: number;
  /** Migrations to apply (tests inject their own lists; production uses MIGRATIONS). */
  readonly migrations?: readonly Migration[];
}

export class SchemaVersionError extends Error {
  override readonly name = 'SchemaVersionError';
}

/**
 * Another process holds the database file (DuckDB lets one process write it). Raised at once,
 * never after a wait: `holder.ts` turns it into a message naming the server that holds it.
 */
export class DatabaseBusyError extends Error {
  override readonly name = 'DatabaseBusyError';
  constructor(
    readonly path: string,
    readonly pid: number,
    readonly program: string,
  ) {
    super(`${path} is in use by another process (pid ${pid}, ${program})`);
  }
}

/**
 * Statements running on a connection, and on every connection of an instance. Closing a connection
 * (or the instance) in the middle of a statement can crash the process (seen: the vitest worker
 * running a server test died with no message; a pooled read closed under its query fails with
 * `bad_weak_ptr` or takes the process down), so close waits for them.
 */
class Running {
  private count = 0;
  private waiters: (() => void)[] = [];

  async around<T>(work: () => Promise<T>, also?: Running): Promise<T> {
    this.count++;
    if (also) also.count++;
    try {
      return await work();
    } finally {
      this.done();
      also?.done();
    }
  }

  /** Resolves once no statement runs (at once when none does). */
  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }

  private done(): void {
    if (--this.count > 0) return;
    for (const w of this.waiters.splice(0)) w();
  }
}

export class DuckDBWarehouse implements Warehouse {
  readonly engine = 'duckdb' as const;
  private readonly tx = new TransactionDepth();
  /** This connection's statements; `onInstance` counts every connection's of the instance. */
  private readonly running = new Running();

  private constructor(
    readonly location: string,
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    public schemaVersion: number,
    /** False for the extra connections of connect(): closing one leaves the database open. */
    private readonly ownsInstance = true,
    private readonly onInstance = new Running(),
  ) {}

  private track<T>(work: () => Promise<T>): Promise<T> {
    return this.running.around(work, this.onInstance);
  }

  static async open(location: string, options: DuckDBOpenOptions = {}): Promise<DuckDBWarehouse> {
    const config: Record<string, string> = {};
    if (options.memoryLimit) config['memory_limit'] = options.memoryLimit;
    if (options.threads) config['threads'] = String(options.threads);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(location, config);
    } catch (err) {
      const message = (err as Error).message;
      const busy = /Conflicting lock is held in (.*?) \(PID (\d+)\)/.exec(message);
      if (busy) throw new DatabaseBusyError(location, Number(busy[2]), busy[1]!);
      throw new Error(`cannot open database ${location}: ${message}`, { cause: err });
    }
    const conn = await instance.connect();
    // Let DuckDB track how far a statement is (for our progress bar) without printing its own.
    await conn.run('SET enable_progress_bar = true');
    await conn.run('SET enable_progress_bar_print = false');
    const wh = new DuckDBWarehouse(location, instance, conn, 0);
    try {
      wh.schemaVersion = await wh.migrate(options.migrations ?? MIGRATIONS);
    } catch (err) {
      wh.close();
      throw err;
    }
    return wh;
  }

  /** Apply the migrations this database has not seen yet, together in one transaction. */
  private async migrate(migrations: readonly Migration[]): Promise<number> {
    await this.exec(
      'CREATE TABLE IF NOT EXISTS shopsight_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
    );
    const found = await this.rows<{ value: string }>(
      "SELECT value FROM shopsight_meta WHERE key = 'schema_version'",
    );
    let version = found.length ? Number(found[0]!.value) : 0;
    const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
    if (version > latest) {
      throw new SchemaVersionError(
        `${this.location} was written by a newer Shopsight (schema version ${version}); ` +
          `this build knows versions up to ${latest}. Upgrade shopsight to open it.`,
      );
    }
    // All pending migrations in one transaction: a fresh file takes every one of them, and a commit
    // each (with its write-ahead-log sync) cost `shopsight import` about 0.25 s of CPU and more of
    // wall at start-up (same-run before/after in docs/BENCHMARKS.md). A failing one still rolls
    // back whole (now with the ones before it) and is named; the file stays at its old version.
    const pending = migrations.filter((m) => m.version > version);
    if (!pending.length) return version;
    let current = pending[0]!;
    await this.transaction(async () => {
      for (const m of pending) {
        current = m;
        for (const stmt of m.statements) await this.exec(stmt);
      }
      await this.exec(
        "INSERT INTO shopsight_meta VALUES ('schema_version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [String(current.version)],
      );
    }).catch((err: Error) => {
      throw new SchemaVersionError(
        `cannot migrate ${this.location} from schema version ${version} to ${current.version} ` +
          `(${current.description}): ${err.message}`,
      );
    });
    version = current.version;
    return version;
  }

  async exec(sql: string, params?: readonly SqlValue[]): Promise<void> {
    const t0 = TRACE ? traceStart() : undefined;
    await this.track(() => this.conn.run(sql, params ? toDuckDBParams(params) : undefined));
    if (TRACE) trace(sql, t0);
  }

  async rows<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    const t0 = TRACE ? traceStart() : undefined;
    const reader = await this.track(() =>
      this.conn.runAndReadAll(sql, params ? toDuckDBParams(params) : undefined),
    );
    if (TRACE) trace(sql, t0);
    const out = reader.getRowObjectsJS() as Record<string, unknown>[];
    for (const row of out) {
      for (const key in row) {
        const v = row[key];
        if (typeof v === 'bigint') row[key] = Number(v);
      }
    }
    return out as T[];
  }

  async columns<S extends Record<string, ColumnKind>>(
    sql: string,
    kinds: S,
    params?: readonly SqlValue[],
  ): Promise<Columns<S>> {
    const t0 = TRACE ? traceStart() : undefined;
    const out = await this.track(() =>
      readColumns(this.conn, sql, kinds, params ? toDuckDBParams(params) : undefined),
    );
    if (TRACE) trace(sql, t0);
    return out;
  }

  async append(table: string, columns: Readonly<Record<string, AppendColumn>>): Promise<void> {
    const t0 = TRACE ? traceStart() : undefined;
    await this.track(() => appendColumns(this.conn, table, columns));
    if (TRACE) trace(`APPEND ${table}`, t0);
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.tx.run((sql) => this.exec(sql), fn);
  }

  /**
   * Another connection to this open database: its own transactions, the same data. Concurrent
   * callers (the server's read pool, a training job) each take one; closing it keeps the database open.
   */
  async connect(): Promise<Warehouse> {
    const conn = await this.instance.connect();
    await conn.run('SET enable_progress_bar = true');
    await conn.run('SET enable_progress_bar_print = false');
    return new DuckDBWarehouse(
      this.location,
      this.instance,
      conn,
      this.schemaVersion,
      false,
      this.onInstance,
    );
  }

  interrupt(): void {
    this.conn.interrupt();
  }

  progress(): QueryProgress {
    const p = this.conn.progress;
    return { percentage: p.percentage };
  }

  /** Closes once this connection's statements have ended (the instance: every connection's). */
  async close(): Promise<void> {
    await this.running.idle();
    this.conn.closeSync();
    if (this.ownsInstance) {
      await this.onInstance.idle();
      this.instance.closeSync();
    }
  }
}

/**
 * SHOPSIGHT_TRACE=1 prints every statement with its wall time and the process's CPU time meanwhile
 * (all of DuckDB's threads; more CPU than wall means the statement ran in parallel) to stderr,
 * cut to 160 characters; SHOPSIGHT_TRACE=full prints each statement whole.
 */
const TRACE = Boolean(process.env['SHOPSIGHT_TRACE']);
const TRACE_FULL = process.env['SHOPSIGHT_TRACE'] === 'full';

interface TraceStart {
  readonly wall: number;
  readonly cpu: NodeJS.CpuUsage;
}

function traceStart(): TraceStart {
  return { wall: performance.now(), cpu: process.cpuUsage() };
}

function trace(sql: string, t0: TraceStart | undefined): void {
  if (!t0) return;
  const ms = (performance.now() - t0.wall).toFixed(1);
  const cpu = process.cpuUsage(t0.cpu);
  const cpuMs = ((cpu.user + cpu.system) / 1000).toFixed(0);
  process.stderr.write(
    `[sql ${ms.padStart(8)} ms, cpu ${cpuMs.padStart(6)} ms] ${sql
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, TRACE_FULL ? undefined : 160)}\n`,
  );
}

function toDuckDBParams(params: readonly SqlValue[]): DuckDBValue[] {
  return params.map((p) =>
    p instanceof Date ? p.toISOString() : p instanceof Uint8Array ? blobValue(p) : p,
  ) as DuckDBValue[];
}
