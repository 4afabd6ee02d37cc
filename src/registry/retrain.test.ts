import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../ml/artifact.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { markModelsErased } from '../warehouse/model-store.js';
import { listModels, saveModel } from './registry.js';
import { promoteIfNotWorse, tasksToRetrain } from './retrain.js';
import { TRAINING_TASKS } from './training.js';

const artifact: ModelArtifact = {
  kind: 'logistic',
  version: 1,
  meta: {},
  arrays: { w: new Float64Array([1]) },
};

describe('promoteIfNotWorse', () => {
  it('promotes the candidates that are not worse and keeps the serving version of the others', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    try {
      const save = (task: string, metrics: Record<string, unknown>, promote = false) =>
        saveModel(wh, { task, artifact, trainedOn: {}, metrics }, { promote });
      await save('churn', { selectionRocAuc: 0.74 }, true);
      await save('clv', { spearman: 0.61 }, true);
      const candidates = [
        await save('churn', { selectionRocAuc: 0.738 }), // within 0.005: promoted
        await save('clv', { spearman: 0.58 }), // 0.03 worse: kept
        await save('propensity', { selectionRocAuc: 0.7 }), // nothing served: promoted
      ];
      const outcomes = await promoteIfNotWorse(wh, candidates, 0.005);
      expect(outcomes.map((o) => [o.task, o.candidate, o.serving, o.promoted])).toEqual([
        ['churn', 'churn@2', 'churn@1', true],
        ['clv', 'clv@2', 'clv@1', false],
        ['propensity', 'propensity@1', null, true],
      ]);
      expect(outcomes[1]!.decision.reason).toBe(
        'clv: new spend Spearman 0.5800 vs serving 0.6100 (-0.0300), worse by more than the tolerance 0.005: kept the serving version',
      );
      const status = (await listModels(wh)).map((m) => `${m.modelId} ${m.status}`);
      expect(status.sort()).toEqual([
        'churn@1 retired',
        'churn@2 promoted',
        'clv@1 promoted',
        'clv@2 candidate',
        'propensity@1 promoted',
      ]);
    } finally {
      await wh.close();
    }
  });
});

describe('promoteIfNotWorse after a forget', () => {
  it('replaces a serving model marked as trained with an erased customer even when the new one scores lower', async () => {
    const wh = await DuckDBWarehouse.open(':memory:');
    try {
      await saveModel(
        wh,
        { task: 'clv', artifact, trainedOn: {}, metrics: { spearman: 0.61 } },
        { promote: true },
      );
      await markModelsErased(wh, ['clv@1'], new Date());
      const next = await saveModel(wh, { task: 'clv', artifact, trainedOn: {}, metrics: { spearman: 0.58 } });
      const [outcome] = await promoteIfNotWorse(wh, [next], 0.005);
      expect(outcome!.promoted).toBe(true);
      expect(outcome!.decision.reason).toMatch(
        /^clv: clv@1 was trained with an erased customer; the new version replaces it/,
      );
      expect((await listModels(wh, 'clv')).map((m) => m.status)).toEqual(['retired', 'promoted']);
    } finally {
      await wh.close();
    }
  });
});

describe('tasksToRetrain', () => {
  it('retrains a training task when any of its registry tasks serves a model', () => {
    expect(tasksToRetrain(TRAINING_TASKS, new Set(['clv']))).toEqual(['customers']);
    expect(tasksToRetrain(TRAINING_TASKS, new Set(['recommend', 'churn']))).toEqual([
      'customers',
      'recommend',
    ]);
    expect(tasksToRetrain(TRAINING_TASKS, new Set())).toEqual([]);
    // No validation metric for risk: a schedule cannot tell a worse version from a better one.
    expect(tasksToRetrain(TRAINING_TASKS, new Set(['risk', 'clv']))).toEqual(['customers']);
  });
});
