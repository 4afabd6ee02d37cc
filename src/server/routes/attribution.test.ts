import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainRecommendVersion } from '../../registry/test-recommend-versions.js';
import { fillServingStore } from '../../tasks/recommend/test-serving-store.js';
import { openWarehouse } from '../../warehouse/open.js';
import { startTestServer, type TestServer } from '../test-server.js';

/**
 * The feedback loop end to end over HTTP: a recommendation response's request_id, then a click, an
 * add-to-cart and a purchase sent back through POST /v1/events carrying it, show up in
 * GET /v1/analytics/recommendations for the model version that served the response. Impressions and
 * events reach the warehouse in batches (their buffers flush every second or so), so the report is
 * polled until they are in.
 */
const dir = mkdtempSync(join(tmpdir(), 'shopsight-attribution-'));
const dbPath = join(dir, 'store.duckdb');
let s: TestServer;
beforeAll(async () => {
  const wh = await openWarehouse(dbPath, { create: true });
  await fillServingStore(wh);
  await trainRecommendVersion(wh, 'item-knn', { promote: true });
  await wh.close();
  s = await startTestServer({ dbPath });
}, 120_000);
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;

async function poll(path: string, done: (body: Json) => boolean, ms = 20_000): Promise<Json> {
  const until = Date.now() + ms;
  for (;;) {
    const res = await s.fetch(path, { key: 'read' });
    const body = (await res.json()) as Json;
    if (res.status === 200 && done(body)) return body;
    if (Date.now() > until) throw new Error(`${path} never satisfied the test: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('attribution of a purchase to the recommendation that led to it', () => {
  it('counts the click, the cart and the purchase for the serving model version', async () => {
    const rec = await s.fetch('/v1/recommendations/user/c1', { key: 'read' });
    expect(rec.status).toBe(200);
    const answer = (await rec.json()) as {
      request_id: string;
      model_version: number;
      items: { product_id: string }[];
    };
    expect(answer.model_version).toBe(1);
    const product = answer.items[0]!.product_id;
    const at = (offsetMs: number): string => new Date(Date.now() - 5_000 + offsetMs).toISOString();

    const events = await s.fetch('/v1/events', {
      key: 'ingest',
      json: {
        batch: [
          {
            event: 'recommendation_click',
            event_id: 'att-click',
            customer_id: 'c1',
            timestamp: at(1_000),
            product_id: product,
            request_id: answer.request_id,
          },
          {
            event: 'add_to_cart',
            event_id: 'att-cart',
            customer_id: 'c1',
            timestamp: at(2_000),
            product_id: product,
            request_id: answer.request_id,
          },
          {
            event: 'purchase',
            event_id: 'att-buy',
            customer_id: 'c1',
            timestamp: at(3_000),
            value: 42.5,
            request_id: answer.request_id,
          },
          // The same customer's view without the id is not the recommendation's doing.
          {
            event: 'view',
            event_id: 'att-other',
            customer_id: 'c1',
            timestamp: at(3_500),
            product_id: product,
          },
        ],
      },
    });
    expect(events.status, await events.clone().text()).toBe(200);

    const rowOf = (body: Json): Json | undefined =>
      (body['rows'] as Json[]).find((r) => r['model_version'] === answer.model_version);
    const body = await poll('/v1/analytics/recommendations', (b) => (rowOf(b)?.['orders'] as number) === 1);
    expect(rowOf(body)).toMatchObject({
      model_version: 1,
      impressions: 1,
      clicked_impressions: 1,
      clicks: 1,
      ctr: 1,
      carted_impressions: 1,
      converted_impressions: 1,
      orders: 1,
      revenue: 42.5,
    });
  });
});
