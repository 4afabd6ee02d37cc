/**
 * @module warehouse/remote/serve-warehouse
 * The owning side of a RemoteWarehouse: runs the requests that arrive on a MessagePort against one
 * warehouse connection, one statement at a time in arrival order (a connection runs one statement
 * at a time anyway, and a worker's transaction is a sequence of them). Give it a DEDICATED connection
 * (`Warehouse.connect()`): the worker's BEGIN ... COMMIT then belongs to the worker alone, and the
 * connection is closed when the worker closes its side or its thread ends, so a worker that dies in
 * the middle of a transaction leaves nothing open (closing a connection rolls its transaction back).
 *
 * Why: DuckDB allows one process to open a file, and a second DuckDBInstance on the same file in the
 * same process opens without error and silently diverges. A worker thread that needs the database
 * (training) must therefore borrow a connection of the owning thread's instance; this is the loan.
 *
 * @example
 *   const { port1, port2 } = new MessageChannel();
 *   const served = serveWarehouse(port1, await wh.connect());
 *   const worker = new Worker(file, { workerData: { port: port2 }, transferList: [port2] });
 *   await served.done; // the worker closed its RemoteWarehouse (or exited); the connection is closed
 */
import { MessageChannel, type MessagePort, type TransferListItem } from 'node:worker_threads';
import type { Warehouse } from '../warehouse.js';
import type { RemoteHello, RemoteReply, RemoteRequest } from './protocol.js';

export interface ServedWarehouse {
  /** Settles once the remote side is gone (closed or its thread ended) and the connection is closed. */
  readonly done: Promise<void>;
}

/** The ArrayBuffers behind a `columns` result's typed arrays: moved to the worker, not copied. */
function transferables(value: unknown): TransferListItem[] {
  if (value === null || typeof value !== 'object') return [];
  const out = new Set<ArrayBuffer>();
  for (const v of Object.values(value)) {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  }
  return [...out];
}

export function serveWarehouse(port: MessagePort, wh: Warehouse): ServedWarehouse {
  let tail: Promise<unknown> = Promise.resolve();
  let finished: Promise<void> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  /** Closes the connection after the statements already queued, once. */
  const finish = (): Promise<void> => {
    finished ??= tail
      .catch(() => undefined)
      .then(() => wh.close())
      .catch(() => undefined)
      .then(resolveDone);
    return finished;
  };

  const reply = (msg: RemoteReply, transfer: TransferListItem[] = []): void => {
    try {
      port.postMessage(msg, transfer);
    } catch {
      // The remote is gone (port closed): nothing is waiting for this answer.
    }
  };

  const run = async (req: RemoteRequest): Promise<unknown> => {
    switch (req.op) {
      case 'hello':
        return {
          engine: wh.engine,
          location: wh.location,
          schemaVersion: wh.schemaVersion,
        } satisfies RemoteHello;
      case 'exec':
        return wh.exec(req.sql, req.params);
      case 'rows':
        return wh.rows(req.sql, req.params);
      case 'columns':
        return wh.columns(req.sql, req.kinds, req.params);
      case 'append':
        return wh.append(req.table, req.columns);
      case 'progress':
        return wh.progress();
      case 'connect': {
        // The new connection is the remote's too: served on its own port, closed with it.
        const { port1, port2 } = new MessageChannel();
        serveWarehouse(port1, await wh.connect());
        return port2;
      }
      case 'close':
        return undefined;
    }
  };

  port.on('message', (req: RemoteRequest) => {
    if (req.op === 'progress') {
      // Answered at once, beside the running statement: that is the statement it reports on.
      reply({ id: req.id, ok: true, value: wh.progress() });
      return;
    }
    if (req.op === 'close') {
      void finish().then(() => {
        reply({ id: req.id, ok: true, value: undefined });
        port.close();
      });
      return;
    }
    const result = tail.then(() => run(req));
    tail = result.catch(() => undefined);
    result.then(
      (value) =>
        reply(
          { id: req.id, ok: true, value },
          req.op === 'columns' ? transferables(value) : req.op === 'connect' ? [value as MessagePort] : [],
        ),
      (err: unknown) =>
        reply({
          id: req.id,
          ok: false,
          error:
            err instanceof Error
              ? { name: err.name, message: err.message }
              : { name: 'Error', message: String(err) },
        }),
    );
  });
  // The worker closed its port or its thread ended (a crash included).
  port.on('close', () => void finish());
  return { done };
}
