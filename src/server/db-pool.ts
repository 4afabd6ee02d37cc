/**
 * @module server/db-pool
 * How concurrent requests share the one database the server owns. A DuckDB connection runs one
 * statement at a time and its transaction spans every statement on it, so requests must not share
 * one freely: reads take a connection from a small pool (DuckDB's MVCC gives each a consistent view),
 * and every write goes through the single write connection, one caller at a time, in arrival order.
 */
import type { Warehouse } from '../warehouse/warehouse.js';

export interface ServerWarehouse {
  /** A pooled read connection for the length of fn. */
  read<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T>;
  /** The write connection, exclusively, for the length of fn (FIFO). */
  write<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T>;
  /** A dedicated connection (a training job's); the caller closes it. */
  connect(): Promise<Warehouse>;
  readonly location: string;
  readonly schemaVersion: number;
  /** Writes completed through write() since the pool opened (server/answer-cache.ts keys on it). */
  readonly writesDone: number;
}

export class WarehousePool implements ServerWarehouse {
  private writeTail: Promise<unknown> = Promise.resolve();
  private readonly idle: Warehouse[];
  private readonly waiting: ((wh: Warehouse) => void)[] = [];
  private closed = false;
  private completedWrites = 0;

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

  get writesDone(): number {
    return this.completedWrites;
  }

  async read<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
    if (this.closed) throw new Error('the database is closed (server shutting down)');
    const wh = this.idle.pop() ?? (await new Promise<Warehouse>((resolve) => this.waiting.push(resolve)));
    try {
      return await fn(wh);
    } finally {
      const next = this.waiting.shift();
      if (next) next(wh);
      else this.idle.push(wh);
    }
  }

  write<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the database is closed (server shutting down)'));
    // Counted when the write ends, committed or not: a read that began before then may have seen
    // either state, so nothing it answered is reused after.
    const run = this.writeTail.then(() => fn(this.owner)).finally(() => this.completedWrites++);
    // The queue continues after a failed write; the failure goes to its own caller.
    this.writeTail = run.catch(() => undefined);
    return run;
  }

  connect(): Promise<Warehouse> {
    return this.owner.connect();
  }

  /** Waits for queued writes, then closes every connection and the database. */
  async close(): Promise<void> {
    await this.writeTail;
    this.closed = true;
    for (const r of this.readers) await r.close();
    await this.owner.close();
  }
}
