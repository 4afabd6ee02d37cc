import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeArtifact } from '../ml/artifact.js';
import { parseRiskRules } from '../tasks/risk/rules.js';
import { openRiskStore, RISK_STORE_ORDERS } from '../warehouse/test-risk-store.js';
import { readOrderRisk } from '../warehouse/order-risk-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { orderRiskFeatures } from '../features/order-risk-features.js';
import { previousScoreRisk } from '../tasks/risk/test-score-reference.js';
import { loadModel } from './registry.js';
import { loadRiskModel, scoreOrdersAndStore, scoredOrderRows, trainRiskAndRegister } from './risk.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-risk-'));
let wh: Warehouse;
beforeAll(async () => {
  wh = await openRiskStore();
});
afterAll(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

const RULES = parseRiskRules(
  {
    rules: [
      {
        name: 'bulk "big" buyer',
        field: 'log_max_line_quantity',
        operator: '>',
        threshold: 5,
        action: 'allow',
      },
      { name: 'burst', field: 'customer_orders_1h', operator: '>=', threshold: 3, score: 0.5 },
      { name: 'far', field: 'country_mismatch', operator: '==', threshold: 1, score: -0.25 },
    ],
  },
  'inline',
);

/**
 * Scores every order with the promoted model and RULES, and checks the stored order_risk rows
 * against what the previous path stored: reason lists per order (test-score-reference.ts), held
 * against the threshold, the lists turned into JSON text at the write. Scores to the bit.
 */
async function expectStoredAsPreviousPath(): Promise<void> {
  const list = await scoreOrdersAndStore(wh, { rules: RULES });
  const { model, version } = await loadRiskModel(wh);
  const m = await orderRiskFeatures(wh);
  const p = previousScoreRisk(model, m.values, m.rows, { rules: RULES });
  const stored = await wh.rows<Record<string, unknown>>(
    `SELECT order_id, score, model_score, action, held, reasons::VARCHAR AS reasons,
            rules_hit::VARCHAR AS rules_hit, model_version FROM order_risk ORDER BY order_id`,
  );
  const expected = m.orderIds
    .map((orderId, r) => ({
      order_id: orderId,
      score: p.score[r]!,
      model_score: p.modelScore[r]!,
      action: p.action[r]!,
      held: p.action[r] === 'hold' || (p.action[r] !== 'allow' && p.score[r]! >= model.threshold),
      reasons: JSON.stringify(p.reasons[r]),
      rules_hit: JSON.stringify(p.rulesHit[r]),
      model_version: version,
    }))
    .sort((a, b) => (a.order_id < b.order_id ? -1 : 1));
  expect(stored).toEqual(expected);
  stored.forEach((row, i) => {
    expect(Object.is(row['score'], expected[i]!.score)).toBe(true);
    expect(Object.is(row['model_score'], expected[i]!.model_score)).toBe(true);
  });
  // The case is not empty: rules fired and held orders, reasons with text in them.
  expect(p.rulesHit.filter((r) => r.length > 0).length).toBeGreaterThan(0);
  expect(expected.filter((r) => r.held).length).toBeGreaterThan(0);
  expect(list.length).toBe(RISK_STORE_ORDERS);
}

describe('order risk: train, score, store', () => {
  it('asks for a model before scoring', async () => {
    await expect(scoreOrdersAndStore(wh)).rejects.toThrow(/no promoted risk model .* train one first/);
  });

  it('without labels: an isolation forest that puts the planted anomalies first, with their reasons', async () => {
    const r = await trainRiskAndRegister(wh);
    expect(r.record.modelId).toBe('risk@1');
    expect(r.record.status).toBe('promoted');
    expect(r.evaluation.model).toBe('iforest');
    expect(r.expected).toBeNull();
    const scored = scoredOrderRows(await scoreOrdersAndStore(wh));
    expect(scored.length).toBe(RISK_STORE_ORDERS);
    const ranked = [...scored].sort((a, b) => b.score - a.score);
    // The two planted anomalies come first: the sixth order of the burst and the 50x order.
    expect(
      ranked
        .slice(0, 2)
        .map((r) => r.orderId)
        .sort(),
    ).toEqual(['big1', 'burst6']);
    const big = ranked.find((r) => r.orderId === 'big1')!;
    expect(big.held).toBe(true);
    // The forest's top score of 487 orders: 1 - 1/487; its reasons are the forest's splits.
    expect(big.score).toBeCloseTo(1 - 1 / 487, 12);
    expect(big.reasons[0]).toMatch(/^log_max_line_quantity=5\.30 \(\+[\d.]+ splits sooner\)$/);
    expect(ranked.find((r) => r.orderId === 'burst6')!.reasons[0]).toMatch(/^customer_orders_(1h|24h)=5 /);
    // The review rate holds about 2% of the orders: round(0.02 * 487) = 10 (ties may add a few).
    const held = scored.filter((s) => s.held).length;
    expect(held).toBeGreaterThanOrEqual(10);
    expect(held).toBeLessThanOrEqual(12);
    const stored = await readOrderRisk(wh, 'big1');
    expect(stored).toMatchObject({ orderId: 'big1', modelVersion: 1, held: true });
    expect(stored!.score).toBeCloseTo(big.score, 12);
    expect(await readOrderRisk(wh, 'nope')).toBeNull();
  });

  it('stores what the previous path stored (per-order reason lists), the forest with rules', async () => {
    await expectStoredAsPreviousPath();
  });

  it('applies the rules: an allow rule clears an order, a score rule lifts the burst, both listed first in reasons', async () => {
    const rules = parseRiskRules(
      {
        rules: [
          {
            name: 'bulk buyer',
            field: 'log_max_line_quantity',
            operator: '>',
            threshold: 5,
            action: 'allow',
          },
          { name: 'burst', field: 'customer_orders_1h', operator: '>=', threshold: 3, score: 0.5 },
        ],
      },
      'inline',
    );
    const scored = scoredOrderRows(
      await scoreOrdersAndStore(wh, { rules, orderIds: ['big1', 'burst5', 'o1_1'] }),
    );
    const by = Object.fromEntries(scored.map((s) => [s.orderId, s]));
    expect(by['big1']).toMatchObject({ score: 0, action: 'allow', held: false });
    expect(by['big1']!.reasons[0]).toBe("rule 'bulk buyer' (log_max_line_quantity 5.30 > 5): allow");
    expect(by['burst5']!.score).toBeCloseTo(Math.min(1, by['burst5']!.modelScore + 0.5), 12);
    expect(by['burst5']!.reasons[0]).toBe("rule 'burst' (customer_orders_1h 4 >= 3): +0.5");
    expect(by['o1_1']!.score).toBe(by['o1_1']!.modelScore);
    expect(by['burst5']!.rulesHit).toEqual(['burst']);
    expect(by['o1_1']!.rulesHit).toEqual([]);
    expect(await readOrderRisk(wh, 'big1')).toMatchObject({ action: 'allow', rulesHit: ['bulk buyer'] });
  });

  it('with labels: a GBDT with the precision and recall expected at the review rate', async () => {
    // Fraud = every order with more than 6 units in total (a rule the GBDT can learn exactly).
    const rows = await wh.rows<{ order_id: string; units: number }>(
      'SELECT order_id, sum(quantity) AS units FROM order_items GROUP BY order_id ORDER BY order_id',
    );
    const file = join(dir, 'labels.csv');
    writeFileSync(
      file,
      ['order_id,is_fraud', ...rows.map((r) => `${r.order_id},${r.units > 6 ? 1 : 0}`), 'ghost,1'].join('\n'),
    );
    const r = await trainRiskAndRegister(wh, { labels: file, reviewRate: 0.05 });
    expect(r.record.modelId).toBe('risk@2');
    expect(r.evaluation.model).toBe('gbdt');
    expect(r.unmatchedLabels).toBe(1);
    expect(r.evaluation.test!.rocAuc).toBeGreaterThan(0.95);
    expect(r.expected!.precision).toBeGreaterThan(0.9);
    await expectStoredAsPreviousPath();
  });

  it('refuses labels that match no order, or are not 0/1, naming the file and line', async () => {
    const none = join(dir, 'none.csv');
    writeFileSync(none, 'order_id,label\nX1,1\nX2,0\n');
    await expect(trainRiskAndRegister(wh, { labels: none })).rejects.toThrow(
      `${none}: none of its 2 order ids is an order of the store (first: 'X1')`,
    );
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'order_id,label\no1_1,1\no1_2,yes\n');
    await expect(trainRiskAndRegister(wh, { labels: bad })).rejects.toThrow(
      `${bad}:3: column label: expected 0 or 1 (got "yes")`,
    );
    const cols = join(dir, 'cols.csv');
    writeFileSync(cols, 'id,label\no1_1,1\n');
    await expect(trainRiskAndRegister(wh, { labels: cols })).rejects.toThrow(
      /needs columns order_id and one of label/,
    );
  });

  it('with --labels column: orders.fraud_label gives the model the same labels from a file give, to the byte', async () => {
    // Fraud = more than 6 units, known for every order but the burst (left unlabelled: NULL).
    const rows = await wh.rows<{ order_id: string; units: number }>(
      "SELECT order_id, sum(quantity) AS units FROM order_items WHERE order_id NOT LIKE 'burst%' GROUP BY order_id",
    );
    const file = join(dir, 'same.csv');
    writeFileSync(
      file,
      ['order_id,label', ...rows.map((r) => `${r.order_id},${r.units > 6 ? 1 : 0}`)].join('\n'),
    );
    await wh.exec(`UPDATE orders SET fraud_label = (SELECT sum(i.quantity) > 6 FROM order_items i
                   WHERE i.order_id = orders.order_id) WHERE order_id NOT LIKE 'burst%'`);
    const fromFile = await trainRiskAndRegister(wh, { labels: file, reviewRate: 0.05, promote: false });
    const fromColumn = await trainRiskAndRegister(wh, { labels: 'column', reviewRate: 0.05, promote: false });
    expect(fromColumn.evaluation.model).toBe('gbdt');
    expect(fromColumn.evaluation.orders).toBe(RISK_STORE_ORDERS - 6);
    const bytes = async (version: number): Promise<Uint8Array> =>
      encodeArtifact((await loadModel(wh, 'risk', version)).artifact);
    expect(await bytes(fromColumn.record.version)).toEqual(await bytes(fromFile.record.version));
    expect(fromColumn.expected).toEqual(fromFile.expected);
    expect(fromColumn.record.trainedOn['labels']).toEqual({
      file: 'orders.fraud_label',
      matched: RISK_STORE_ORDERS - 6,
      unmatched: 0,
    });
  });

  it('with --labels column: refuses a column that holds no label, or no fraud, saying what to do', async () => {
    await wh.exec('UPDATE orders SET fraud_label = NULL');
    await expect(trainRiskAndRegister(wh, { labels: 'column' })).rejects.toThrow(
      /^orders\.fraud_label holds no label: import it through an orders mapping \(fraud_label: <your column>/,
    );
    await wh.exec('UPDATE orders SET fraud_label = false');
    await expect(trainRiskAndRegister(wh, { labels: 'column' })).rejects.toThrow(
      `orders.fraud_label: ${RISK_STORE_ORDERS} orders labelled, none of them fraud: a supervised model needs known fraud and known good orders`,
    );
    await wh.exec('UPDATE orders SET fraud_label = NULL');
  });
});
