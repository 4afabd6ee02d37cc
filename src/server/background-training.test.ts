import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainAndRegister } from '../registry/training.js';
import { openSyntheticStore } from '../tasks/customers/test-synthetic-store.js';
import { startTestServer, type TestServer } from './test-server.js';

/**
 * Training that serves a new version only when it wins (`promote: "if_not_worse"`, what the
 * dashboard's Models page sends), the jobs readable with a read key (GET /v1/models/jobs, what the
 * page polls), and the background job `shopsight start` asks for (`improveInBackground`).
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<Json> => (await r.json()) as Json;

const dir = mkdtempSync(join(tmpdir(), 'shopsight-background-training-'));
const path = join(dir, 'store.duckdb');
let s: TestServer | undefined;

beforeAll(async () => {
  const wh = await openSyntheticStore(path);
  // recommend@1 (item-knn) serves with a validation NDCG@10 no retrain on these data reaches.
  await trainAndRegister(wh, 'recommend', { model: 'item-knn' });
  await wh.exec(`UPDATE models SET metrics = '{"validationNdcg10": 0.999}' WHERE task = 'recommend'`);
  await wh.close();
}, 300_000);
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function finished(server: TestServer, id: string): Promise<Json> {
  for (;;) {
    const job = await json(await server.fetch(`/v1/admin/jobs/${id}`, { key: 'admin' }));
    if (job['status'] !== 'running') return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const serving = async (server: TestServer): Promise<unknown> =>
  (await json(await server.fetch('/v1/models', { key: 'read' })))['serving'];

describe('training that promotes only a winner', () => {
  it('keeps the serving version when the new one is worse, promotes it when it is not, and says why', async () => {
    s = await startTestServer({ dbPath: path });
    const start = async () => {
      const r = await s!.fetch('/v1/admin/train/recommend', {
        key: 'admin',
        json: { model: 'popularity', promote: 'if_not_worse' },
      });
      expect(r.status).toBe(202);
      return finished(s!, (await json(r))['job_id'] as string);
    };
    const lost = await start();
    expect(lost).toMatchObject({ status: 'succeeded', trigger: 'admin', promotion: 'if_not_worse' });
    expect(lost['options']).toEqual({ model: 'popularity', promote: false });
    expect(lost['retrain']).toHaveLength(1);
    expect(lost['retrain'][0]).toMatchObject({
      candidate: 'recommend@2',
      serving: 'recommend@1',
      promoted: false,
      serving_metric: 0.999,
      tolerance: 0,
    });
    expect(lost['retrain'][0]['reason']).toMatch(
      /worse by more than the tolerance 0: kept the serving version$/,
    );
    expect(await serving(s)).toEqual({ recommend: { version: 1, model_id: 'recommend@1' } });

    // Now the serving version is beatable: the next one is promoted and loaded before success.
    await s.ctx.db.write((wh) =>
      wh.exec(`UPDATE models SET metrics = '{"validationNdcg10": 0.0}' WHERE model_id = 'recommend@1'`),
    );
    const won = await start();
    expect(won['retrain'][0]).toMatchObject({ candidate: 'recommend@3', promoted: true, serving_metric: 0 });
    expect(won['models'].map((m: Json) => [m['model_id'], m['status']])).toEqual([
      ['recommend@3', 'promoted'],
    ]);
    expect(await serving(s)).toEqual({ recommend: { version: 3, model_id: 'recommend@3' } });

    // The read key sees the jobs (the dashboard's session key is a read key), newest first.
    const read = await s.fetch('/v1/models/jobs', { key: 'read' });
    expect(read.status).toBe(200);
    expect((await json(read))['jobs'].map((j: Json) => j['job_id'])).toEqual([won['job_id'], lost['job_id']]);
    expect((await s.fetch('/v1/admin/jobs', { key: 'read' })).status).toBe(403);
    await s.close();
    s = undefined;
  }, 300_000);

  it('starts the background job `shopsight start` asks for as soon as the server listens', async () => {
    s = await startTestServer({ dbPath: path, config: { improveInBackground: ['recommend'] } });
    // The job is started by the listen hook without holding up the start: poll until it is there.
    let jobs: Json[] = [];
    for (let i = 0; i < 50 && jobs.length === 0; i++) {
      jobs = (await json(await s.fetch('/v1/models/jobs', { key: 'read' })))['jobs'] as Json[];
      if (!jobs.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      task: 'recommend',
      trigger: 'start',
      promotion: 'if_not_worse',
      options: { model: 'auto', promote: false },
    });
    // Closing the server stops it (the worker's connection closes; nothing half-written stays).
    await s.close();
    s = undefined;
  }, 120_000);
});
