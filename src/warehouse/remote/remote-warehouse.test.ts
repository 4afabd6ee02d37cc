import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnWorker } from '../../core/spawn-worker.js';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse.js';
import { serveWarehouse, type ServedWarehouse } from './serve-warehouse.js';
import type { TestCommand } from './test-remote-worker.js';

interface Answer {
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string };
}

/** The next message the worker posts. */
const next = (w: Worker): Promise<Answer> =>
  new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });

async function call(w: Worker, c: TestCommand): Promise<Answer> {
  const answer = next(w);
  w.postMessage(c);
  return answer;
}

/** The owner's warehouse, keeping what it handed out so the test can see it was transferred. */
function spy(wh: Warehouse): Warehouse & { lastColumns?: Record<string, unknown>; closed: boolean } {
  const s = {
    engine: wh.engine,
    location: wh.location,
    schemaVersion: wh.schemaVersion,
    closed: false,
    lastColumns: undefined as Record<string, unknown> | undefined,
    exec: wh.exec.bind(wh),
    rows: wh.rows.bind(wh),
    transaction: wh.transaction.bind(wh),
    progress: wh.progress.bind(wh),
    connect: wh.connect.bind(wh),
    async columns(...args: Parameters<Warehouse['columns']>) {
      const out = await wh.columns(...args);
      s.lastColumns = out as Record<string, unknown>;
      return out;
    },
    async close() {
      s.closed = true;
      await wh.close();
    },
  };
  return s as never;
}

describe('RemoteWarehouse in a worker thread over a real DuckDB file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-remote-'));
  const path = join(dir, 'remote.duckdb');
  let owner: DuckDBWarehouse;
  let lent: ReturnType<typeof spy>;
  let served: ServedWarehouse;
  let worker: Worker;

  beforeAll(async () => {
    owner = await DuckDBWarehouse.open(path);
    await owner.exec(
      `INSERT INTO products (product_id, title, price, is_merchandise) VALUES ('p1', 'Mug', 4.5, true), ('p2', NULL, 12, true)`,
    );
    lent = spy(await owner.connect());
    const { port1, port2 } = new MessageChannel();
    served = serveWarehouse(port1, lent);
    worker = spawnWorker(import.meta.url, 'test-remote-worker', { port: port2 }, [port2]);
    expect(await next(worker)).toEqual({ ok: true, value: 'ready' });
  });
  afterAll(async () => {
    await worker?.terminate();
    await owner?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows the served location and schema version', async () => {
    expect(await call(worker, { cmd: 'hello' })).toEqual({
      ok: true,
      value: { engine: 'duckdb', location: path, schemaVersion: owner.schemaVersion },
    });
  });

  it('returns rows with parameters, dates and NULLs as the owner reads them', async () => {
    const a = await call(worker, {
      cmd: 'rows',
      sql: `SELECT product_id, title, price, TIMESTAMP '2011-12-09 12:50:00' AS at, CAST(? AS TIMESTAMP) AS d
            FROM products WHERE price > ? ORDER BY product_id`,
      params: [new Date('2020-01-02T03:04:05Z'), 1],
    });
    expect(a.ok).toBe(true);
    expect(a.value).toEqual([
      {
        product_id: 'p1',
        title: 'Mug',
        price: 4.5,
        at: new Date('2011-12-09T12:50:00Z'),
        d: new Date('2020-01-02T03:04:05Z'),
      },
      {
        product_id: 'p2',
        title: null,
        price: 12,
        at: new Date('2011-12-09T12:50:00Z'),
        d: new Date('2020-01-02T03:04:05Z'),
      },
    ]);
  });

  it('moves column typed arrays to the worker instead of copying them', async () => {
    const a = await call(worker, {
      cmd: 'columns',
      sql: `SELECT product_id, price, price AS p32, CAST(price AS INTEGER) AS n,
                   TIMESTAMP '1970-01-01 00:00:01' AS t FROM products ORDER BY product_id`,
      kinds: { product_id: 'str', price: 'f64', p32: 'f32', n: 'i32', t: 'ts' },
    });
    expect(a.value).toEqual({
      length: 2,
      product_id: ['p1', 'p2'],
      price: { type: 'Float64Array', values: [4.5, 12] },
      p32: { type: 'Float32Array', values: [4.5, 12] },
      n: { type: 'Int32Array', values: [5, 12] }, // DuckDB rounds 4.5 half away from zero
      t: { type: 'Float64Array', values: [1000, 1000] },
    });
    // Transferred: the owner's arrays are detached (length 0) once posted.
    const owned = lent.lastColumns!;
    expect((owned['price'] as Float64Array).length).toBe(0);
    expect((owned['n'] as Int32Array).length).toBe(0);
    expect(owned['product_id']).toEqual(['p1', 'p2']); // strings are cloned
  });

  it("re-raises the owner's error with its message, and the connection keeps working", async () => {
    const a = await call(worker, { cmd: 'rows', sql: 'SELECT * FROM no_such_table' });
    expect(a.ok).toBe(false);
    expect(a.error!.message).toMatch(/Table with name no_such_table does not exist/);
    expect((await call(worker, { cmd: 'rows', sql: 'SELECT 41 + 1 AS x' })).value).toEqual([{ x: 42 }]);
  });

  it("runs the worker's transaction on its own connection: invisible until commit, gone on rollback", async () => {
    const count = async (): Promise<number> =>
      (await owner.rows<{ n: number }>(`SELECT count(*) AS n FROM products`))[0]!.n;
    expect(
      await call(worker, {
        cmd: 'transaction',
        sql: `INSERT INTO products (product_id, is_merchandise) VALUES ('p3', true)`,
      }),
    ).toEqual({
      ok: true,
      value: 'open',
    });
    expect(await count()).toBe(2); // the owner's own connection does not see the open transaction
    expect(await call(worker, { cmd: 'end', commit: false })).toEqual({
      ok: false,
      error: { name: 'Error', message: 'rolled back on purpose' },
    });
    expect(await count()).toBe(2);

    expect(
      await call(worker, {
        cmd: 'transaction',
        sql: `INSERT INTO products (product_id, is_merchandise) VALUES ('p4', true)`,
      }),
    ).toEqual({ ok: true, value: 'open' });
    expect(await count()).toBe(2);
    expect(await call(worker, { cmd: 'end', commit: true })).toEqual({ ok: true, value: 'committed' });
    expect(await count()).toBe(3);
  });

  it('borrows another connection of the same database, which sees only committed rows', async () => {
    expect(
      await call(worker, {
        cmd: 'transaction',
        sql: `INSERT INTO products (product_id, is_merchandise) VALUES ('p5', true)`,
      }),
    ).toEqual({ ok: true, value: 'open' });
    const seen = await call(worker, { cmd: 'second', sql: `SELECT count(*) AS n FROM products` });
    expect(seen).toEqual({ ok: true, value: [{ n: 3 }] }); // p5 is not committed yet
    expect(await call(worker, { cmd: 'end', commit: false })).toMatchObject({ ok: false });
  });

  it('reports progress synchronously (-1 before any figure arrived, then what the owner said)', async () => {
    const first = await call(worker, { cmd: 'progress' });
    expect(first.value).toEqual({ percentage: -1 });
    const again = await call(worker, { cmd: 'progress' });
    expect((again.value as { percentage: number }).percentage).toBe(owner.progress().percentage);
  });

  it('closes the lent connection when the worker closes its side, and refuses later calls', async () => {
    expect(lent.closed).toBe(false);
    expect(await call(worker, { cmd: 'close' })).toEqual({ ok: true });
    await served.done;
    expect(lent.closed).toBe(true);
    const a = await call(worker, { cmd: 'rows', sql: 'SELECT 1' });
    expect(a.error!.message).toMatch(/warehouse connection to .*remote\.duckdb is closed/);
    expect((await owner.rows('SELECT 1 AS one'))[0]).toEqual({ one: 1 }); // the owner's own connection is untouched
  });
});

describe('a worker that ends without closing', () => {
  it('still gets its connection closed, an open transaction rolled back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsight-remote-exit-'));
    const owner = await DuckDBWarehouse.open(join(dir, 'exit.duckdb'));
    try {
      const lent = spy(await owner.connect());
      const { port1, port2 } = new MessageChannel();
      const served = serveWarehouse(port1, lent);
      const worker = spawnWorker(import.meta.url, 'test-remote-worker', { port: port2 }, [port2]);
      await next(worker);
      await call(worker, {
        cmd: 'transaction',
        sql: `INSERT INTO products (product_id) VALUES ('half-done')`,
      });
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ cmd: 'exit' } satisfies TestCommand);
      expect(await exited).toBe(3);
      await served.done;
      expect(lent.closed).toBe(true);
      expect(await owner.rows(`SELECT count(*) AS n FROM products`)).toEqual([{ n: 0 }]);
    } finally {
      await owner.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
