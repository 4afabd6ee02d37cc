/**
 * @module warehouse/remote/remote-warehouse
 * A Warehouse for a worker thread: every statement is sent over a MessagePort to the thread that
 * owns the database (`serveWarehouse`), which runs it on a connection lent to this worker alone.
 * Features, tasks and the registry run on it unchanged, so CPU-heavy training can leave the
 * server's main thread while the one DuckDB instance stays in the owning thread.
 *
 * - `columns()` results arrive as the owner's typed arrays, transferred (no copy).
 * - `transaction()` sends BEGIN / COMMIT / ROLLBACK on the lent connection; it is this worker's
 *   alone, so nothing else can join or see the transaction before it commits.
 * - `connect()` borrows one more connection of the owner's database, on a port of its own.
 * - `progress()` must answer synchronously: it returns the last figure the owner sent and asks for a
 *   fresh one, so a progress bar polling it lags one poll behind.
 *
 * @example
 *   // in the worker
 *   const wh = await openRemoteWarehouse(workerData.port);
 *   await wh.rows('SELECT count(*) AS n FROM orders');
 *   await wh.close(); // the owner closes the lent connection
 */
import type { MessagePort } from 'node:worker_threads';
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
import type { RemoteHello, RemoteReply, RemoteRequest } from './protocol.js';

type Request = RemoteRequest extends infer R ? (R extends RemoteRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

/** The owner's error, re-raised here with its name and message. */
export class RemoteWarehouseError extends Error {
  constructor(
    message: string,
    readonly remoteName: string,
  ) {
    super(message);
    this.name = remoteName;
  }
}

export class RemoteWarehouse implements Warehouse {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly tx = new TransactionDepth();
  private lastProgress: QueryProgress = { percentage: -1 };
  private progressAsked = false;
  private closed = false;
  engine: 'duckdb' | 'clickhouse' = 'duckdb';
  location = '';
  schemaVersion = 0;

  /** Use openRemoteWarehouse(): the facts of the served warehouse come from a first exchange. */
  constructor(private readonly port: MessagePort) {
    port.on('message', (msg: RemoteReply) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new RemoteWarehouseError(msg.error.message, msg.error.name));
    });
    port.on('close', () => this.fail(new Error(`the warehouse connection to ${this.location} was closed`)));
  }

  private fail(err: Error): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private send<T>(req: Request): Promise<T> {
    if (this.closed) {
      return Promise.reject(new Error(`the warehouse connection to ${this.location} is closed`));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ ...req, id } as RemoteRequest);
    });
  }

  /** @internal the first exchange, made by openRemoteWarehouse */
  async hello(): Promise<void> {
    const h = await this.send<RemoteHello>({ op: 'hello' });
    this.engine = h.engine;
    this.location = h.location;
    this.schemaVersion = h.schemaVersion;
  }

  exec(sql: string, params?: readonly SqlValue[]): Promise<void> {
    return this.send({ op: 'exec', sql, ...(params ? { params } : {}) });
  }

  rows<T extends Row = Row>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.send({ op: 'rows', sql, ...(params ? { params } : {}) });
  }

  columns<S extends Record<string, ColumnKind>>(
    sql: string,
    kinds: S,
    params?: readonly SqlValue[],
  ): Promise<Columns<S>> {
    return this.send({ op: 'columns', sql, kinds, ...(params ? { params } : {}) });
  }

  append(table: string, columns: Readonly<Record<string, AppendColumn>>): Promise<void> {
    return this.send({ op: 'append', table, columns });
  }

  transaction<T>(fn: () => Promise<T>): Promise<T> {
    return this.tx.run((sql) => this.exec(sql), fn);
  }

  progress(): QueryProgress {
    if (!this.progressAsked && !this.closed) {
      this.progressAsked = true;
      this.send<QueryProgress>({ op: 'progress' })
        .then((p) => (this.lastProgress = p))
        .catch(() => undefined)
        .finally(() => (this.progressAsked = false));
    }
    return this.lastProgress;
  }

  /** Another connection of the owner's database, lent to this thread alone like this one. */
  async connect(): Promise<RemoteWarehouse> {
    return openRemoteWarehouse(await this.send<MessagePort>({ op: 'connect' }));
  }

  /** Hands the connection back: the owner closes it once the statements sent before are done. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.send({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    this.port.close();
  }
}

/** A RemoteWarehouse on the port a `serveWarehouse` listens on, with its location and schema version. */
export async function openRemoteWarehouse(port: MessagePort): Promise<RemoteWarehouse> {
  const wh = new RemoteWarehouse(port);
  await wh.hello();
  return wh;
}
