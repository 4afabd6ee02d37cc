/**
 * @module warehouse/remote/test-remote-worker
 * A worker the remote-warehouse test drives one command at a time over parentPort: each command
 * runs on a RemoteWarehouse opened on `workerData.port` and its outcome is posted back. Test-only.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type { ColumnKind, SqlValue } from '../warehouse.js';
import { openRemoteWarehouse } from './remote-warehouse.js';

export type TestCommand =
  | { readonly cmd: 'hello' | 'progress' | 'close' | 'exit' }
  /** Borrows a second connection, runs `sql` on it, closes it. */
  | { readonly cmd: 'second'; readonly sql: string }
  | { readonly cmd: 'exec' | 'rows'; readonly sql: string; readonly params?: SqlValue[] }
  | { readonly cmd: 'columns'; readonly sql: string; readonly kinds: Record<string, ColumnKind> }
  /** Opens a transaction, runs `sql` in it, answers 'open', then waits for { commit } to end it. */
  | { readonly cmd: 'transaction'; readonly sql: string }
  | { readonly cmd: 'end'; readonly commit: boolean };

const port = parentPort!;
const wh = await openRemoteWarehouse((workerData as { port: MessagePort }).port);
let endTransaction: ((commit: boolean) => void) | undefined;

const describe = (v: unknown): unknown =>
  ArrayBuffer.isView(v) ? { type: v.constructor.name, values: Array.from(v as Float64Array) } : v;

async function run(c: TestCommand): Promise<unknown> {
  switch (c.cmd) {
    case 'hello':
      return { engine: wh.engine, location: wh.location, schemaVersion: wh.schemaVersion };
    case 'exec':
      return wh.exec(c.sql, c.params);
    case 'rows':
      return wh.rows(c.sql, c.params);
    case 'columns': {
      const cols = await wh.columns(c.sql, c.kinds);
      return Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, describe(v)]));
    }
    case 'transaction': {
      const ended = wh.transaction(async () => {
        await wh.exec(c.sql);
        const commit = await new Promise<boolean>((resolve) => {
          endTransaction = resolve;
          port.postMessage({ ok: true, value: 'open' });
        });
        if (!commit) throw new Error('rolled back on purpose');
        return 'committed';
      });
      return ended.then(
        (v) => port.postMessage({ ok: true, value: v }),
        (e: Error) => port.postMessage({ ok: false, error: { name: e.name, message: e.message } }),
      ) as unknown as undefined; // answered from inside the transaction, then once it ends
    }
    case 'end':
      endTransaction?.(c.commit);
      return undefined;
    case 'progress':
      return wh.progress();
    case 'second': {
      const other = await wh.connect();
      try {
        return await other.rows(c.sql);
      } finally {
        await other.close();
      }
    }
    case 'close':
      return wh.close();
    case 'exit':
      process.exit(3); // ends the thread without closing the RemoteWarehouse
  }
}

port.on('message', (c: TestCommand) => {
  if (c.cmd === 'transaction') {
    void run(c);
    return;
  }
  run(c).then(
    (value) => {
      if (c.cmd !== 'end') port.postMessage({ ok: true, value });
    },
    (e: Error) => port.postMessage({ ok: false, error: { name: e.name, message: e.message } }),
  );
});
port.postMessage({ ok: true, value: 'ready' });
