/**
 * Features, interactions and recommender training from a 2-shard ClickHouse cluster against DuckDB
 * on the bundled Online Retail sample (fixtures/online-retail, imported into both): the customer
 * feature matrices and the interaction sequences equal DuckDB's value for value, and
 * `train recommend` (popularity, seed 1) stores a promoted model in the cluster's registry with
 * the same metrics as the DuckDB run. `train customers`: its labels (90 and 30 days), BTYD summaries
 * and RFM rule totals as of 2011-09-09 equal DuckDB's exactly, and churn, propensity and CLV trained
 * from the cluster (cutoff 2011-09-09, seed 42) are stored and promoted there with the DuckDB run's
 * metrics. Without clickhouse-server the suite is skipped with a printed message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { btydSummary } from '../features/btyd-summary.js';
import { customerFeatures } from '../features/customer-features.js';
import { customerOutcomes } from '../features/customer-outcomes.js';
import { loadInteractions } from '../features/interactions.js';
import { getPreset } from '../ingest/presets/index.js';
import { rfmTotals } from '../tasks/customers/rfm-rule.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import {
  clickhouseInstalled,
  SKIP_MESSAGE,
  startTestCluster,
  type TestCluster,
} from '../warehouse/clickhouse/test-cluster.js';
import { DuckDBWarehouse } from '../warehouse/duckdb/duckdb-warehouse.js';
import { importIntoClickHouse } from '../warehouse/import/import-into-clickhouse.js';
import { importSource } from '../warehouse/import/import-source.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { listModels, loadModel } from './registry.js';
import { trainAndRegister } from './training.js';

const SAMPLE = fileURLToPath(new URL('../../fixtures/online-retail/online_retail.csv.gz', import.meta.url));

if (!clickhouseInstalled) console.warn(SKIP_MESSAGE);

describe.skipIf(!clickhouseInstalled)('training from a 2-shard ClickHouse cluster equals DuckDB', () => {
  let cluster: TestCluster;
  let ch: ClickHouseStore;
  let wh: Warehouse;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopsight-chtrain-'));
    cluster = startTestCluster(2);
    ch = await ClickHouseStore.open(cluster.url('shop'));
    wh = await DuckDBWarehouse.open(join(dir, 'shop.duckdb'), { memoryLimit: '1GB' });
    await importSource(wh, { target: SAMPLE, preset: getPreset('online-retail') });
    await importIntoClickHouse(ch, { target: SAMPLE, preset: getPreset('online-retail') });
  }, 600_000);

  afterAll(async () => {
    await ch?.close();
    await wh?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(['2011-09-09', '2011-12-10'])(
    'customer features as of %s equal DuckDB value by value',
    async (day) => {
      const cutoff = new Date(`${day}T00:00:00Z`);
      const [a, b] = [await customerFeatures(ch, { cutoff }), await customerFeatures(wh, { cutoff })];
      expect(a.customerIds).toEqual(b.customerIds);
      expect(a.names).toEqual(b.names);
      // The Float32 matrices are equal exactly (measured), within the 1e-9 relative asked.
      expect(a.values).toEqual(b.values);
      // Customers with a sales order before 2011-09-09: recounted from the raw file by
      // eval/reference/online_retail_counts.py (docs/EVALUATION.md).
      if (day === '2011-09-09') expect(a.rows).toBe(3_362);
    },
    120_000,
  );

  it.each([undefined, new Date('2011-09-09T00:00:00Z')])(
    'interactions equal DuckDB triplet by triplet (cutoff %s)',
    async (cutoff) => {
      const options = cutoff ? { cutoff } : {};
      const [a, b] = [await loadInteractions(ch, options), await loadInteractions(wh, options)];
      expect(a.userIds).toEqual(b.userIds);
      expect(a.itemIds).toEqual(b.itemIds);
      expect(a.categories).toEqual(b.categories);
      expect(a.data).toEqual(b.data); // offsets, item indexes, times, weights, item categories
    },
    120_000,
  );

  it('train recommend stores a model in the cluster with the metrics of the DuckDB run', async () => {
    const options = { model: 'popularity', seed: 1, budgetSeconds: Infinity };
    const a = await trainAndRegister(ch, 'recommend', options);
    const b = await trainAndRegister(wh, 'recommend', options);
    // Everything but the measured training seconds.
    const metrics = (m: Record<string, unknown>): string =>
      JSON.stringify(m, (k, v: unknown) => (k === 'trainSeconds' ? undefined : v));
    expect(metrics(a.models[0].metrics)).toBe(metrics(b.models[0].metrics));
    expect(a.models[0].metrics['testCases']).toBeGreaterThan(4_000);
    const served = await loadModel(ch, 'recommend');
    expect(served.record).toMatchObject({ modelId: a.models[0].modelId, status: 'promoted' });
  }, 300_000);

  it('train customers reads the same labels, BTYD summaries and RFM totals as DuckDB', async () => {
    const cutoff = new Date('2011-09-09T00:00:00Z');
    const ids = (await customerFeatures(wh, { cutoff, names: ['frequency'] })).customerIds;
    for (const horizonDays of [90, 30]) {
      const a = await customerOutcomes(ch, ids, { cutoff, horizonDays });
      expect(a).toEqual(await customerOutcomes(wh, ids, { cutoff, horizonDays }));
      if (horizonDays === 90) expect(a.bought.reduce((x, y) => x + y, 0)).toBe(1_906); // DuckDB's count, measured
    }
    expect(await btydSummary(ch, ids, cutoff)).toEqual(await btydSummary(wh, ids, cutoff));
    expect(await rfmTotals(ch, ids, cutoff)).toEqual(await rfmTotals(wh, ids, cutoff));
  }, 120_000);

  it('train customers stores churn, propensity and CLV in the cluster with the metrics of the DuckDB run', async () => {
    const options = { cutoff: new Date('2011-09-09T00:00:00Z'), seed: 42 };
    const a = await trainAndRegister(ch, 'customers', options);
    const b = await trainAndRegister(wh, 'customers', options);
    expect(JSON.stringify(a.evaluation)).toBe(JSON.stringify(b.evaluation));
    expect(a.models.map((m) => JSON.stringify(m.metrics))).toEqual(
      b.models.map((m) => JSON.stringify(m.metrics)),
    );
    expect(JSON.stringify(a.clvFitNow)).toBe(JSON.stringify(b.clvFitNow));
    expect(a.evaluation.customers).toBe(3_362);
    const stored = await listModels(ch);
    for (const task of ['churn', 'propensity', 'clv']) {
      expect(stored.find((m) => m.task === task)).toMatchObject({ version: 1, status: 'promoted' });
      expect((await loadModel(ch, task)).record.modelId).toBe(`${task}@1`);
    }
  }, 600_000);
});
