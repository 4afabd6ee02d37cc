/**
 * @module tasks/customers/seeds
 * The churn classifier under several seeds of the customer split: the features, labels and RFM
 * totals are built once for the cutoff, then each seed gets its own split, its own tuning inside
 * its fitting part, its own model choice on its selection part, and figures on its test part.
 * How much the figures move between splits is what a single seed cannot show.
 *
 * @example
 *   const runs = await churnOverSeeds(wh, { cutoff, seeds: [42, 1, 2] });
 *   runs[0].churn.test[runs[0].churn.chosen].rocAuc;
 */
import { customerFeatures } from '../../features/customer-features.js';
import { customerOutcomes } from '../../features/customer-outcomes.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { trainClassifier } from './classifier.js';
import { requireBothClasses, requireCustomers } from './eligibility.js';
import { CHURN_HORIZON_DAYS } from './params.js';
import { rfmTotals } from './rfm-rule.js';
import { splitCustomers, take } from './split.js';
import type { BinaryMetrics } from './metrics.js';
import { classifierReport, type ClassifierReport } from './train.js';

export interface SeedRun {
  readonly seed: number;
  readonly churn: ClassifierReport;
}

export async function churnOverSeeds(
  wh: Warehouse,
  options: { readonly cutoff: Date; readonly horizonDays?: number; readonly seeds: readonly number[] },
): Promise<SeedRun[]> {
  const horizon = options.horizonDays ?? CHURN_HORIZON_DAYS;
  const m = await customerFeatures(wh, { cutoff: options.cutoff, horizonDays: horizon });
  requireCustomers(m.rows);
  const window = await customerOutcomes(wh, m.customerIds, { cutoff: options.cutoff, horizonDays: horizon });
  const churned = window.bought.map((b) => 1 - b);
  const totals = await rfmTotals(wh, m.customerIds, options.cutoff);
  return options.seeds.map((seed) => {
    const split = splitCustomers(m.rows, { seed });
    requireBothClasses('churn', ['stayed', 'churned'], take(churned, split.train));
    const c = trainClassifier({ values: m.values, cols: m.cols, labels: churned, split });
    return { seed, churn: classifierReport(c, m, churned, split, totals, horizon) };
  });
}

export interface Spread {
  readonly mean: { readonly rocAuc: number; readonly prAuc: number };
  /** Lowest and highest of each figure (not necessarily the same seed for both). */
  readonly min: { readonly rocAuc: number; readonly prAuc: number };
  readonly max: { readonly rocAuc: number; readonly prAuc: number };
}

/** Mean, lowest and highest test ROC-AUC and PR-AUC over the seeds: the served model and each candidate. */
export function seedSummary(
  reports: readonly ClassifierReport[],
): Record<'served' | 'gbdt' | 'logistic' | 'rfmRule', Spread> {
  if (!reports.length) throw new RangeError('seedSummary: no reports');
  const spread = (pick: (r: ClassifierReport) => BinaryMetrics): Spread => {
    const roc = reports.map((r) => pick(r).rocAuc);
    const pr = reports.map((r) => pick(r).prAuc);
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    return {
      mean: { rocAuc: mean(roc), prAuc: mean(pr) },
      min: { rocAuc: Math.min(...roc), prAuc: Math.min(...pr) },
      max: { rocAuc: Math.max(...roc), prAuc: Math.max(...pr) },
    };
  };
  return {
    served: spread((r) => r.test[r.chosen]),
    gbdt: spread((r) => r.test.gbdt),
    logistic: spread((r) => r.test.logistic),
    rfmRule: spread((r) => r.test.rfmRule),
  };
}
