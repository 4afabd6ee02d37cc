import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCutoff } from '../../features/cutoff.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { BinaryMetrics } from './metrics.js';
import { churnOverSeeds, seedSummary } from './seeds.js';
import { openSyntheticStore } from './test-synthetic-store.js';
import { trainCustomerModels, type ClassifierReport } from './train.js';

const m = (rocAuc: number, prAuc: number): BinaryMetrics => ({
  rocAuc,
  prAuc,
  brier: 0,
  liftTopDecile: 0,
  calibration: [],
});

function report(chosen: 'gbdt' | 'logistic', gbdt: BinaryMetrics, logistic: BinaryMetrics): ClassifierReport {
  return {
    horizonDays: 90,
    positiveRate: 0.4,
    chosen,
    selectionRocAuc: { gbdt: 0, logistic: 0 },
    tuned: {
      gbdt: { maxLeaves: 2, minChildHessian: 5, rounds: 1, cvRocAuc: 0 },
      logistic: { l2: 1, cvRocAuc: 0 },
    },
    gbdtTrees: 1,
    test: { gbdt, logistic, rfmRule: m(0.5, 0.4) },
  };
}

describe('seedSummary', () => {
  it('takes mean, lowest and highest of the served model, seed by seed, by hand', () => {
    const s = seedSummary([
      report('gbdt', m(0.8, 0.7), m(0.7, 0.6)), // served 0.8 / 0.7
      report('logistic', m(0.9, 0.5), m(0.72, 0.66)), // served 0.72 / 0.66
      report('logistic', m(0.6, 0.6), m(0.76, 0.62)), // served 0.76 / 0.62
    ]);
    expect(s.served.mean.rocAuc).toBeCloseTo((0.8 + 0.72 + 0.76) / 3, 12);
    expect(s.served.mean.prAuc).toBeCloseTo((0.7 + 0.66 + 0.62) / 3, 12);
    expect(s.served.min).toEqual({ rocAuc: 0.72, prAuc: 0.62 });
    expect(s.served.max).toEqual({ rocAuc: 0.8, prAuc: 0.7 });
    expect(s.gbdt.min).toEqual({ rocAuc: 0.6, prAuc: 0.5 });
    expect(s.rfmRule.mean.rocAuc).toBeCloseTo(0.5, 12);
    expect(() => seedSummary([])).toThrow(/no reports/);
  });
});

describe('churnOverSeeds on the synthetic store', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await openSyntheticStore();
  });
  afterAll(async () => {
    await wh.close();
  });

  it('gives each seed the same churn figures as a full training run with that seed', async () => {
    const cutoff = parseCutoff('2023-10-01');
    const runs = await churnOverSeeds(wh, { cutoff, seeds: [42, 7] });
    expect(runs.map((r) => r.seed)).toEqual([42, 7]);
    const full = await trainCustomerModels(wh, { cutoff, seed: 7 });
    expect(runs[1]!.churn).toEqual(full.evaluation.churn);
    expect(runs[0]!.churn.test.gbdt.rocAuc).not.toBe(runs[1]!.churn.test.gbdt.rocAuc);
  });
});
