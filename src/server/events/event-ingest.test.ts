import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { LiveEvent } from '../../ingest/live-event.js';
import { EventIngest, IngestBacklogError, type EventStore, type IngestOutcome } from './event-ingest.js';
import { decodeRecords } from './event-log.js';
import { testEvent as ev } from './test-events.js';

const NOW = Date.UTC(2026, 11, 1, 12);
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
let dir: string;
let wh: Warehouse;
let store: EventStore;
const open: EventIngest[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shopsight-ingest-'));
  wh = await DuckDBWarehouse.open(':memory:');
  await wh.exec(`INSERT INTO products (product_id, is_merchandise) VALUES ('P1', true), ('P2', true)`);
  store = { read: (fn) => fn(wh), write: (fn) => fn(wh) };
});
afterEach(async () => {
  for (const i of open.splice(0)) await i.close().catch(() => undefined);
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

const start = async (over: Partial<Parameters<typeof EventIngest.start>[0]> = {}): Promise<EventIngest> => {
  const i = await EventIngest.start({
    store,
    logPath: join(dir, 'shop.duckdb.events.wal'),
    log: quiet,
    flushIntervalMs: 3_600_000,
    now: () => NOW,
    ...over,
  });
  open.push(i);
  return i;
};
/** A batch as the route sends it: the request body's bytes. */
async function submit(ingest: EventIngest, events: readonly unknown[]): Promise<IngestOutcome> {
  const out = await ingest.submitBody(Buffer.from(JSON.stringify({ batch: events })));
  if ('error' in out) throw new Error(`body refused: ${out.error.reason}`);
  return out;
}
const count = async (): Promise<number> =>
  (await wh.rows<{ n: number }>('SELECT count(*) AS n FROM events'))[0]!.n;

describe('EventIngest', () => {
  it('accepts valid events, rejects the others one by one, and counts duplicates', async () => {
    const ingest = await start();
    const out = await submit(ingest, [
      ev('e1'),
      ev('e2', { timestamp: '2030-01-01T00:00:00Z' }),
      ev('e3', { product_id: 'NOPE' }),
      ev('e1'),
      ev('e4', { event: 'add_to_cart', product_id: 'P2' }),
    ]);
    expect(out.accepted).toBe(2);
    expect(out.duplicates).toBe(1);
    expect(out.rejected.map((r) => [r.index, r.event_id, r.field])).toEqual([
      [1, 'e2', 'timestamp'],
      [2, 'e3', 'product_id'],
    ]);
    expect(out.rejected[1]!.reason).toMatch(/unknown product 'NOPE'/);
    // Durable but not in the warehouse until a flush.
    expect(await count()).toBe(0);
    expect(ingest.backlog).toBe(2);
    // A retry before the flush: nothing new.
    expect(await submit(ingest, [ev('e1'), ev('e4', { event: 'add_to_cart', product_id: 'P2' })])).toEqual({
      accepted: 0,
      duplicates: 2,
      rejected: [],
    });
    expect(await ingest.flush()).toBe(2);
    expect(await count()).toBe(2);
    expect(ingest.backlog).toBe(0);
    // A retry after the flush: the warehouse answers.
    expect((await submit(ingest, [ev('e1'), ev('e5')])).duplicates).toBe(1);
    await ingest.flush();
    expect(await count()).toBe(3);
  });

  it('takes a body checked on the worker thread as one checked on this one, and logs only the accepted events', async () => {
    const log = join(dir, 'shop.duckdb.events.wal');
    const body = (events: unknown[]): Buffer => Buffer.from(JSON.stringify({ batch: events }));
    // 0: every body goes to the worker; Infinity: none does.
    for (const [offThreadBytes, p] of [
      [0, 'w'],
      [Infinity, 'i'],
    ] as const) {
      const ingest = await start({ offThreadBytes });
      const sent = [
        ev(`${p}1`),
        ev(`${p}2`, { product_id: 'NOPE' }),
        ev(`${p}1`),
        ev(`${p}3`, { timestamp: '1980-01-01T00:00:00Z' }),
        ev(`${p}4`, { properties: { note: 'Zoë ☕' } }),
      ];
      expect(await ingest.submitBody(body(sent))).toEqual({
        accepted: 2,
        duplicates: 1,
        rejected: [
          {
            index: 1,
            event_id: `${p}2`,
            field: 'product_id',
            reason: expect.stringMatching(/unknown product 'NOPE'/),
          },
          { index: 3, event_id: `${p}3`, field: 'timestamp', reason: expect.stringMatching(/before 1990/) },
        ],
      });
      // The log's record holds exactly the accepted events, as checked.
      const [record] = decodeRecords<LiveEvent[]>(readFileSync(log)).records;
      expect(record!.map((e) => [e.event_id, e.properties])).toEqual([
        [`${p}1`, undefined],
        [`${p}4`, { note: 'Zoë ☕' }],
      ]);
      expect(await ingest.submitBody(Buffer.from('{"batch": ['))).toEqual({
        error: expect.objectContaining({ code: 'invalid_json' }) as unknown,
      });
      await ingest.close();
      open.splice(0);
    }
    expect(await wh.rows("SELECT event_id, properties->>'note' AS note FROM events ORDER BY 1")).toEqual([
      { event_id: 'i1', note: null },
      { event_id: 'i4', note: 'Zoë ☕' },
      { event_id: 'w1', note: null },
      { event_id: 'w4', note: 'Zoë ☕' },
    ]);
  });

  it('replays what a crashed run acknowledged, without counting anything twice', async () => {
    const first = await start();
    await submit(first, [ev('a1'), ev('a2')]);
    await first.flush(); // a1, a2 committed
    await submit(first, [ev('a3'), ev('a4')]);
    await submit(first, [ev('a5')]);
    // "Crash": the first instance never flushes or closes; a new one opens the same log.
    open.splice(0);
    const second = await start();
    expect(await count()).toBe(5);
    expect((await submit(second, [ev('a1'), ev('a3'), ev('a6')])).duplicates).toBe(2);
    await second.close();
    expect(await count()).toBe(6);
    expect((await wh.rows<{ n: number }>('SELECT count(DISTINCT event_id) AS n FROM events'))[0]!.n).toBe(6);
    // A graceful close leaves no log behind.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stores an event_id once even when it is reused for an event at another time', async () => {
    const ingest = await start();
    await submit(ingest, [ev('r1')]);
    await ingest.flush();
    // Not a retry (another time): the request-time check looks only at the batch's time span...
    const out = await submit(ingest, [ev('r1', { timestamp: '2026-11-01T00:00:00Z', event: 'purchase' })]);
    expect(out.accepted).toBe(1);
    // ...but the warehouse insert checks the whole table: the first r1 stays, alone.
    await ingest.flush();
    expect(await wh.rows("SELECT type, occurred_at FROM events WHERE event_id = 'r1'")).toEqual([
      { type: 'view', occurred_at: new Date('2026-11-30T10:00:00Z') },
    ]);
  });

  it('flushes by itself once the log holds flushEvents events', async () => {
    const ingest = await start({ flushEvents: 3 });
    await submit(ingest, [ev('b1'), ev('b2'), ev('b3')]);
    for (let i = 0; i < 100 && (await count()) < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await count()).toBe(3);
  });

  it('keeps the events in the log when the warehouse write fails, and writes them on the next flush', async () => {
    let fail = true;
    const flaky: EventStore = {
      read: (fn) => fn(wh),
      write: (fn) => (fail ? Promise.reject(new Error('disk full')) : fn(wh)),
    };
    const ingest = await start({ store: flaky });
    await submit(ingest, [ev('c1')]);
    await expect(ingest.flush()).rejects.toThrow('disk full');
    expect(readdirSync(dir).some((f) => /\.wal\.\d+$/.test(f))).toBe(true);
    expect((await submit(ingest, [ev('c1')])).duplicates).toBe(1);
    fail = false;
    expect(await ingest.flush()).toBe(1);
    expect(await count()).toBe(1);
  });

  it('refuses a batch when the backlog is full, and takes nothing of it', async () => {
    const ingest = await start({ maxBacklog: 2 });
    await submit(ingest, [ev('d1')]);
    await expect(submit(ingest, [ev('d2'), ev('d3')])).rejects.toBeInstanceOf(IngestBacklogError);
    expect(ingest.backlog).toBe(1);
    await ingest.close();
    expect(await count()).toBe(1);
    expect(existsSync(join(dir, 'shop.duckdb.events.wal'))).toBe(false);
  });

  it('answers a retry of committed events from memory, without a warehouse read', async () => {
    let reads = 0;
    const counting: EventStore = { read: (fn) => (reads++, fn(wh)), write: (fn) => fn(wh) };
    const ingest = await start({ store: counting });
    await submit(ingest, [ev('m1'), ev('m2')]); // P1 is looked up once, then known
    await ingest.flush();
    const before = reads;
    expect(await submit(ingest, [ev('m1'), ev('m2'), ev('m3')])).toEqual({
      accepted: 1,
      duplicates: 2,
      rejected: [],
    });
    expect(reads).toBe(before);
    await ingest.flush();
    expect(await count()).toBe(3);
  });

  it('asks the warehouse for spans older than its memory, and again after another writer changed events', async () => {
    // Stored before the start: the memory covers only what is newer than the newest stored event.
    await wh.exec(`INSERT INTO events (event_id, type, customer_id, occurred_at)
                   VALUES ('old1', 'view', 'C1', TIMESTAMP '2026-11-30 10:00:00')`);
    const ingest = await start();
    expect((await submit(ingest, [ev('old1')])).duplicates).toBe(1);
    // Another writer (an import) adds an event at a time the memory covered: after eventsChanged
    // the retry of it is still found.
    await wh.exec(`INSERT INTO events (event_id, type, customer_id, occurred_at)
                   VALUES ('imp1', 'view', 'C1', TIMESTAMP '2026-12-01 09:00:00')`);
    await ingest.eventsChanged();
    expect(await submit(ingest, [ev('imp1', { timestamp: '2026-12-01T09:00:00Z' })])).toEqual({
      accepted: 0,
      duplicates: 1,
      rejected: [],
    });
  });
});
