import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSyntheticStore } from '../tasks/customers/test-synthetic-store.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { listModels } from './registry.js';
import { trainInWorker } from './training-thread.js';
import { trainAndRegister } from './training.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-training-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trainAndRegister', () => {
  it('stores churn, propensity and clv as candidates when asked not to promote, with the metrics retraining compares', async () => {
    const wh = await openSyntheticStore();
    try {
      const steps: string[] = [];
      const r = await trainAndRegister(
        wh,
        'customers',
        { cutoff: new Date('2023-10-01T00:00:00Z'), promote: false },
        (s) => steps.push(s),
      );
      expect(steps).toEqual(['features', 'labels', 'churn', 'propensity', 'clv', 'clv (all data)']);
      expect(r.models.map((m) => [m.modelId, m.status])).toEqual([
        ['churn@1', 'candidate'],
        ['propensity@1', 'candidate'],
        ['clv@1', 'candidate'],
      ]);
      expect(r.evaluation.customers).toBe(302); // as `train customers --cutoff 2023-10-01` reports
      const churn = r.models[0]!.metrics;
      expect(churn['selectionRocAuc']).toBe(r.evaluation.churn.selectionRocAuc[r.evaluation.churn.chosen]);
      expect(r.models[2]!.metrics['spearman']).toBe(r.evaluation.clv.model.spearman);
      expect((await listModels(wh)).every((m) => m.status === 'candidate')).toBe(true);
    } finally {
      await wh.close();
    }
  });

  it('refuses a task it does not know before touching the store', async () => {
    const wh = await openSyntheticStore();
    try {
      await expect(trainAndRegister(wh, 'forecast' as 'recommend', {})).rejects.toThrow(
        "unknown training task 'forecast': use customers or recommend",
      );
      expect(await listModels(wh)).toEqual([]);
    } finally {
      await wh.close();
    }
  });
});

describe('trainInWorker: training in a worker thread over a lent connection', () => {
  let owner: DuckDBWarehouse;
  beforeAll(async () => {
    const path = join(dir, 'store.duckdb');
    await (await openSyntheticStore(path)).close();
    owner = await DuckDBWarehouse.open(path);
  });
  afterAll(() => owner?.close());

  it('trains and promotes a recommender, reports each step, and leaves the model for the owner to read', async () => {
    const steps: string[] = [];
    const job = trainInWorker(await owner.connect(), 'recommend', { model: 'item-knn' }, (s) =>
      steps.push(s),
    );
    const r = await job.result;
    expect(r.models.map((m) => [m.modelId, m.status, m.params['model']])).toEqual([
      ['recommend@1', 'promoted', 'item-knn'],
    ]);
    expect(typeof r.models[0]!.metrics['validationNdcg10']).toBe('number');
    expect(steps[0]).toBe('loading interactions');
    expect(steps.at(-1)).toBe('storing the model');
    // Written through the worker's connection, committed, seen by the owner's own connection.
    expect((await listModels(owner, 'recommend')).map((m) => [m.modelId, m.status])).toEqual([
      ['recommend@1', 'promoted'],
    ]);
  });

  it("re-raises the task's own error from the worker, with nothing stored", async () => {
    const job = trainInWorker(await owner.connect(), 'customers', {
      cutoff: new Date('2020-01-01T00:00:00Z'),
    });
    await expect(job.result).rejects.toMatchObject({
      name: 'RangeError',
      message:
        'cutoff 2020-01-01 is not after the first order (2023-01-01): there is no history to learn from',
    });
    expect(await listModels(owner, 'churn')).toEqual([]);
  });

  it('can be cancelled: the result rejects and no model is stored', async () => {
    const before = (await listModels(owner)).length;
    const job = trainInWorker(await owner.connect(), 'customers', {});
    await job.cancel();
    await expect(job.result).rejects.toThrow('customers training was cancelled');
    expect((await listModels(owner)).length).toBe(before);
  });
});
