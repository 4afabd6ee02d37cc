import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderRiskFeatures, type OrderFeatureMatrix } from '../../features/order-risk-features.js';
import { riskToArtifact, type RiskModel } from './model.js';
import { parseRiskRules } from './rules.js';
import { RiskScoringThread } from './score-thread.js';
import { scoreRisk } from './score.js';
import { openRiskStore } from '../../warehouse/test-risk-store.js';
import { trainRiskModel } from './train.js';

let m: OrderFeatureMatrix;
let model: RiskModel;
const thread = new RiskScoringThread();
beforeAll(async () => {
  const wh = await openRiskStore();
  m = await orderRiskFeatures(wh);
  await wh.close();
  model = trainRiskModel(m, { seed: 1 }).model;
});
afterAll(async () => {
  await thread.close();
});

describe('risk scoring on a worker thread', () => {
  it('gives exactly the scores, actions, reasons and rules of scoreRisk on this thread', async () => {
    const rules = parseRiskRules(
      { rules: [{ name: 'burst', field: 'customer_orders_1h', operator: '>=', threshold: 3, score: 0.5 }] },
      'inline',
    );
    const direct = scoreRisk(model, m.values, m.rows, { rules });
    const threaded = await thread.score('risk@1', riskToArtifact(model), m.values, m.rows, rules);
    expect(threaded).toEqual(direct);
    expect(threaded.rulesHitJson.filter((r) => r !== '[]').length).toBeGreaterThan(0);
  });

  it('keeps several versions apart, and answers concurrent calls each with its own result', async () => {
    const other = trainRiskModel(m, { seed: 2 }).model;
    const rows = [0, 100, 486].map((r) => m.values.slice(r * m.cols, (r + 1) * m.cols));
    const calls = rows.flatMap((x) => [
      thread.score('risk@1', riskToArtifact(model), x, 1),
      thread.score('risk@2', riskToArtifact(other), x, 1),
    ]);
    const got = await Promise.all(calls);
    rows.forEach((x, i) => {
      expect(got[2 * i]!.modelScore[0]).toBe(scoreRisk(model, x, 1).modelScore[0]);
      expect(got[2 * i + 1]!.modelScore[0]).toBe(scoreRisk(other, x, 1).modelScore[0]);
    });
  });

  it('reports a wrong feature row as an error of that call, and a closed thread refuses work', async () => {
    await expect(thread.score('risk@1', riskToArtifact(model), new Float32Array(3), 1)).rejects.toThrow(
      /risk scoring: 3 values for 1 orders x 20 features/,
    );
    const closing = new RiskScoringThread();
    await closing.close();
    await expect(closing.score('risk@1', riskToArtifact(model), m.values, 1)).rejects.toThrow(/closed/);
  });
});
