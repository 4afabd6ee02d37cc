/**
 * @module server/db-pool
 * How concurrent requests share the one database the server owns. A DuckDB connection runs one
 * statement at a time and its transaction spans every statement on it, so requests must not share
 * one freely: reads take a connection from a small pool (DuckDB's MVCC gives each a consistent view),
 * and every write goes through the single write connection, one caller at a time, in arrival order.
 */
import type { Warehouse } from '../warehouse/warehouse.js';

/**
 * What a write may change, so that cached answers survive writes they cannot see:
 * - `store`: anything (orders, lines, products, customers, imports, erasures); the default.
 * - `events`: the events table and the customers rows an event names (first sight).
 * - `serving`: serving bookkeeping no analytics answer reads (impressions, API keys, A/B splits,
 *   decisions and rewards, model promotions, stored question examples).
 */
export type WriteScope = 'store' | 'events' | 'serving';

/** The write counts an answer cache reads (server/answer-cache.ts). */
export interface WriteCounter {
  /** Writes of `scope` completed since the server started. */
  writesDone(scope: WriteScope): number;
}

export interface ServerWarehouse extends WriteCounter {
  /** A pooled read connection for the length of fn. */
  read<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T>;
  /** The write connection, exclusively, for the length of fn (FIFO); `scope` says what fn may change. */
  write<T>(fn: (wh: Warehouse) => Promise<T>, scope?: WriteScope): Promise<T>;
  /** A dedicated connection (a training job's); the caller closes it. */
  connect(): Promise<Warehouse>;
  readonly location: string;
  readonly schemaVersion: number;
}

export class WarehousePool implements ServerWarehouse {
  private writeTail: Promise<unknown> = Promise.resolve();
  private readonly idle: Warehouse[];
  private readonly waiting: ((wh: Warehouse) => void)[] = [];
  private closed = false;
  /** Reads begun (waiting for a connection or running); close waits for them to end. */
  private reading = 0;
  private readsEnded: (() => void) | null = null;
  private readonly completedWrites: Record<WriteScope, number> = { store: 0, events: 0, serving: 0 };

  private constructor(
    private readonly owner: Warehouse,
    private readonly readers: Warehouse[],
  ) {
    this.idle = [...readers];
  }

  /** `owner` is the opened warehouse (it becomes the write connection); `readers` extra connections. */
  static async create(owner: Warehouse, readers: number): Promise<WarehousePool> {
    const conns: Warehouse[] = [];
    for (let i = 0; i < Math.max(1, readers); i++) conns.push(await owner.connect());
    return new WarehousePool(owner, conns);
  }

  get location(): string {
    return this.owner.location;
  }

  get schemaVersion(): number {
    return this.owner.schemaVersion;
  }

  writesDone(scope: WriteScope): number {
    return this.completedWrites[scope];
  }

  async read<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the database is closed (server shutting down)');
    this.reading++;
    try {
      const wh = this.idle.pop() ?? (await new Promise<Warehouse>((resolve) => this.waiting.push(resolve)));
      try {
        return await fn(wh);
      } finally {
        const next = this.waiting.shift();
        if (next) next(wh);
        else this.idle.push(wh);
      }
    } finally {
      if (--this.reading === 0) this.readsEnded?.();
    }
  }

  write<T>(fn: (wh: Warehouse) => Promise<T>, scope: WriteScope = 'store'): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the database is closed (server shutting down)'));
    // Counted when the write ends, committed or not: a read that began before then may have seen
    // either state, so nothing it answered is reused after.
    const run = this.writeTail.then(() => fn(this.owner)).finally(() => this.completedWrites[scope]++);
    // The queue continues after a failed write; the failure goes to its own caller.
    this.writeTail = run.catch(() => undefined);
    return run;
  }

  connect(): Promise<Warehouse> {
    return this.owner.connect();
  }

  /**
   * Refuses new reads and writes, waits for those begun (a background job's, say: requests have
   * ended by now), then closes every connection and the database. A DuckDB connection closed in the
   * middle of its statement is not safe to close (the native library may crash the process).
   */
  async close(): Promise<void> {
    this.closed = true;
    await this.writeTail;
    if (this.reading > 0) await new Promise<void>((resolve) => (this.readsEnded = resolve));
    for (const r of this.readers) await r.close();
    await this.owner.close();
  }
}
