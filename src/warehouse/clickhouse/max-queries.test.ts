/**
 * max_queries (location.ts): the requests one process has in flight to a node, across every handle
 * on it, never exceed the location's limit. Six one-second queries are sent at once from two handles
 * (the store and one from connect()) while the node's own system.processes is polled by plain HTTP,
 * outside the store: it never lists more than two of them, and does list two.
 * Without clickhouse-server the suite is skipped with a printed message.
 */
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseStore } from './clickhouse-store.js';
import { clickhouseInstalled, SKIP_MESSAGE, startTestCluster, type TestCluster } from './test-cluster.js';

if (!clickhouseInstalled) console.warn(`max_queries: ${SKIP_MESSAGE}`);

/** One plain GET to the node's HTTP interface, not through the store (so not gated). */
function plainQuery(url: string, sql: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(`${url}/?query=${encodeURIComponent(sql)}`, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

describe.skipIf(!clickhouseInstalled)('max_queries holds a node to that many requests', () => {
  let cluster: TestCluster;
  let ch: ClickHouseStore;

  beforeAll(async () => {
    cluster = startTestCluster(1);
    ch = await ClickHouseStore.open(`${cluster.url('shop')}&max_queries=2`);
  }, 120_000);

  afterAll(async () => {
    await ch?.close();
    cluster?.stop();
  });

  it('six queries at once from two handles: never more than two on the node', async () => {
    const other = await ch.connect();
    const tag = 'shopsight_gate_probe';
    const queries = [ch, ch, ch, other, other, other].map((h) =>
      h.rows<{ s: number }>(`SELECT sleep(1) AS s, '${tag}' AS tag`),
    );
    let done = false;
    const all = Promise.all(queries).finally(() => (done = true));
    const seen: number[] = [];
    while (!done) {
      const n = await plainQuery(
        cluster.nodeUrl(1),
        `SELECT count() FROM system.processes WHERE query LIKE '%sleep(1) AS s, ''${tag}''%' AND query NOT LIKE '%system.processes%'`,
      );
      seen.push(Number(n.trim()));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await all).map((rows) => rows[0]?.s)).toEqual([0, 0, 0, 0, 0, 0]);
    await other.close();
    expect(Math.max(...seen)).toBe(2);
  }, 60_000);
});
