/**
 * @module registry/risk
 * Order risk glue between the task and the registry, shared by the CLI and the server:
 * train (features, optional labels, fit, store as task 'risk'), and score (the promoted model and
 * the merchant's rules over the orders asked for, written to `order_risk` with the model version).
 *
 * @example
 *   await trainRiskAndRegister(wh, { labels: 'chargebacks.csv' }); // or 'column': orders.fraud_label
 *   const r = await scoreOrdersAndStore(wh, { since: new Date('2011-12-01') });
 */
import { newOrderRiskFeatures, type NewOrder } from '../features/new-order-risk-features.js';
import { orderRiskFeatures, type OrderRiskFeatureOptions } from '../features/order-risk-features.js';
import { readRiskLabels } from '../features/risk-labels.js';
import type { ModelRecord } from '../schema/models.js';
import { riskFromArtifact, riskToArtifact, type RiskModel } from '../tasks/risk/model.js';
import type { RiskRule } from '../tasks/risk/rules.js';
import { scoreRiskParallel } from '../tasks/risk/score-parallel.js';
import { heldAt, outcomeOf, scoreRisk, type OrderRiskOutcome } from '../tasks/risk/score.js';
import { trainRiskModel, type RiskEvaluation } from '../tasks/risk/train.js';
import type { OrderRiskColumns } from '../warehouse/order-risk-columns.js';
import { writeOrderRisk, type OrderRiskRow } from '../warehouse/order-risk-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadModel, saveModel } from './registry.js';

export const RISK_TASK = 'risk';

export interface TrainRiskAndRegisterOptions {
  /** A CSV of order_id and a 0/1 label, or 'column' for orders.fraud_label (features/risk-labels.ts). */
  readonly labels?: string;
  readonly reviewRate?: number;
  readonly seed?: number;
  readonly promote?: boolean;
}

export interface TrainRiskResult {
  readonly record: ModelRecord;
  readonly evaluation: RiskEvaluation;
  readonly threshold: number;
  readonly reviewRate: number;
  readonly expected: RiskModel['expected'];
  /** Rows of the labels file that matched no order (0 without labels). */
  readonly unmatchedLabels: number;
}

export async function trainRiskAndRegister(
  wh: Warehouse,
  options: TrainRiskAndRegisterOptions = {},
  onStep: (label: string, ordinal: number, total: number) => void = () => undefined,
): Promise<TrainRiskResult> {
  onStep('reading labels and building order features', 0, 3);
  const labels = options.labels ? await readRiskLabels(wh, options.labels) : null;
  const m = await orderRiskFeatures(wh);
  onStep(labels ? 'fitting the GBDT' : 'fitting the isolation forest', 1, 3);
  const { model, evaluation } = trainRiskModel(m, {
    ...(labels ? { labels: labels.labels } : {}),
    ...(options.reviewRate !== undefined ? { reviewRate: options.reviewRate } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  onStep('storing the model', 2, 3);
  const first = m.orderedAt[0];
  const last = m.orderedAt[m.rows - 1];
  const record = await saveModel(
    wh,
    {
      task: RISK_TASK,
      artifact: riskToArtifact(model),
      trainedOn: {
        orders: m.rows,
        from: first === undefined ? null : new Date(first).toISOString(),
        to: last === undefined ? null : new Date(last).toISOString(),
        labels: labels
          ? { file: labels.file, matched: labels.labels.size, unmatched: labels.unmatched }
          : null,
      },
      params: { model: model.kind, reviewRate: model.reviewRate, seed: options.seed ?? 1 },
      metrics: {
        threshold: model.threshold,
        expectedPrecision: model.expected?.precision ?? null,
        expectedRecall: model.expected?.recall ?? null,
        expectedHeldShare: model.expected?.heldShare ?? null,
        ...(evaluation.test
          ? {
              rocAuc: evaluation.test.rocAuc,
              prAuc: evaluation.test.prAuc,
              reviewCurve: evaluation.test.curve,
            }
          : {}),
        protocol: evaluation.protocol,
      },
    },
    { promote: options.promote ?? true },
  );
  return {
    record,
    evaluation,
    threshold: model.threshold,
    reviewRate: model.reviewRate,
    expected: model.expected,
    unmatchedLabels: labels?.unmatched ?? 0,
  };
}

export interface ScoreOrdersOptions extends OrderRiskFeatureOptions {
  readonly rules?: readonly RiskRule[];
  /** Write the scores to order_risk (default true). */
  readonly store?: boolean;
}

export interface ScoredOrder extends OrderRiskRow {
  readonly customerId: string | null;
}

/** What `risk score` scored and stored, column by column (a million orders make no million objects). */
export interface ScoredOrderList extends OrderRiskColumns {
  readonly length: number;
  readonly customerIds: readonly (string | null)[];
}

/** Order `r` of a scored list as one object, its reasons parsed: for the few a person reads. */
export function scoredOrderAt(list: ScoredOrderList, r: number): ScoredOrder {
  return {
    orderId: list.orderIds[r]!,
    customerId: list.customerIds[r] ?? null,
    score: list.score[r]!,
    modelScore: list.modelScore[r]!,
    action: list.action[r]!,
    held: list.held[r]!,
    reasons: JSON.parse(list.reasonsJson[r]!) as string[],
    rulesHit: JSON.parse(list.rulesHitJson[r]!) as string[],
    modelVersion: list.modelVersion,
    scoredAt: list.scoredAt,
  };
}

/** Every order of a scored list as objects (printing every one: the CLI's --csv and --json). */
export function scoredOrderRows(list: ScoredOrderList): ScoredOrder[] {
  return Array.from({ length: list.length }, (_, r) => scoredOrderAt(list, r));
}

export async function loadRiskModel(wh: Warehouse): Promise<{ model: RiskModel; version: number }> {
  const { record, artifact } = await loadModel(wh, RISK_TASK);
  return { model: riskFromArtifact(artifact), version: record.version };
}

/** Scores the selected orders (all by default) with the promoted risk model and the rules. */
export async function scoreOrdersAndStore(
  wh: Warehouse,
  options: ScoreOrdersOptions = {},
): Promise<ScoredOrderList> {
  const { model, version } = await loadRiskModel(wh);
  const m = await orderRiskFeatures(wh, options);
  // Over every core: a million orders' forest walks and reasons are most of the command's time.
  const s = await scoreRiskParallel(model, m.values, m.rows, { rules: options.rules ?? [] });
  const list: ScoredOrderList = {
    length: m.rows,
    orderIds: m.orderIds,
    customerIds: m.customerIds,
    score: s.score,
    modelScore: s.modelScore,
    action: s.action,
    held: Array.from({ length: m.rows }, (_, r) => heldAt(s, r, model.threshold)),
    reasonsJson: s.reasonsJson,
    rulesHitJson: s.rulesHitJson,
    modelVersion: version,
    scoredAt: new Date(),
  };
  const everyOrder = options.orderIds === undefined && options.since === undefined;
  if (options.store ?? true) await writeOrderRisk(wh, list, { replaceAll: everyOrder });
  return list;
}

export interface NewOrderRisk extends OrderRiskOutcome {
  /** The order's features as of its time, in ORDER_RISK_FEATURE_NAMES order (NaN = missing). */
  readonly features: Float32Array;
  readonly modelVersion: number;
  readonly threshold: number;
}

/**
 * Scores one order that need not be in the store (features as of its own time) with the promoted
 * model, on this thread, storing nothing: the library path of `POST /v1/risk/score`, which runs the
 * same features and the same scoreRisk on its scoring thread.
 */
export async function scoreNewOrder(
  wh: Warehouse,
  order: NewOrder,
  options: {
    readonly rules?: readonly RiskRule[];
    readonly model?: { model: RiskModel; version: number };
  } = {},
): Promise<NewOrderRisk> {
  const { model, version } = options.model ?? (await loadRiskModel(wh));
  const features = await newOrderRiskFeatures(wh, order);
  const s = scoreRisk(model, features, 1, { rules: options.rules ?? [] });
  return { ...outcomeOf(s, 0, model.threshold), features, modelVersion: version, threshold: model.threshold };
}
