import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../ml/artifact.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { listModels, loadModel, promoteModel, rollbackModel, saveModel } from './registry.js';

const artifact = (w: number): ModelArtifact => ({
  kind: 'logistic',
  version: 1,
  meta: { l2: 1 },
  arrays: { weights: new Float64Array([w, -w]) },
});

describe('model registry', () => {
  let wh: DuckDBWarehouse;
  beforeEach(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
  });
  afterEach(() => wh.close());

  it('numbers versions per task, keeps metrics, and loads the promoted artifact exactly', async () => {
    const a = await saveModel(wh, {
      task: 'churn',
      artifact: artifact(1),
      trainedOn: { cutoff: '2011-09-09' },
    });
    const b = await saveModel(
      wh,
      { task: 'churn', artifact: artifact(2), trainedOn: {}, metrics: { rocAuc: 0.74 } },
      { promote: true },
    );
    const c = await saveModel(wh, { task: 'clv', artifact: artifact(3), trainedOn: {} });
    expect([a.modelId, b.modelId, c.modelId]).toEqual(['churn@1', 'churn@2', 'clv@1']);
    expect(a.status).toBe('candidate');
    const { record, artifact: loaded } = await loadModel(wh, 'churn');
    expect(record.version).toBe(2);
    expect(record.metrics).toEqual({ rocAuc: 0.74 });
    expect(record.params).toEqual({ l2: 1 });
    expect(Array.from(loaded.arrays['weights']!)).toEqual([2, -2]);
    expect((await loadModel(wh, 'churn', 1)).record.trainedOn).toEqual({ cutoff: '2011-09-09' });
  });

  it('keeps one promoted model per task and rolls back to the previous one', async () => {
    for (let i = 1; i <= 3; i++)
      await saveModel(wh, { task: 'churn', artifact: artifact(i), trainedOn: {} }, { promote: true });
    let statuses = (await listModels(wh, 'churn')).map((m) => m.status);
    expect(statuses).toEqual(['retired', 'retired', 'promoted']);
    const back = await rollbackModel(wh, 'churn');
    expect(back.version).toBe(2);
    statuses = (await listModels(wh, 'churn')).map((m) => m.status);
    expect(statuses).toEqual(['retired', 'promoted', 'retired']);
    await promoteModel(wh, 'churn', 1);
    await expect(rollbackModel(wh, 'churn')).rejects.toThrow(/churn@1 is the first churn model/);
  });

  it('says what to do when nothing is promoted or a version does not exist', async () => {
    await expect(loadModel(wh, 'churn')).rejects.toThrow(/no promoted churn model .* train one first/);
    await saveModel(wh, { task: 'churn', artifact: artifact(1), trainedOn: {} });
    await expect(loadModel(wh, 'churn')).rejects.toThrow(/promote one of versions 1/);
    await expect(loadModel(wh, 'churn', 7)).rejects.toThrow(/no churn model version 7 \(known: 1\)/);
    await expect(promoteModel(wh, 'churn', 9)).rejects.toThrow(/no churn model version 9/);
  });
});
