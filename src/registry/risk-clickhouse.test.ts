import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readRiskLabels } from '../features/risk-labels.js';
import { parseRiskRules } from '../tasks/risk/rules.js';
import { describeOnBothEngines } from '../warehouse/clickhouse/test-both-engines.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import {
  listOrderRisk,
  rateCuts,
  riskVersionSummary,
  type RiskListPage,
} from '../warehouse/order-risk-list.js';
import { readOrderRisk, type OrderRiskRow } from '../warehouse/order-risk-store.js';
import { fillRiskStore, RISK_STORE_ORDERS } from '../warehouse/test-risk-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { scoreOrdersAndStore, trainRiskAndRegister, type TrainRiskResult } from './risk.js';

const RULES = parseRiskRules(
  { rules: [{ name: 'burst', field: 'customer_orders_1h', operator: '>=', threshold: 3, score: 0.5 }] },
  'inline',
);

/** Labels for the risk store: about one order in eleven fraud, the two planted ones too. */
function labelsCsv(): string {
  const rows = ['order_id,label', 'big1,1', 'burst6,1', 'burst1,0'];
  for (let c = 0; c < 80; c++)
    for (let k = 0; k < 6; k++) rows.push(`o${c}_${k},${(c * 7 + k) % 11 === 0 ? 1 : 0}`);
  rows.push('not-an-order,1');
  return rows.join('\n') + '\n';
}

interface Run {
  forest: TrainRiskResult;
  gbdt: TrainRiskResult;
  scored: number;
  held: number;
  page: RiskListPage;
  heldPage: RiskListPage;
  cuts: Awaited<ReturnType<typeof rateCuts>>;
  big1: OrderRiskRow | null;
  afterOne: number;
}

/** The same steps on either engine: train without and with labels, score every order, list, rescore one. */
async function run(wh: Warehouse, labels: string): Promise<Run> {
  const forest = await trainRiskAndRegister(wh, { seed: 3 });
  const gbdt = await trainRiskAndRegister(wh, { labels, seed: 3 });
  const list = await scoreOrdersAndStore(wh, { rules: RULES });
  const summary = await riskVersionSummary(wh);
  const page = await listOrderRisk(wh, { pageSize: 10 });
  const heldPage = await listOrderRisk(wh, { pageSize: 5, page: 2, heldOnly: true });
  const cuts = await rateCuts(wh, summary.modelVersion!, summary.scored, [0.01, 0.02, 0.1]);
  const big1 = await readOrderRisk(wh, 'big1');
  await scoreOrdersAndStore(wh, { orderIds: ['big1'], rules: RULES });
  const afterOne = (await riskVersionSummary(wh)).scored;
  return {
    forest,
    gbdt,
    scored: list.length,
    held: summary.held,
    page,
    heldPage,
    cuts,
    big1,
    afterOne,
  };
}

/** A training's figures without what differs by store (ids, times). */
const figures = (r: TrainRiskResult): unknown => ({
  evaluation: r.evaluation,
  threshold: r.threshold,
  expected: r.expected,
  unmatched: r.unmatchedLabels,
  trainedOn: { ...r.record.trainedOn, labels: null },
  metrics: r.record.metrics,
});
const pageRows = (p: RiskListPage): unknown => ({ ...p, scoredAt: null });

describeOnBothEngines('order risk: train, score, store, list', (engine, open) => {
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-risk-both-'));
  const labels = join(dir, 'labels.csv');
  let wh: Warehouse;
  let reference: Run;
  let got: Run;
  beforeAll(async () => {
    writeFileSync(labels, labelsCsv());
    const ref = await DuckDBWarehouse.open(':memory:');
    await fillRiskStore(ref);
    reference = await run(ref, labels);
    await ref.close();
    wh = await open();
    await fillRiskStore(wh);
    got = await run(wh, labels);
  }, 300_000);
  afterAll(async () => {
    await wh?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${engine}: reads the labels file against the store's orders`, async () => {
    const l = await readRiskLabels(wh, labels);
    expect(l.labels.size).toBe(80 * 6 + 3);
    expect(l.unmatched).toBe(1);
    expect([...l.labels.values()].filter((v) => v === 1).length).toBe(2 + 44);
  });

  it(`${engine}: the isolation forest and the GBDT train to DuckDB's figures`, () => {
    expect(got.forest.evaluation.model).toBe('iforest');
    expect(got.gbdt.evaluation.model).toBe('gbdt');
    expect(got.gbdt.evaluation.test).not.toBeNull();
    expect(figures(got.forest)).toEqual(figures(reference.forest));
    expect(figures(got.gbdt)).toEqual(figures(reference.gbdt));
    expect(got.gbdt.record.version).toBe(2);
  });

  it(`${engine}: every order scored, stored and listed as on DuckDB; rescoring one keeps one row per order`, () => {
    expect(got.scored).toBe(RISK_STORE_ORDERS);
    expect(got.page.scored).toBe(RISK_STORE_ORDERS);
    expect(got.page.modelVersion).toBe(2);
    expect(got.held).toBeGreaterThan(0);
    expect(got.held).toBe(reference.held);
    expect(got.page.orders).toHaveLength(10);
    expect(pageRows(got.page)).toEqual(pageRows(reference.page));
    expect(pageRows(got.heldPage)).toEqual(pageRows(reference.heldPage));
    expect(got.page.scoredAt).toBeInstanceOf(Date);
    expect(got.cuts).toEqual(reference.cuts);
    expect({ ...got.big1, scoredAt: null }).toEqual({ ...reference.big1, scoredAt: null });
    expect(got.afterOne).toBe(RISK_STORE_ORDERS);
  });
});
