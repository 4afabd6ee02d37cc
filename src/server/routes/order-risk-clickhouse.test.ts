import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreOrdersAndStore, trainRiskAndRegister } from '../../registry/risk.js';
import { ClickHouseStore } from '../../warehouse/clickhouse/clickhouse-store.js';
import {
  clickhouseInstalled,
  SKIP_MESSAGE,
  startTestCluster,
  type TestCluster,
} from '../../warehouse/clickhouse/test-cluster.js';
import { fillRiskStore } from '../../warehouse/test-risk-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { startServer, type RunningServer } from '../serve.js';
import { startTestServer, type TestServer } from '../test-server.js';

if (!clickhouseInstalled) console.warn(`order risk routes on ClickHouse: ${SKIP_MESSAGE}`);

/** order-risk.test.ts's seed: the risk store, risk@1 (isolation forest), three orders scored. */
async function seed(wh: Warehouse): Promise<void> {
  await fillRiskStore(wh);
  await trainRiskAndRegister(wh);
  await scoreOrdersAndStore(wh, { orderIds: ['big1', 'burst6', 'o1_1'] });
}

const BIG1 = {
  order_id: 'big1',
  customer_id: 'c7',
  ordered_at: '2024-02-18T14:40:00Z',
  country: 'FR',
  lines: [{ product_id: 'p3', quantity: 200, unit_price: 40 }],
};
const GUEST = {
  ordered_at: '2024-02-20T10:00:00Z',
  device_id: 'dev-1',
  lines: [
    { product_id: 'p4', quantity: 3, unit_price: 12.5 },
    { product_id: 'p9', quantity: 1, unit_price: 7, line_total: 6.3 },
  ],
  rules: [{ name: 'big', field: 'log_value', operator: '>', threshold: 3, score: 0.25 }],
};

describe.skipIf(!clickhouseInstalled)('order risk routes on a ClickHouse server', () => {
  let cluster: TestCluster;
  let ch: RunningServer;
  let key: string;
  let duck: TestServer;

  beforeAll(async () => {
    cluster = startTestCluster(2);
    const store = await ClickHouseStore.open(cluster.url('risk'));
    try {
      await seed(store);
    } finally {
      await store.close();
    }
    ch = await startServer({ dbPath: cluster.url('risk'), port: 0, host: '127.0.0.1', logLevel: 'silent' });
    key = ch.bootstrapKey!;
    duck = await startTestServer({ seed });
  }, 240_000);

  afterAll(async () => {
    await ch?.close().catch(() => undefined);
    await duck?.close().catch(() => undefined);
    cluster?.stop();
  });

  /** The same request to both servers: [status, body] of each, without request ids and write times. */
  const both = async (path: string, json?: unknown): Promise<{ ch: unknown; duck: unknown }> => {
    const init = (k: string): RequestInit => ({
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${k}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    });
    const body = async (r: Response): Promise<unknown> => {
      const j = (await r.json()) as Record<string, unknown>;
      delete j['request_id'];
      delete j['scored_at'];
      if (j['error']) delete (j['error'] as Record<string, unknown>)['request_id'];
      return [r.status, j];
    };
    return {
      ch: await body(await fetch(`${ch.url}${path}`, init(key))),
      duck: await body(await fetch(`${duck.url}${path}`, init(duck.keys.admin))),
    };
  };

  it('the stored score, the list and the review rates: the same JSON as on DuckDB', async () => {
    for (const path of [
      '/v1/orders/big1/risk',
      '/v1/orders/nope/risk',
      '/v1/orders/o2_2/risk',
      '/v1/risk/orders',
      '/v1/risk/orders?held=true&page_size=1',
      '/v1/risk/orders?page=2&page_size=2',
      '/v1/risk/review-rates',
    ]) {
      const r = await both(path);
      expect({ path, body: r.ch }).toEqual({ path, body: r.duck });
    }
    const big1 = (await both('/v1/orders/big1/risk')).ch as [number, Record<string, unknown>];
    expect(big1[0]).toBe(200);
    expect(big1[1]).toMatchObject({ order_id: 'big1', held: true, model_version: 1 });
    expect(big1[1]['score']).toBeCloseTo(1 - 1 / 487, 12);
  });

  it('POST /v1/risk/score scores a sent order as on DuckDB (features as of its time)', async () => {
    for (const body of [BIG1, GUEST]) {
      const r = await both('/v1/risk/score', body);
      expect(r.ch).toEqual(r.duck);
      expect((r.ch as [number])[0]).toBe(200);
    }
    const big1 = (await both('/v1/risk/score', BIG1)).ch as [number, Record<string, Record<string, number>>];
    expect(big1[1]['features']!['customer_earlier_orders']).toBe(6);
    expect(big1[1]['features']!['log_max_line_quantity']).toBeCloseTo(Math.log(201), 5);
  });
});
