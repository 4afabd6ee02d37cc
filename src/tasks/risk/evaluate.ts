/**
 * @module tasks/risk/evaluate
 * `shopsight evaluate risk`: how well the risk models do on the merchant's own store. Stores nothing.
 *
 * - With labels (a file of known fraud): the deployed-model protocol, a time split of the
 *   labelled orders (labelledTimeSplit: train on the earliest 70%, its latest 15% for early
 *   stopping, measure on the latest 30%). Side by side on the test part: the isolation forest alone
 *   (fitted without labels on every order placed before the test part begins), logistic regression
 *   (L2 picked on the validation part), the GBDT `train risk --labels` fits, and the GBDT plus the
 *   merchant's rules when given. ROC-AUC, PR-AUC, precision and recall at the review rate and at 5%.
 *   With a grouping of the orders: the GBDT's fairness report over the test orders, an order
 *   flagged when it scores at or above the review-rate threshold cut on the validation part (the
 *   rule `train risk` stores), so the test orders never choose the threshold they are judged at.
 * - Without labels: the injected-anomaly protocol. The four kinds of anomalous order
 *   (warehouse/plant-risk-anomalies.ts) are planted inside a transaction that is rolled back, the
 *   unsupervised model is fitted as `train risk` fits it, and the share of planted orders among the
 *   held ones (recall, per kind) is measured at the review rate; precision is the planted share of
 *   the held orders, a lower bound (real orders held may be anomalous too).
 */
import type { Grouping } from '../../features/fairness-groups.js';
import { orderRiskFeatures, type OrderFeatureMatrix } from '../../features/order-risk-features.js';
import { predictGbdt, trainGbdt } from '../../ml/gbdt/index.js';
import { predictLogistic } from '../../ml/linear/logistic.js';
import { bestLogistic } from '../../ml/linear/logistic-select.js';
import { atReviewRate, prAuc, rocAuc, scoreAtRate } from '../../ml/metrics/classification.js';
import { fairnessReport, type FairnessReport } from '../../ml/metrics/fairness.js';
import { ANOMALY_KINDS, plantAnomalies, type AnomalyKind } from '../../warehouse/plant-risk-anomalies.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { combineRisk, type RiskRule } from './rules.js';
import { scoreRisk } from './score.js';
import { labelledTimeSplit, RISK_GBDT_PARAMS, trainRiskModel } from './train.js';

export interface RiskFigures {
  readonly rocAuc: number;
  readonly prAuc: number;
  /** At the review rate. */
  readonly precision: number;
  readonly recall: number;
  readonly precisionAt5: number;
  readonly recallAt5: number;
}

export interface LabelledRiskEvaluation {
  readonly kind: 'labelled';
  readonly protocol: string;
  readonly reviewRate: number;
  readonly test: { readonly orders: number; readonly fraud: number; readonly from: string };
  readonly models: {
    readonly forest: RiskFigures;
    readonly logistic: RiskFigures;
    readonly gbdt: RiskFigures;
    /** Only when rules were given. */
    readonly gbdtRules: RiskFigures | null;
  };
  /** The GBDT per group of test orders; only with a grouping. */
  readonly fairness?: FairnessReport;
}

export interface PlantedRiskEvaluation {
  readonly kind: 'planted';
  readonly protocol: string;
  readonly reviewRate: number;
  readonly orders: number;
  readonly held: number;
  readonly planted: number;
  readonly found: number;
  readonly recall: number;
  readonly recallByKind: Readonly<Record<AnomalyKind, number>>;
  /** Planted orders among the held: a lower bound. */
  readonly precision: number;
}

export type RiskStoreEvaluation = LabelledRiskEvaluation | PlantedRiskEvaluation;

export interface EvaluateRiskOptions {
  readonly labels?: ReadonlyMap<string, 0 | 1>;
  readonly rules?: readonly RiskRule[];
  /** Default 0.02. */
  readonly reviewRate?: number;
  readonly seed?: number;
  /** Without labels: anomalies planted per kind (default 25). */
  readonly plantedPerKind?: number;
  /** With labels: the group of every order of the matrix (codes aligned with its rows). */
  readonly grouping?: Grouping;
}

function figures(labels: Float32Array, p: Float64Array, reviewRate: number): RiskFigures {
  const a = atReviewRate(labels, p, reviewRate);
  const b = atReviewRate(labels, p, 0.05);
  return {
    rocAuc: rocAuc(labels, p),
    prAuc: prAuc(labels, p),
    precision: a.precision,
    recall: a.recall,
    precisionAt5: b.precision,
    recallAt5: b.recall,
  };
}

/** The labelled protocol on a feature matrix (pure: no warehouse). */
export function evaluateLabelledRisk(
  m: OrderFeatureMatrix,
  labels: ReadonlyMap<string, 0 | 1>,
  options: Omit<EvaluateRiskOptions, 'labels' | 'plantedPerKind'> = {},
): LabelledRiskEvaluation {
  const reviewRate = options.reviewRate ?? 0.02;
  const seed = options.seed ?? 1;
  const split = labelledTimeSplit(m, labels);
  const { fit, valid, test } = split;
  const testStart = split.labelled[split.trainEnd]!;
  // The forest sees every order placed before the first test order, labelled or not.
  const before = m.orderedAt.findIndex((t) => t >= m.orderedAt[testStart]!);
  const forest = trainRiskModel(
    {
      ...m,
      values: m.values.subarray(0, before * m.cols),
      orderIds: m.orderIds.slice(0, before),
      rows: before,
    },
    { seed, reviewRate },
  ).model;
  const pf = scoreRisk(forest, test.features, test.rows, { reasons: 0 }).modelScore;
  const pl = predictLogistic(bestLogistic({ ...fit, cols: m.cols }, valid), test.features, test.rows);
  const gbdt = trainGbdt({ ...fit, cols: m.cols, valid, params: { ...RISK_GBDT_PARAMS, seed } });
  const pg = predictGbdt(gbdt, test.features, test.rows);
  const rules = options.rules ?? [];
  const pr = rules.length
    ? Float64Array.from(pg, (p, r) => combineRisk(p, rules, test.features, r * m.cols).score)
    : null;
  const fraud = test.labels.reduce((a, b) => a + b, 0);
  const grouping = options.grouping;
  const fairness = grouping
    ? fairnessReport(
        test.labels,
        pg,
        Int32Array.from(split.labelled.slice(split.trainEnd), (r) => grouping.codes[r]!),
        grouping.names,
        {
          threshold: scoreAtRate(predictGbdt(gbdt, valid.features, valid.rows), reviewRate),
          reference: grouping.reference,
        },
      )
    : undefined;
  return {
    kind: 'labelled',
    protocol:
      `time split of ${split.labelled.length} labelled orders: fit on the earliest ${split.validStart}, ` +
      `validation (early stopping, logistic L2) on the next ${split.trainEnd - split.validStart}, measured on the latest ` +
      `${test.rows}; the isolation forest fitted without labels on the ${before} orders placed before the test part`,
    reviewRate,
    test: { orders: test.rows, fraud, from: new Date(m.orderedAt[testStart]!).toISOString() },
    models: {
      forest: figures(test.labels, pf, reviewRate),
      logistic: figures(test.labels, pl, reviewRate),
      gbdt: figures(test.labels, pg, reviewRate),
      gbdtRules: pr ? figures(test.labels, pr, reviewRate) : null,
    },
    ...(fairness ? { fairness } : {}),
  };
}

/** Without labels: anomalies planted in a transaction that is rolled back; nothing stays. */
export async function evaluatePlantedRisk(
  wh: Warehouse,
  options: Omit<EvaluateRiskOptions, 'labels' | 'rules' | 'grouping'> = {},
): Promise<PlantedRiskEvaluation> {
  if (wh.engine === 'clickhouse') {
    throw new Error(
      'evaluate risk without labels plants anomalies in a transaction that is rolled back, and ClickHouse has ' +
        'no transactions: give --labels, or run it on a DuckDB copy of the store',
    );
  }
  const reviewRate = options.reviewRate ?? 0.02;
  const perKind = options.plantedPerKind ?? 25;
  let result: PlantedRiskEvaluation | undefined;
  const rollback = new Error('evaluate risk: roll the planted orders back');
  try {
    await wh.transaction(async () => {
      const planted = await plantAnomalies(wh, perKind, options.seed ?? 7);
      const m = await orderRiskFeatures(wh);
      const { model } = trainRiskModel(m, { seed: options.seed ?? 1, reviewRate });
      const s = scoreRisk(model, m.values, m.rows, { reasons: 0 }).modelScore;
      const k = Math.max(1, Math.round(reviewRate * m.rows));
      const order = Array.from(s.keys()).sort((a, b) => s[b]! - s[a]! || a - b);
      const top = new Set(order.slice(0, k).map((r) => m.orderIds[r]));
      const recallByKind = Object.fromEntries(
        ANOMALY_KINDS.map((kind) => {
          const of = planted.filter((p) => p.kind === kind);
          return [kind, of.filter((p) => top.has(p.orderId)).length / of.length];
        }),
      ) as Record<AnomalyKind, number>;
      const found = planted.filter((p) => top.has(p.orderId)).length;
      result = {
        kind: 'planted',
        protocol:
          `${perKind} anomalies of each of ${ANOMALY_KINDS.length} kinds (${ANOMALY_KINDS.join(', ')}) planted in the store ` +
          `(rolled back afterwards); the unsupervised model fitted on all ${m.rows} orders; the riskiest ` +
          `${(reviewRate * 100).toFixed(1)}% (${k}) held`,
        reviewRate,
        orders: m.rows,
        held: k,
        planted: planted.length,
        found,
        recall: found / planted.length,
        recallByKind,
        precision: found / k,
      };
      throw rollback;
    });
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return result!;
}
