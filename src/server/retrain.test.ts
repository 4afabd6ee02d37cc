import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainAndRegister } from '../registry/training.js';
import { openSyntheticStore } from '../tasks/customers/test-synthetic-store.js';
import { startTestServer, type TestServer } from './test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const dir = mkdtempSync(join(tmpdir(), 'shopsight-retrain-'));
let s: TestServer;

beforeAll(async () => {
  const path = join(dir, 'store.duckdb');
  const wh = await openSyntheticStore(path);
  await trainAndRegister(wh, 'customers', {});
  await trainAndRegister(wh, 'recommend', { model: 'item-knn' });
  // Serving metrics a retrain on the same data must beat (churn, recommend) or cannot reach (clv).
  await wh.exec(`UPDATE models SET metrics = '{"selectionRocAuc": 0.0}' WHERE task = 'churn'`);
  await wh.exec(`UPDATE models SET metrics = '{"spearman": 0.999}' WHERE task = 'clv'`);
  await wh.exec(`UPDATE models SET metrics = '{"validationNdcg10": 0.0}' WHERE task = 'recommend'`);
  await wh.close();
  s = await startTestServer({ dbPath: path, config: { retrainEverySeconds: 1, retrainTolerance: 0.005 } });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The first scheduled job of `task`, once it has finished. */
async function firstScheduled(task: string): Promise<Json> {
  for (;;) {
    const jobs = (await (await s.fetch('/v1/admin/jobs', { key: 'admin' })).json()) as { jobs: Json[] };
    const job = jobs.jobs.filter((j) => j['task'] === task && j['trigger'] === 'schedule').at(-1);
    if (job && job['status'] !== 'running') return job;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('serve --retrain-every', () => {
  it('retrains each task with a promoted model and promotes only versions not worse than the serving ones', async () => {
    const customers = await firstScheduled('customers');
    expect(customers['status']).toBe('succeeded');
    const decided = Object.fromEntries((customers['retrain'] as Json[]).map((o) => [o['task'], o]));
    expect(decided['churn']).toMatchObject({ candidate: 'churn@2', serving: 'churn@1', promoted: true });
    expect(decided['churn']['reason']).toMatch(
      /^churn: new selection ROC-AUC 0\.\d{4} vs serving 0\.0000 \(\+0\.\d{4}\), not worse: promoted$/,
    );
    expect(decided['clv']).toMatchObject({
      candidate: 'clv@2',
      serving: 'clv@1',
      promoted: false,
      serving_metric: 0.999,
    });
    expect(decided['clv']['reason']).toMatch(
      /worse by more than the tolerance 0\.005: kept the serving version$/,
    );
    // Same data, same seed: the retrained propensity model scores as the serving one (within the tolerance).
    expect(decided['propensity']['promoted']).toBe(true);

    const recommend = await firstScheduled('recommend');
    expect(recommend['options']).toEqual({ model: 'item-knn', promote: false }); // the serving model, retrained
    expect(recommend['retrain']).toMatchObject([
      { task: 'recommend', candidate: 'recommend@2', promoted: true },
    ]);

    const serving = ((await (await s.fetch('/v1/models', { key: 'read' })).json()) as Json)[
      'serving'
    ] as Json;
    expect(serving['churn']['version']).toBeGreaterThanOrEqual(2);
    expect(serving['clv']).toEqual({ version: 1, model_id: 'clv@1' }); // never beaten: kept through every cycle
  }, 300_000);
});
