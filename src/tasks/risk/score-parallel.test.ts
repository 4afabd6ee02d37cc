import { beforeAll, describe, expect, it } from 'vitest';
import { orderRiskFeatures, type OrderFeatureMatrix } from '../../features/order-risk-features.js';
import { openRiskStore } from '../../warehouse/test-risk-store.js';
import type { RiskModel } from './model.js';
import { parseRiskRules } from './rules.js';
import { scoreRiskParallel } from './score-parallel.js';
import { scoreRisk } from './score.js';
import { trainRiskModel } from './train.js';

let m: OrderFeatureMatrix;
let model: RiskModel;
/** The risk store's orders three times over: each thread's range holds anomalies. */
let values: Float32Array;
let rows: number;
beforeAll(async () => {
  const wh = await openRiskStore();
  m = await orderRiskFeatures(wh);
  await wh.close();
  model = trainRiskModel(m, { seed: 1 }).model;
  const copies = 3;
  rows = m.rows * copies;
  values = new Float32Array(rows * m.cols);
  for (let k = 0; k < copies; k++) values.set(m.values, k * m.values.length);
});

describe('risk scoring over worker threads', () => {
  it('gives the one-thread scores, actions, reasons and rules to the bit, in row order', async () => {
    const rules = parseRiskRules(
      {
        rules: [
          { name: 'burst', field: 'customer_orders_1h', operator: '>=', threshold: 3, score: 0.5 },
          { name: 'bulk', field: 'log_max_line_quantity', operator: '>', threshold: 5, action: 'allow' },
        ],
      },
      'inline',
    );
    const direct = scoreRisk(model, values, rows, { rules });
    const split = await scoreRiskParallel(model, values, rows, { rules, threads: 3, minRows: 0 });
    expect(split.score).toEqual(direct.score);
    expect(split.modelScore).toEqual(direct.modelScore);
    expect(split.action).toEqual(direct.action);
    expect(split.reasonsJson).toEqual(direct.reasonsJson);
    expect(split.rulesHitJson).toEqual(direct.rulesHitJson);
    // The last copy's 50x order, scored by the last worker, has the first copy's reasons.
    const big = m.orderIds.indexOf('big1');
    expect(split.reasonsJson[rows - m.rows + big]).toEqual(direct.reasonsJson[big]);
    expect(split.action.filter((a) => a === 'allow').length).toBeGreaterThan(0);
  });

  it('scores a small batch on the calling thread, and refuses a wrong matrix', async () => {
    const small = await scoreRiskParallel(model, m.values, m.rows, { threads: 2 });
    expect(small).toEqual(scoreRisk(model, m.values, m.rows));
    const wrong = scoreRiskParallel(model, values.subarray(3), rows - 1, { threads: 2, minRows: 0 });
    await expect(wrong).rejects.toThrow(/risk scoring: \d+ values for \d+ orders x 20 features/);
  });
});
