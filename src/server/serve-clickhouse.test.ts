/**
 * `shopsight serve --db clickhouse://...` on a 2-shard cluster started here: two servers on the one
 * cluster (two API replicas), events sent to both at once (and 50 sent to both, a client retrying
 * through the other replica), exact counts in ClickHouse after both shut down; every route not built
 * for ClickHouse answers 501 naming the engine (after the key check); the first server makes the
 * admin key and the second reads it from the cluster. Servers listen on port 0.
 * Without clickhouse-server the suite is skipped with a printed message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import { chColumns } from '../warehouse/clickhouse/schema.js';
import {
  clickhouseInstalled,
  SKIP_MESSAGE,
  startTestCluster,
  type TestCluster,
} from '../warehouse/clickhouse/test-cluster.js';
import { startServer, type RunningServer } from './serve.js';

if (!clickhouseInstalled) console.warn(SKIP_MESSAGE);

function batch(prefix: string, n: number, product = 'P1'): object[] {
  return Array.from({ length: n }, (_, i) => ({
    event: i % 4 === 0 ? 'add_to_cart' : 'product_viewed',
    event_id: `${prefix}-${i}`,
    customer_id: `c${i % 17}`,
    timestamp: new Date(Date.UTC(2026, 10, 20, 10) + i * 1000).toISOString(),
    product_id: i % 2 ? product : 'P2',
  }));
}

describe.skipIf(!clickhouseInstalled)('shopsight serve on a ClickHouse cluster', () => {
  let cluster: TestCluster;
  let ch: ClickHouseStore;
  let one: RunningServer;
  let two: RunningServer;
  let key: string;

  beforeAll(async () => {
    cluster = startTestCluster(2);
    ch = await ClickHouseStore.open(cluster.url('shop'));
    // The catalogue (an import would write it): two products on every node.
    const cols = chColumns('products').map((c) => c.name);
    const line = (id: string): string =>
      cols.map((c) => (c === 'product_id' ? id : c === 'is_merchandise' ? '1' : '\\N')).join('\t') + '\n';
    await ch.insertTsv('products', cols, () => [line('P1'), line('P2')], { everyNode: true });
    const config = { dbPath: cluster.url('shop'), port: 0, host: '127.0.0.1', logLevel: 'silent' };
    one = await startServer(config);
    two = await startServer(config);
    key = one.bootstrapKey!;
  }, 120_000);

  afterAll(async () => {
    await one?.close().catch(() => undefined);
    await two?.close().catch(() => undefined);
    await ch?.close();
    cluster?.stop();
  });

  const post = (server: RunningServer, body: unknown): Promise<Response> =>
    fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('the first server makes the admin key; the second reads it from the cluster', async () => {
    expect(key).toMatch(/^ssk_/);
    expect(two.bootstrapKey).toBeUndefined();
    const res = await post(two, batch('probe', 1)[0]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });
  });

  it('every route not built for ClickHouse answers 501 naming the engine, after the key check', async () => {
    const runs = new Set(['POST /v1/events', 'GET /healthz', 'GET /v1/openapi.json']);
    const others = one.routes.filter((r) => !runs.has(`${r.method} ${r.url}`));
    expect(others.length).toBeGreaterThan(30);
    for (const r of others) {
      const path = r.url.replace(/:[a-z_]+/gi, 'x').replace('*', 'x');
      const res = await fetch(`${one.url}${path}`, {
        method: r.method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(['POST', 'PUT', 'PATCH'].includes(r.method) ? { 'content-type': 'application/json' } : {}),
        },
        ...(['POST', 'PUT', 'PATCH'].includes(r.method) ? { body: '{}' } : {}),
      });
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect([r.method, r.url, res.status, body.error.code]).toEqual([
        r.method,
        r.url,
        501,
        'not_on_clickhouse',
      ]);
      expect(body.error.message).toContain('engine clickhouse');
      expect(body.error.message).toContain(`${r.method} ${r.url} does not run on ClickHouse yet`);
    }
    const noKey = await fetch(`${one.url}/v1/segments`);
    expect(noKey.status).toBe(401);
    expect((await fetch(`${one.url}/healthz`)).status).toBe(200);
  }, 120_000);

  it('two servers taking events at once: exact counts in ClickHouse after both close', async () => {
    const sends: Promise<Response>[] = [];
    for (let r = 0; r < 20; r++) {
      sends.push(post(one, { batch: batch(`one-${r}`, 50) }), post(two, { batch: batch(`two-${r}`, 50) }));
    }
    // The same 50 through both replicas at once, and one event naming a product not in the catalogue.
    sends.push(post(one, { batch: batch('shared', 50) }), post(two, { batch: batch('shared', 50) }));
    sends.push(
      post(one, {
        batch: [...batch('odd', 2), ...batch('nosuch', 1, 'NOPE').map((e) => ({ ...e, product_id: 'NOPE' }))],
      }),
    );
    const answers = await Promise.all(sends);
    const bodies = (await Promise.all(answers.map((a) => a.json()))) as {
      accepted: number;
      duplicates: number;
      rejected: { field: string; reason: string }[];
    }[];
    expect(answers.slice(0, 40).map((a) => a.status)).toEqual(Array(40).fill(200));
    expect(bodies.slice(0, 40).every((b) => b.accepted === 50)).toBe(true);
    const shared = bodies.slice(40, 42);
    // Each replica took all 50 or saw the other's stored copy; together 50 or 100, stored once.
    expect(shared.every((b) => b.accepted + b.duplicates === 50)).toBe(true);
    expect(answers[42]!.status).toBe(207);
    expect(bodies[42]!.accepted).toBe(2);
    expect(bodies[42]!.rejected).toEqual([
      expect.objectContaining({
        field: 'product_id',
        reason: expect.stringContaining("unknown product 'NOPE'"),
      }),
    ]);
    // A retry of a stored batch is all duplicates.
    const again = (await (await post(two, { batch: batch('one-0', 50) })).json()) as {
      accepted: number;
      duplicates: number;
    };
    expect(again).toMatchObject({ accepted: 0, duplicates: 50 });

    await one.close();
    await two.close();
    // 1 probe + 40 x 50 + 50 shared + 2 = 2,053 events; add_to_cart: every 4th of each 50 (13) x 41,
    // the probe, and the first of 'odd'.
    const [r] = await ch.rows<{ n: number; ids: number; carts: number }>(
      "SELECT count() AS n, uniqExact(event_id) AS ids, countIf(type = 'add_to_cart') AS carts FROM events FINAL",
    );
    expect({ n: Number(r!.n), ids: Number(r!.ids), carts: Number(r!.carts) }).toEqual({
      n: 2_053,
      ids: 2_053,
      carts: 13 * 41 + 2,
    });
  }, 120_000);
});
