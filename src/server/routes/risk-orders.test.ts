import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreOrdersAndStore, trainRiskAndRegister } from '../../registry/risk.js';
import { findModel } from '../../warehouse/model-store.js';
import { fillRiskStore } from '../../warehouse/test-risk-store.js';
import { startTestServer, type TestServer } from '../test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<Json> => (await r.json()) as Json;

/** The 36 orders of customers c0..c5, the 50x order and the burst: what risk@2 rescores. */
const RESCORED = [
  ...Array.from({ length: 36 }, (_, i) => `o${Math.floor(i / 6)}_${i % 6}`),
  'big1',
  ...Array.from({ length: 6 }, (_, k) => `burst${k + 1}`),
];

let s: TestServer;
let empty: TestServer;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-risk-orders-'));
  s = await startTestServer({
    seed: async (wh) => {
      await fillRiskStore(wh);
      // risk@1 (isolation forest, no labels) scores every order...
      await trainRiskAndRegister(wh);
      await scoreOrdersAndStore(wh);
      // ...then risk@2, trained on labels (fraud = more than 6 units, as registry/risk.test.ts),
      // rescores 43 of them: the newest version's rows are those 43.
      const rows = await wh.rows<{ order_id: string; units: number }>(
        'SELECT order_id, sum(quantity) AS units FROM order_items GROUP BY order_id ORDER BY order_id',
      );
      const file = join(dir, 'labels.csv');
      writeFileSync(
        file,
        ['order_id,is_fraud', ...rows.map((r) => `${r.order_id},${r.units > 6 ? 1 : 0}`)].join('\n'),
      );
      await trainRiskAndRegister(wh, { labels: file, reviewRate: 0.05 });
      await scoreOrdersAndStore(wh, { orderIds: RESCORED });
    },
  });
  empty = await startTestServer();
}, 180_000);
afterAll(async () => {
  await s?.close();
  await empty?.close();
});

/** The newest version's stored model scores, highest first, straight from the table. */
async function storedScores(): Promise<
  { order_id: string; score: number; model_score: number; held: boolean }[]
> {
  return s.ctx.db.read((wh) =>
    wh.rows(
      'SELECT order_id, score, model_score, held FROM order_risk WHERE model_version = 2 ORDER BY score DESC, order_id',
    ),
  );
}

describe('GET /v1/risk/orders', () => {
  it('lists the newest version only, riskiest first, with reasons and the order around it', async () => {
    const body = await json(await s.fetch('/v1/risk/orders?page_size=10', { key: 'read' }));
    const stored = await storedScores();
    expect(stored.length).toBe(RESCORED.length);
    expect(body).toMatchObject({
      model_version: 2,
      scored: RESCORED.length,
      held: stored.filter((r) => r.held).length,
      total: RESCORED.length,
      page: 1,
      page_size: 10,
      reason: null,
    });
    expect(body['orders'].map((o: Json) => o['order_id'])).toEqual(
      stored.slice(0, 10).map((r) => r.order_id),
    );
    const big = (await json(await s.fetch(`/v1/risk/orders?page_size=100`, { key: 'read' })))['orders'].find(
      (o: Json) => o['order_id'] === 'big1',
    );
    // big1: customer c7, 200 units at 40 on 2024-02-18 14:40 UTC (warehouse/test-risk-store.ts).
    expect(big).toMatchObject({ customer_id: 'c7', country: 'FR', ordered_at: '2024-02-18T14:40:00.000Z' });
    expect(big['reasons'].length).toBeGreaterThan(0);
  });

  it('pages on, and filters the held orders', async () => {
    const stored = await storedScores();
    const p2 = await json(await s.fetch('/v1/risk/orders?page=2&page_size=10', { key: 'read' }));
    expect(p2['orders'].map((o: Json) => o['order_id'])).toEqual(stored.slice(10, 20).map((r) => r.order_id));
    const held = await json(await s.fetch('/v1/risk/orders?held=true&page_size=100', { key: 'read' }));
    const heldIds = stored.filter((r) => r.held).map((r) => r.order_id);
    expect(heldIds.length).toBeGreaterThan(0);
    expect(held['total']).toBe(heldIds.length);
    expect(held['orders'].map((o: Json) => o['order_id'])).toEqual(heldIds);
  });

  it('refuses a page size over 100 or a page 0, naming the field', async () => {
    for (const q of ['page_size=101', 'page=0']) {
      const r = await s.fetch(`/v1/risk/orders?${q}`, { key: 'read' });
      expect(r.status).toBe(400);
      expect((await json(r))['error']['message']).toContain(q.split('=')[0]);
    }
  });

  it('is empty with what to run on a store with no scores', async () => {
    const body = await json(await empty.fetch('/v1/risk/orders', { key: 'read' }));
    expect(body).toMatchObject({ model_version: null, scored: 0, total: 0, orders: [] });
    expect(body['reason']).toContain('npx shopsight risk score');
  });
});

describe('GET /v1/risk/review-rates', () => {
  it('cuts the stored scores at each rate and carries the precision and recall the training measured', async () => {
    const body = await json(await s.fetch('/v1/risk/review-rates', { key: 'read' }));
    expect(body).toMatchObject({ model_version: 2, model: 'gbdt', labelled: true, review_rate: 0.05 });
    const record = await s.ctx.db.read((wh) => findModel(wh, 'risk', 2));
    const curve = record!.metrics['reviewCurve'] as Json[];
    expect(body['threshold']).toBe(record!.metrics['threshold']);
    // 0.5% .. 20%: the model rate 5% is on the grid already.
    expect(body['rates'].map((r: Json) => r['rate'])).toEqual([
      0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2,
    ]);
    const modelScores = (await storedScores()).map((r) => r.model_score).sort((a, b) => b - a);
    for (const r of body['rates'] as Json[]) {
      // 43 scored orders: rank max(1, round(rate x 43)); every order at or above that score is held.
      const k = Math.max(1, Math.round(r['rate'] * 43));
      expect(r['threshold']).toBe(modelScores[k - 1]);
      expect(r['orders']).toBe(modelScores.filter((x) => x >= modelScores[k - 1]!).length);
      const measured = curve.find((c) => c['rate'] === r['rate'])!;
      expect(r['expected_precision']).toBe(measured['precision']);
      expect(r['expected_recall']).toBe(measured['recall']);
    }
    // The stored point at the model's rate is the model's own expectation.
    const own = curve.find((c) => c['rate'] === 0.05)!;
    expect(own['precision']).toBe(record!.metrics['expectedPrecision']);
    expect(own['recall']).toBe(record!.metrics['expectedRecall']);
  });

  it('claims nothing on a store with no scores', async () => {
    const body = await json(await empty.fetch('/v1/risk/review-rates', { key: 'read' }));
    expect(body).toMatchObject({ model_version: null, labelled: false, rates: [] });
    expect(body['reason']).toContain('npx shopsight train risk');
  });
});
