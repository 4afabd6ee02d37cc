import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainAndRegister } from '../registry/training.js';
import { openSyntheticStore } from '../tasks/customers/test-synthetic-store.js';
import { startTestServer, type TestServer } from './test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<Json> => (await r.json()) as Json;

const dir = mkdtempSync(join(tmpdir(), 'shopsight-admin-'));
let s: TestServer;

beforeAll(async () => {
  // recommend@1 (popularity) serves, recommend@2 (item-knn) is a stored candidate.
  const path = join(dir, 'store.duckdb');
  const wh = await openSyntheticStore(path);
  await trainAndRegister(wh, 'recommend', { model: 'popularity' });
  await trainAndRegister(wh, 'recommend', { model: 'item-knn', promote: false });
  await wh.close();
  s = await startTestServer({ dbPath: path });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls a job until it has finished. */
async function finished(statusUrl: string): Promise<Json> {
  for (;;) {
    const job = await json(await s.fetch(statusUrl, { key: 'admin' }));
    if (job['status'] !== 'running') return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the model registry in service', () => {
  it('promotes and rolls back under load with zero failed requests, and the served version changes', async () => {
    const seen: number[] = [];
    const failures: string[] = [];
    let stop = false;
    const hammer = async (): Promise<void> => {
      while (!stop) {
        const r = await s.fetch('/v1/models?task=recommend', { key: 'read' });
        if (r.status !== 200) failures.push(`${r.status} ${await r.text()}`);
        else seen.push((await json(r))['serving']['recommend']['version'] as number);
      }
    };
    const clients = [hammer(), hammer(), hammer(), hammer()];
    const served = async (n: number): Promise<void> => {
      const at = seen.length;
      while (seen.length < at + n) await new Promise((r) => setTimeout(r, 5));
    };
    try {
      await served(20);
      const promoted = await s.fetch('/v1/admin/promote', {
        key: 'admin',
        json: { task: 'recommend', version: 2 },
      });
      expect(promoted.status).toBe(200);
      // The new version is loaded before the answer: from now on every request gets it.
      expect(await json(promoted)).toEqual({
        task: 'recommend',
        model_id: 'recommend@2',
        version: 2,
        previous: 'recommend@1',
        serving_version: 2,
      });
      let from = seen.length;
      await served(20);
      expect(seen.slice(from + 4)).not.toContain(1); // the 4 in flight may have begun before the swap

      const back = await s.fetch('/v1/admin/rollback', { key: 'admin', json: { task: 'recommend' } });
      expect(await json(back)).toMatchObject({
        model_id: 'recommend@1',
        previous: 'recommend@2',
        serving_version: 1,
      });
      from = seen.length;
      await served(20);
      expect(seen.slice(from + 4)).not.toContain(2);

      const again = await s.fetch('/v1/admin/promote', {
        key: 'admin',
        json: { task: 'recommend', version: 2 },
      });
      expect((await json(again))['serving_version']).toBe(2);
      await served(20);
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    expect(failures).toEqual([]);
    expect(seen.length).toBeGreaterThanOrEqual(80);
    expect(new Set(seen)).toEqual(new Set([1, 2]));
    expect(seen.at(-1)).toBe(2);
  });

  it('trains in the background: 202 with a job, 409 for a second one, then the stored version with its metrics', async () => {
    const started = await s.fetch('/v1/admin/train/recommend', { key: 'admin', json: { model: 'item-knn' } });
    expect(started.status).toBe(202);
    const job = await json(started);
    expect(job).toMatchObject({
      task: 'recommend',
      status: 'running',
      status_url: `/v1/admin/jobs/${job['job_id']}`,
    });

    const second = await s.fetch('/v1/admin/train/recommend', { key: 'admin', json: {} });
    expect(second.status).toBe(409);
    expect((await json(second))['error']).toMatchObject({
      code: 'job_running',
      details: { job_id: job['job_id'], status_url: job['status_url'] },
    });
    // The server keeps answering while the worker trains.
    expect((await s.fetch('/v1/models', { key: 'read' })).status).toBe(200);

    const done = await finished(job['status_url'] as string);
    expect(done['status']).toBe('succeeded');
    expect(done['error']).toBeNull();
    expect(done['options']).toEqual({ model: 'item-knn' });
    const labels = (done['steps'] as Json[]).map((st) => st['label']);
    expect(labels[0]).toBe('loading interactions');
    expect(labels.at(-1)).toBe('storing the model');
    expect((done['models'] as Json[]).map((m) => [m['model_id'], m['status'], m['params']['model']])).toEqual(
      [['recommend@3', 'promoted', 'item-knn']],
    );
    expect(typeof done['models'][0]['metrics']['validationNdcg10']).toBe('number');
    // Promoted and loaded before the job reported success.
    expect((await json(await s.fetch('/v1/models?task=recommend', { key: 'read' })))['serving']).toEqual({
      recommend: { version: 3, model_id: 'recommend@3' },
    });
    const listed = await json(await s.fetch('/v1/admin/jobs', { key: 'admin' }));
    expect((listed['jobs'] as Json[]).map((j) => j['job_id'])).toEqual([job['job_id']]);
  });

  it('refuses a training body that does not fit the task, naming the field, and starts nothing', async () => {
    const refused = async (task: string, body: unknown): Promise<Json> => {
      const r = await s.fetch(`/v1/admin/train/${task}`, { key: 'admin', json: body });
      expect(r.status).toBe(400);
      return (await json(r))['error'] as Json;
    };
    expect((await refused('customers', { model: 'auto' }))['message']).toBe(
      'body.model: applies to recommend training, not customers',
    );
    expect((await refused('recommend', { model: 'itemknn' }))['message']).toMatch(
      /^body\.model: unknown recommender 'itemknn' \(did you mean 'item-knn'\?\)/,
    );
    expect((await refused('customers', { cutoff: '2023-13-01' }))['message']).toBe(
      "body.cutoff: cutoff must be a day like 2011-09-09, got '2023-13-01'",
    );
    expect((await refused('recommend', { budget: '0' }))['message']).toBe(
      "body.budget: budget must be a positive duration such as 600, 90s, 10m or 1.5h, or none (got '0')",
    );
    expect((await refused('forecast', {}))['code']).toBe('invalid_request');
    expect((await refused('customers', { horizon_days: 0 }))['code']).toBe('invalid_request');
    expect((await json(await s.fetch('/v1/admin/jobs', { key: 'admin' })))['jobs']).toHaveLength(1);
  });

  it('answers a promotion of an unknown version with 404 and a rollback past the first promotion with 409', async () => {
    const unknown = await s.fetch('/v1/admin/promote', {
      key: 'admin',
      json: { task: 'recommend', version: 99 },
    });
    expect(unknown.status).toBe(404);
    expect((await json(unknown))['error']['message']).toBe(
      'no recommend model version 99 (known versions: 1, 2, 3)',
    );
    const none = await s.fetch('/v1/admin/rollback', { key: 'admin', json: { task: 'churn' } });
    expect(none.status).toBe(404);
    expect((await json(none))['error']['code']).toBe('no_promoted_model');
    // Promotions in force: 1, 2, 3 (promote 2, rollback, promote 2 again, then training promoted 3).
    const versions: number[] = [];
    for (let i = 0; i < 2; i++) {
      versions.push(
        (await json(await s.fetch('/v1/admin/rollback', { key: 'admin', json: { task: 'recommend' } })))[
          'version'
        ] as number,
      );
    }
    expect(versions).toEqual([2, 1]);
    const past = await s.fetch('/v1/admin/rollback', { key: 'admin', json: { task: 'recommend' } });
    expect(past.status).toBe(409);
    expect((await json(past))['error']).toMatchObject({
      code: 'rollback_refused',
      message:
        'no recommend model was promoted before recommend@1: nothing to roll back to (choose one with POST /v1/admin/promote)',
    });
  });

  it('imports a file from the server’s disk on the write connection and answers with the summary', async () => {
    const file = join(dir, 'orders.csv');
    writeFileSync(
      file,
      [
        'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
        '900001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
        '900001,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom',
        '900002,84406B,CREAM CUPID HEARTS COAT HANGER,8,2010-12-01 08:28:00,2.75,13047,United Kingdom',
        '900003,84029G,KNITTED UNION FLAG HOT WATER BOTTLE,lots,2010-12-01 08:30:00,3.39,13047,United Kingdom',
      ].join('\n') + '\n',
    );
    const r = await s.fetch('/v1/admin/import', {
      key: 'admin',
      json: { path: file, preset: 'online-retail' },
    });
    expect(r.status).toBe(200);
    const summary = await json(r);
    expect(summary).toMatchObject({
      preset: 'online-retail',
      rows_read: 4,
      rows_imported: 3,
      rows_quarantined: 1,
    });
    expect(Object.values(summary['quarantined_by_reason'] as Record<string, number>)).toEqual([1]);

    const missing = await s.fetch('/v1/admin/import', {
      key: 'admin',
      json: { path: join(dir, 'nope.csv'), preset: 'online-retail' },
    });
    expect(missing.status).toBe(422);
    expect((await json(missing))['error']).toMatchObject({
      code: 'import_refused',
      details: { file: join(dir, 'nope.csv'), reason: 'no such file or folder' },
    });
    const generic = await s.fetch('/v1/admin/import', {
      key: 'admin',
      json: { path: file, preset: 'generic' },
    });
    expect(generic.status).toBe(400);
    expect((await json(generic))['error']['message']).toBe(
      'body.mapping: preset generic needs a mapping file (--mapping FILE)',
    );
    // An ingest key may not import.
    expect(
      (await s.fetch('/v1/admin/import', { key: 'ingest', json: { path: file, preset: 'online-retail' } }))
        .status,
    ).toBe(403);
  });
});
