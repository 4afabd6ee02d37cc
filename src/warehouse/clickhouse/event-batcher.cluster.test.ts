/**
 * Event batchers on a real 2-shard cluster (started here): two stores with a batcher each, as two
 * `shopsight serve` processes, writing at once, with 200 events sent through both (a client retrying
 * through another replica); the counts after are exact. And a batch that fails because a shard died
 * is kept, retried once the node is back, and stored once.
 * Without clickhouse-server the suite is skipped with a printed message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveEvent } from '../../ingest/live-event.js';
import { ClickHouseStore } from './clickhouse-store.js';
import { ClickHouseEventBatcher } from './event-batcher.js';
import { clickhouseInstalled, SKIP_MESSAGE, startTestCluster, type TestCluster } from './test-cluster.js';

if (!clickhouseInstalled) console.warn(SKIP_MESSAGE);

function events(prefix: string, n: number, from = 0): LiveEvent[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return {
      event_id: `${prefix}${i}`,
      type: i % 3 === 0 ? 'add_to_cart' : 'view',
      customer_id: i % 5 === 0 ? null : `c${i % 97}`,
      anonymous_id: i % 5 === 0 ? `anon${i}` : null,
      session_id: `s${i % 13}`,
      product_id: `p${i % 11}`,
      request_id: null,
      query: null,
      value: i % 3 === 0 ? 1.25 : null,
      occurred_at: new Date(Date.UTC(2026, 10, 1) + i * 1000).toISOString(),
      properties: i % 2 ? { page: `/p/${i}` } : null,
    } as LiveEvent;
  });
}

describe.skipIf(!clickhouseInstalled)('event batchers writing to a 2-shard cluster', () => {
  let cluster: TestCluster;
  let a: ClickHouseStore;
  let b: ClickHouseStore;

  beforeAll(async () => {
    cluster = startTestCluster(2);
    a = await ClickHouseStore.open(cluster.url('shop'));
    b = await ClickHouseStore.open(cluster.url('shop'));
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    cluster?.stop();
  });

  async function counts(
    store: ClickHouseStore,
  ): Promise<{ final: number; ids: number; carts: number; value: string }> {
    const [r] = await store.rows<{ final: number; ids: number; carts: number; value: string }>(
      `SELECT count() AS final, uniqExact(event_id) AS ids, countIf(type = 'add_to_cart') AS carts,
              toString(sum(ifNull(value, toDecimal64(0, 4)))) AS value FROM events FINAL`,
    );
    return { final: Number(r!.final), ids: Number(r!.ids), carts: Number(r!.carts), value: r!.value };
  }

  it('two batchers at once: every event stored once, the shared ones too (exact counts)', async () => {
    const ba = ClickHouseEventBatcher.forStore(a, { maxRows: 500, maxWaitMs: 20 });
    const bb = ClickHouseEventBatcher.forStore(b, { maxRows: 500, maxWaitMs: 20 });
    const mine = { a: events('a', 3_000), b: events('b', 3_000) };
    const shared = events('shared', 200);
    const writes: Promise<void>[] = [];
    // 50-event requests interleaved between the two "processes"; the shared ones go to both.
    for (let i = 0; i < 60; i++) {
      writes.push(ba.add(mine.a.slice(i * 50, i * 50 + 50)), bb.add(mine.b.slice(i * 50, i * 50 + 50)));
      if (i % 15 === 0) {
        const part = shared.slice((i / 15) * 50, (i / 15) * 50 + 50);
        writes.push(ba.add(part), bb.add(part));
      }
    }
    await Promise.all(writes);
    await Promise.all([ba.close(), bb.close()]);
    expect(ba.stats.events).toBe(3_200);
    expect(bb.stats.events).toBe(3_200);
    // At most 500 a batch: at least 7 INSERTs each, never more than one per request.
    for (const s of [ba.stats, bb.stats]) {
      expect(s.batches).toBeGreaterThanOrEqual(7);
      expect(s.batches).toBeLessThanOrEqual(64);
    }
    // 6,000 own + 200 shared; carts: i % 3 == 0 of 0..2999 twice (2,000) and of 0..199 (67).
    expect(await counts(a)).toEqual({ final: 6_200, ids: 6_200, carts: 2_067, value: '2583.7500' });
    // Stored on both shards, and once merged, no duplicate row remains.
    for (const sql of ['OPTIMIZE TABLE `shop`.`events_local` FINAL']) await a.execOnEachNode(sql);
    const perShard = await a.rowsOnEachNode<{ n: number }>(
      `SELECT count() AS n FROM ${a.localTable('events')}`,
    );
    const n = perShard.map((r) => Number(r[0]!.n));
    expect(n[0]! + n[1]!).toBe(6_200);
    expect(Math.min(...n)).toBeGreaterThan(0);
  }, 120_000);

  it('a batch that fails because a shard died is kept, retried once the node is back, stored once', async () => {
    const before = (await counts(a)).final;
    const errors: string[] = [];
    const batcher = ClickHouseEventBatcher.forStore(a, {
      maxRows: 10_000,
      maxWaitMs: 10,
      retryMs: 200,
      onError: (err) => errors.push((err as Error).message),
    });
    cluster.killNode(2);
    let stored = false;
    const add = batcher.add(events('late', 1_000)).then(() => (stored = true));
    while (errors.length < 2) await new Promise((r) => setTimeout(r, 50));
    expect(stored).toBe(false);
    expect(batcher.pending).toBe(1_000);
    expect(errors[0]).toMatch(/code 210|Connection refused/);
    cluster.restart();
    await add;
    await batcher.close();
    expect(batcher.stats.events).toBe(1_000);
    expect((await counts(a)).final).toBe(before + 1_000);
  }, 120_000);
});
