/**
 * @module tasks/customers/train
 * Trains and evaluates the customer models on one warehouse, as of a cutoff:
 *   churn       no sales order in [cutoff, cutoff + horizon) (default 90 days)
 *   propensity  a sales order in [cutoff, cutoff + 30 days)
 *   clv         BG/NBD + Gamma-Gamma on the purchase history
 * Protocol: features from data strictly before the cutoff; customers = everyone with a sales order
 * before it; a fixed-seed 70/30 split of customers; inside the 70%, 5-fold cross-validation on
 * the fitting part (four fifths) picks the hyper-parameters, and the selection part (a fifth, seen
 * by no tuning) picks GBDT or logistic (tasks/customers/classifier.ts); test figures for GBDT,
 * logistic and the RFM rule side by side. CLV is judged on all customers (it sees no labels): predicted spend in the horizon vs
 * actual, against "same as the previous period".
 * With `group` (issue 17), each classifier's report carries the served model's fairness report over
 * the test customers per group of that attribute (ml/metrics/fairness.ts; docs/fairness.md).
 *
 * The returned artifacts are what `shopsight train customers` stores: the chosen classifiers (as
 * trained on the training part, so their stored metrics are exactly theirs) and a CLV model refit
 * on all data up to the last order (the parameters for scoring "now").
 *
 * @example
 *   const t = await trainCustomerModels(wh, { cutoff: parseCutoff('2011-09-09') });
 *   t.evaluation.churn.test.gbdt.rocAuc; // 0.74 on Online Retail
 */
import { btydSummary } from '../../features/btyd-summary.js';
import { customerFeatures, type FeatureMatrix } from '../../features/customer-features.js';
import { customerOutcomes } from '../../features/customer-outcomes.js';
import { checkCutoff, dataRange, defaultCutoff, type DataRange } from '../../features/cutoff.js';
import {
  customerGroupValues,
  groupValues,
  type GroupSpec,
  type Grouping,
} from '../../features/fairness-groups.js';
import { fairnessReport, type FairnessReport } from '../../ml/metrics/fairness.js';
import type { ModelArtifact } from '../../ml/artifact.js';
import type { BgNbdParams, GammaGammaParams } from '../../ml/clv/types.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import {
  classifierToArtifact,
  scoreClassifier,
  trainClassifier,
  type TrainedClassifier,
} from './classifier.js';
import { clvToArtifact, fitClv, nextOrderDaysOf, predictClv, type ClvModel } from './clv.js';
import type { BtydSummary } from '../../features/btyd-summary.js';
import type { CustomerOutcomes } from '../../features/customer-outcomes.js';
import { NotEnoughDataError, requireBothClasses, requireCustomers } from './eligibility.js';
import { binaryMetrics, spendMetrics, type BinaryMetrics, type SpendMetrics } from './metrics.js';
import { CHURN_HORIZON_DAYS, CV_FOLDS, DEFAULT_SEED, PROPENSITY_HORIZON_DAYS } from './params.js';
import type { GbdtCandidate, LogisticCandidate } from './tuning.js';
import { applyRfmRule, fitRfmRule, rfmTotals } from './rfm-rule.js';
import { splitCustomers, take, takeRows, type CustomerSplit } from './split.js';

const DAY_MS = 86_400_000;

export interface CustomerTrainingOptions {
  /** Default: the latest day that leaves a whole churn horizon of data after it. */
  readonly cutoff?: Date;
  /** Churn horizon in days (default 90). */
  readonly horizonDays?: number;
  readonly seed?: number;
  /** Fairness report of the served churn and propensity models per group of this attribute. */
  readonly group?: GroupSpec;
  /** With `group`: a customer is flagged when the served model's probability is at least this (default 0.5). */
  readonly threshold?: number;
  /** Called as each step starts (progress display). */
  readonly onStep?: (step: string, index: number, of: number) => void;
}

export interface ClassifierReport {
  readonly horizonDays: number;
  /** Share of all customers with label 1 (churned / bought). */
  readonly positiveRate: number;
  /** Picked on selection-part ROC-AUC. */
  readonly chosen: 'gbdt' | 'logistic';
  readonly selectionRocAuc: { readonly gbdt: number; readonly logistic: number };
  /** What cross-validation inside the fitting part picked (mean fold ROC-AUC beside each). */
  readonly tuned: { readonly gbdt: GbdtCandidate; readonly logistic: LogisticCandidate };
  /** Trees of the final GBDT (the folds' mean early-stopped count). */
  readonly gbdtTrees: number;
  readonly test: {
    readonly gbdt: BinaryMetrics;
    readonly logistic: BinaryMetrics;
    readonly rfmRule: BinaryMetrics;
  };
  /** The served model per group of test customers; only when a group attribute was asked for. */
  readonly fairness?: FairnessReport;
}

export interface CustomerEvaluation {
  readonly protocol: string;
  readonly cutoff: string;
  readonly customers: number;
  readonly features: string[];
  readonly split: {
    readonly seed: number;
    readonly train: number;
    readonly select: number;
    readonly test: number;
  };
  readonly churn: ClassifierReport;
  readonly propensity: ClassifierReport;
  readonly clv: {
    readonly protocol: string;
    readonly horizonDays: number;
    readonly model: SpendMetrics;
    readonly naiveLastPeriod: SpendMetrics;
    /** The BG/NBD fit (served or not: `fit.served` says which model is) and Gamma-Gamma. */
    readonly params: { readonly bgnbd: BgNbdParams; readonly gammaGamma: GammaGammaParams };
    /** Every fit tried: standard errors, log-likelihoods, convergence, boundary flags, the served model. */
    readonly fit: ClvModel['fit'];
  };
  readonly nextOrder: NextOrderReport;
}

export interface NextOrderReport {
  readonly protocol: string;
  /** Customers who ordered within the horizon (the only ones whose next order date is known). */
  readonly buyers: number;
  /** Mean |predicted - actual| days to the first order after the cutoff, over buyers with a prediction. */
  readonly meanAbsoluteErrorDays: number;
  /** Buyers for whom the model expected under one order in two years (no date). */
  readonly notExpected: number;
  /** The same error over buyers with >= 2 order days, for the model and for their own rhythm alone. */
  readonly repeatBuyers: number;
  readonly repeatModelErrorDays: number;
  readonly repeatOwnRhythmErrorDays: number;
}

export interface TrainedCustomerModels {
  readonly evaluation: CustomerEvaluation;
  readonly artifacts: {
    readonly churn: ModelArtifact;
    readonly propensity: ModelArtifact;
    readonly clv: ModelArtifact;
  };
  readonly trainedOn: Record<string, unknown>;
}

const STEPS = ['features', 'labels', 'churn', 'propensity', 'clv', 'clv (all data)'] as const;

/** The latest cutoff with a whole `horizonDays` of data after it. */
export function latestCutoff(range: DataRange, horizonDays: number): Date {
  return new Date(defaultCutoff(range).getTime() - horizonDays * DAY_MS);
}

export async function trainCustomerModels(
  wh: Warehouse,
  options: CustomerTrainingOptions = {},
): Promise<TrainedCustomerModels> {
  const horizon = options.horizonDays ?? CHURN_HORIZON_DAYS;
  if (!Number.isInteger(horizon) || horizon < 1)
    throw new RangeError(`horizon must be a whole number of days >= 1, got ${horizon}`);
  const seed = options.seed ?? DEFAULT_SEED;
  const step = (i: number): void => options.onStep?.(STEPS[i]!, i, STEPS.length);
  const range = await dataRange(wh);
  const labelDays = Math.max(horizon, PROPENSITY_HORIZON_DAYS);
  const cutoff = options.cutoff ?? (range ? latestCutoff(range, labelDays) : new Date(NaN));
  if (!options.cutoff && range && cutoff.getTime() <= range.first.getTime()) {
    const span = Math.round((range.last.getTime() - range.first.getTime()) / DAY_MS);
    throw new NotEnoughDataError(
      `the orders span ${span} days; training needs history before a cutoff and a whole ${labelDays}-day ` +
        `horizon after it, so more than ${labelDays} days of orders (import more history or use --horizon)`,
    );
  }
  checkCutoff(range, cutoff, labelDays);

  step(0);
  const m = await customerFeatures(wh, { cutoff, horizonDays: horizon });
  requireCustomers(m.rows);

  step(1);
  const churnWindow = await customerOutcomes(wh, m.customerIds, { cutoff, horizonDays: horizon });
  const soon = await customerOutcomes(wh, m.customerIds, { cutoff, horizonDays: PROPENSITY_HORIZON_DAYS });
  const churned = churnWindow.bought.map((b) => 1 - b);
  const split = splitCustomers(m.rows, { seed });
  requireBothClasses('churn', ['stayed', 'churned'], take(churned, split.train));
  requireBothClasses('purchase propensity', ['did not buy', 'bought'], take(soon.bought, split.train));
  const totals = await rfmTotals(wh, m.customerIds, cutoff);
  const fairness = options.group
    ? {
        grouping: groupValues(
          await customerGroupValues(wh, m.customerIds, options.group, cutoff),
          options.group,
        ),
        threshold: options.threshold ?? DEFAULT_DECISION_THRESHOLD,
      }
    : undefined;

  step(2);
  const churn = trainClassifier({ values: m.values, cols: m.cols, labels: churned, split });
  const churnReport = classifierReport(churn, m, churned, split, totals, horizon, fairness);
  step(3);
  const propensity = trainClassifier({ values: m.values, cols: m.cols, labels: soon.bought, split });
  const propensityReport = classifierReport(
    propensity,
    m,
    soon.bought,
    split,
    totals,
    PROPENSITY_HORIZON_DAYS,
    fairness,
  );

  step(4);
  const summary = await btydSummary(wh, m.customerIds, cutoff);
  const clvAtCutoff = fitClv(summary);
  const predicted = predictClv(clvAtCutoff, summary, horizon).expectedSpend;
  const before = await customerOutcomes(wh, m.customerIds, {
    cutoff: new Date(cutoff.getTime() - horizon * DAY_MS),
    horizonDays: horizon,
  });

  const nextOrder = nextOrderReport(clvAtCutoff, summary, m, churnWindow, horizon, split.test);

  step(5);
  const now = defaultCutoff(range!);
  const nowFeatures = await customerFeatures(wh, { cutoff: now, names: ['frequency'] });
  const clvNow = fitClv(await btydSummary(wh, nowFeatures.customerIds, now));

  const day = (d: Date): string => d.toISOString().slice(0, 10);
  const evaluation: CustomerEvaluation = {
    protocol:
      `features from data before ${day(cutoff)}; labels from [${day(cutoff)}, +${horizon} days) (churn) and ` +
      `[${day(cutoff)}, +${PROPENSITY_HORIZON_DAYS} days) (propensity); customers = everyone with a sales order before the cutoff; ` +
      `fixed-seed (${seed}) split of customers 70/30; the 70% = a fitting part (four fifths: ${CV_FOLDS}-fold cross-validation picks ` +
      `the hyper-parameters, early stopping inside each fold; the final models are fitted on it) and a selection part ` +
      `(a fifth: GBDT vs logistic only); ` +
      `figures on the 30% test customers`,
    cutoff: day(cutoff),
    customers: m.rows,
    features: m.names,
    split: { seed, train: split.train.length, select: split.select.length, test: split.test.length },
    churn: churnReport,
    propensity: propensityReport,
    clv: {
      protocol:
        `purchase model (served: ${clvAtCutoff.fit.served}) x Gamma-Gamma fitted on purchase days before ${day(cutoff)}; predicted spend in the next ${horizon} days ` +
        `vs actual, all ${m.rows} customers; naive = spend in the ${horizon} days before the cutoff`,
      horizonDays: horizon,
      model: spendMetrics(churnWindow.spend, predicted),
      naiveLastPeriod: spendMetrics(churnWindow.spend, before.spend),
      params: { bgnbd: clvAtCutoff.fit.bgnbd.params, gammaGamma: clvAtCutoff.gammaGamma },
      fit: clvAtCutoff.fit,
    },
    nextOrder,
  };
  const shared = { features: m.names, trainedCutoff: day(cutoff), seed };
  const headline = (r: ClassifierReport, horizonDays: number): Record<string, unknown> => ({
    horizonDays,
    chosen: r.chosen,
    selectionRocAuc: r.selectionRocAuc[r.chosen],
    tuned: r.tuned[r.chosen],
  });
  return {
    evaluation,
    trainedOn: {
      cutoff: day(cutoff),
      customers: m.rows,
      train: split.train.length,
      select: split.select.length,
      test: split.test.length,
      firstOrder: range!.first.toISOString(),
      lastOrder: range!.last.toISOString(),
      schemaVersion: wh.schemaVersion,
    },
    artifacts: {
      churn: classifierToArtifact(churn.chosen, {
        ...shared,
        ...headline(churnReport, horizon),
        task: 'churn',
      }),
      propensity: classifierToArtifact(propensity.chosen, {
        ...shared,
        ...headline(propensityReport, PROPENSITY_HORIZON_DAYS),
        task: 'propensity',
      }),
      clv: clvToArtifact(clvNow, { fittedAsOf: day(now), customers: nowFeatures.rows }),
    },
  };
}

/**
 * A customer is "flagged" (predicted to churn, to buy) when the served model's probability is at
 * least this: the probability-0.5 decision, the classifiers being fitted on log-loss.
 */
export const DEFAULT_DECISION_THRESHOLD = 0.5;

/**
 * Test figures of a trained classifier beside the RFM rule fitted on the same fitting part; with a
 * grouping, the served model's fairness report over the test customers.
 */
export function classifierReport(
  c: TrainedClassifier,
  m: FeatureMatrix,
  labels: Float32Array,
  split: CustomerSplit,
  totals: Int32Array,
  horizonDays: number,
  fairness?: { readonly grouping: Grouping; readonly threshold: number },
): ClassifierReport {
  const x = takeRows(m.values, m.cols, split.test);
  const y = take(labels, split.test);
  const n = split.test.length;
  const rule = fitRfmRule(totals, labels, split.train);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) pos += labels[i]!;
  const scores = {
    gbdt: scoreClassifier(c.gbdt, x, n),
    logistic: scoreClassifier(c.logistic, x, n),
  };
  return {
    horizonDays,
    positiveRate: pos / labels.length,
    chosen: c.chosen.kind,
    selectionRocAuc: c.selection,
    tuned: { gbdt: c.tuning.gbdt.best, logistic: c.tuning.logistic.best },
    gbdtTrees: c.gbdt.kind === 'gbdt' ? c.gbdt.model.trees.length : 0,
    test: {
      gbdt: binaryMetrics(y, scores.gbdt),
      logistic: binaryMetrics(y, scores.logistic),
      rfmRule: binaryMetrics(y, applyRfmRule(rule, take(totals, split.test))),
    },
    ...(fairness
      ? {
          fairness: fairnessReport(
            y,
            scores[c.chosen.kind],
            take(fairness.grouping.codes, split.test),
            fairness.grouping.names,
            { threshold: fairness.threshold, reference: fairness.grouping.reference },
          ),
        }
      : {}),
  };
}

/**
 * How far the expected next order date is from the first order actually placed after the cutoff,
 * for the test customers who did order within the horizon (the others' dates are unknown, so this
 * error is conditional on buying; the blending weight was chosen on the training customers). The own-rhythm baseline is "last order + their mean gap, or
 * now when overdue", defined for customers with at least two order days.
 */
function nextOrderReport(
  clv: ClvModel,
  s: BtydSummary,
  m: FeatureMatrix,
  window: CustomerOutcomes,
  horizonDays: number,
  rows: Int32Array,
): NextOrderReport {
  const gapCol = m.names.indexOf('gap_mean_days');
  const recencyCol = m.names.indexOf('recency_days');
  let buyers = 0;
  let notExpected = 0;
  let predicted = 0;
  let err = 0;
  let repeat = 0;
  let repeatModel = 0;
  let repeatOwn = 0;
  for (const i of rows) {
    const actual = window.firstOrderDays[i]!;
    if (Number.isNaN(actual)) continue;
    buyers++;
    const gap = gapCol >= 0 ? m.values[i * m.cols + gapCol]! : NaN;
    const recency = recencyCol >= 0 ? m.values[i * m.cols + recencyCol]! : s.T[i]! - s.recency[i]!;
    const days = nextOrderDaysOf(clv, s, m, i);
    if (days === null) {
      notExpected++;
      continue;
    }
    predicted++;
    err += Math.abs(days - actual);
    if (s.frequency[i]! > 0 && gap > 0) {
      repeat++;
      repeatModel += Math.abs(days - actual);
      repeatOwn += Math.abs(Math.max(gap - recency, 0) - actual);
    }
  }
  return {
    protocol:
      `test customers who ordered within ${horizonDays} days of the cutoff; error = |expected - actual| days to their first ` +
      'order after the cutoff; own rhythm = last order + their mean gap (now when overdue), customers with >= 2 order days',
    buyers,
    meanAbsoluteErrorDays: predicted ? err / predicted : NaN,
    notExpected,
    repeatBuyers: repeat,
    repeatModelErrorDays: repeat ? repeatModel / repeat : NaN,
    repeatOwnRhythmErrorDays: repeat ? repeatOwn / repeat : NaN,
  };
}
