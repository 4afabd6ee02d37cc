import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../ml/artifact.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { MIGRATIONS } from '../warehouse/duckdb/migrations.js';
import { listModels, loadModel, promoteModel, promotionStack, rollbackModel, saveModel } from './registry.js';

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

  it('keeps one promoted model per task and rolls back to the one promoted before', async () => {
    for (let i = 1; i <= 3; i++) await saveModel(wh, { task: 'churn', artifact: artifact(i), trainedOn: {} });
    await saveModel(wh, { task: 'clv', artifact: artifact(9), trainedOn: {} }, { promote: true });
    const serving = async (): Promise<string[]> => (await listModels(wh, 'churn')).map((m) => m.status);
    await promoteModel(wh, 'churn', 1);
    await promoteModel(wh, 'churn', 3);
    await promoteModel(wh, 'churn', 2);
    await promoteModel(wh, 'churn', 2); // promoting the serving version again is not a new promotion
    expect(await serving()).toEqual(['retired', 'promoted', 'retired']);
    // Back to 3 (promoted before 2), not to 1 (the version number before 2).
    expect((await rollbackModel(wh, 'churn')).version).toBe(3);
    expect(await serving()).toEqual(['retired', 'retired', 'promoted']);
    expect((await rollbackModel(wh, 'churn')).version).toBe(1);
    expect(await serving()).toEqual(['promoted', 'retired', 'retired']);
    expect((await loadModel(wh, 'churn')).record.version).toBe(1);
    await expect(rollbackModel(wh, 'churn')).rejects.toThrow(
      /no churn model was promoted before churn@1: nothing to roll back to/,
    );
    // Other tasks keep their own history.
    await expect(rollbackModel(wh, 'clv')).rejects.toThrow(/no clv model was promoted before clv@1/);
  });

  it('replays the promotion log as a stack', () => {
    const at = new Date(0);
    const log = (...entries: [number | 'back'][]): ReturnType<typeof promotionStack> =>
      promotionStack(
        entries.map(([v]) =>
          v === 'back' ? { version: 0, action: 'rollback', at } : { version: v, action: 'promote', at },
        ),
      );
    expect(log([1], [3], [2])).toEqual([1, 3, 2]);
    expect(log([1], [3], [2], ['back'])).toEqual([1, 3]);
    expect(log([1], [3], [2], ['back'], [4], ['back'], ['back'])).toEqual([1]);
  });

  it('brings the serving model of a store from before the promotion log into the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shopsight-registry-'));
    try {
      const path = join(dir, 'old.duckdb');
      const old = await DuckDBWarehouse.open(path, { migrations: MIGRATIONS.filter((m) => m.version <= 2) });
      for (const [v, status] of [
        [1, 'retired'],
        [2, 'promoted'],
      ] as const) {
        await old.exec(
          `INSERT INTO models VALUES (?, 'churn', ?, 'logistic', now()::TIMESTAMP, '{}', '{}', '{}', ?, ?)`,
          [`churn@${v}`, v, status, new Uint8Array([1])],
        );
      }
      await old.close();
      const upgraded = await DuckDBWarehouse.open(path);
      await expect(rollbackModel(upgraded, 'churn')).rejects.toThrow(
        /no churn model was promoted before churn@2/,
      );
      await promoteModel(upgraded, 'churn', 1);
      expect((await rollbackModel(upgraded, 'churn')).version).toBe(2);
      await upgraded.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what to do when nothing is promoted or a version does not exist', async () => {
    await expect(loadModel(wh, 'churn')).rejects.toThrow(/no promoted churn model .* train one first/);
    await saveModel(wh, { task: 'churn', artifact: artifact(1), trainedOn: {} });
    await expect(loadModel(wh, 'churn')).rejects.toThrow(/promote one of versions 1/);
    await expect(loadModel(wh, 'churn', 7)).rejects.toThrow(/no churn model version 7 \(known: 1\)/);
    await expect(promoteModel(wh, 'churn', 9)).rejects.toThrow(/no churn model version 9/);
  });
});
