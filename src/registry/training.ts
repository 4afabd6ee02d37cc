/**
 * @module registry/training
 * Train a task's models and keep them in the registry: the one place that glues a task's training
 * to `saveModel`, so `shopsight train ...`, the server's `POST /v1/admin/train/:task` and scheduled
 * retraining store the same records with the same metrics.
 *
 * - `customers`: churn and purchase propensity (GBDT or logistic, chosen on the selection part) and
 *   CLV (BTYD), three registry tasks: churn, propensity, clv.
 * - `recommend`: the recommender `--model auto` picks (or the one named) with its serving bundle.
 * - `sentiment`: the review sentiment model (registry/sentiment-training.ts), then the store's
 *   reviews scored by the promoted model into review_scores (what the review insight reads).
 * - `risk`: the order risk model (isolation forest, or a GBDT with a labels file), registry task risk.
 *
 * Runs on any Warehouse, a RemoteWarehouse in a worker thread included (registry/training-thread.ts).
 *
 * @example
 *   const r = await trainAndRegister(wh, 'recommend', { budgetSeconds: 60, promote: false });
 *   r.models[0].modelId; // 'recommend@4', a candidate
 */
import { loadInteractions } from '../features/interactions.js';
import type { ModelRecord } from '../schema/models.js';
import type { ClvFitReport } from '../tasks/customers/clv.js';
import {
  trainCustomerModels,
  type ClassifierReport,
  type CustomerEvaluation,
} from '../tasks/customers/train.js';
import { bundleToArtifact } from '../tasks/recommend/bundle.js';
import { trainRecommendations, type TrainRecommendEvaluation } from '../tasks/recommend/train.js';
import type { SentimentEvaluation } from '../tasks/reviews/train-sentiment.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { saveModel } from './registry.js';
import { scoreStoreReviews, type StoreScoring } from './review-scoring.js';
import { trainAndRegisterSentiment } from './sentiment-training.js';
import { trainRiskAndRegister, type TrainRiskAndRegisterOptions, type TrainRiskResult } from './risk.js';

/** What can be trained, each producing one or more registry tasks. */
export const TRAINING_TASKS = {
  customers: ['churn', 'propensity', 'clv'],
  recommend: ['recommend'],
  sentiment: ['sentiment'],
  risk: ['risk'],
} as const;
export type TrainingTask = keyof typeof TRAINING_TASKS;

export function isTrainingTask(s: string): s is TrainingTask {
  return Object.hasOwn(TRAINING_TASKS, s);
}

/** Called as each step begins: `label`, step `ordinal` of `total`. */
export type OnTrainingStep = (label: string, ordinal: number, total: number) => void;

export interface CustomersTrainingOptions {
  /** Default: the latest day with a whole horizon of data after it. */
  readonly cutoff?: Date;
  readonly horizonDays?: number;
  readonly seed?: number;
  /** Serve the new versions (default true, as `train customers` always did). */
  readonly promote?: boolean;
}

export interface RecommendTrainingOptions {
  /** A registered recommender name or 'auto' (default). */
  readonly model?: string;
  readonly candidates?: readonly string[];
  readonly seed?: number;
  /** Wall seconds `auto` may spend (Infinity: no budget). */
  readonly budgetSeconds?: number;
  /** performance.now() of this thread when the work began (default: now). */
  readonly startedAt?: number;
  /** Serve the new version (default true). */
  readonly promote?: boolean;
}

export interface SentimentTrainingOptions {
  /** Seed of the 80/20 split of distinct texts (12). */
  readonly seed?: number;
  /** Serve the new version (default true). */
  readonly promote?: boolean;
}

export interface TrainingOptions {
  readonly customers: CustomersTrainingOptions;
  readonly recommend: RecommendTrainingOptions;
  readonly sentiment: SentimentTrainingOptions;
  readonly risk: TrainRiskAndRegisterOptions;
}

export interface CustomersTrainingResult {
  readonly task: 'customers';
  /** churn, propensity, clv, as stored. */
  readonly models: ModelRecord[];
  readonly evaluation: CustomerEvaluation;
  /** The stored CLV model's fits (refitted on all purchase days before `clvFittedAsOf`). */
  readonly clvFitNow: ClvFitReport;
  readonly clvFittedAsOf: string;
}

export interface RecommendTrainingResult {
  readonly task: 'recommend';
  readonly models: [ModelRecord];
  readonly evaluation: TrainRecommendEvaluation;
}

export interface RiskTrainingResult extends TrainRiskResult {
  readonly task: 'risk';
  readonly models: [ModelRecord];
}

export interface SentimentTrainingResult {
  readonly task: 'sentiment';
  readonly models: [ModelRecord];
  readonly evaluation: SentimentEvaluation;
  /** The reviews scored after training, by the promoted model. */
  readonly scoring: StoreScoring;
}

export interface TrainingResults {
  readonly customers: CustomersTrainingResult;
  readonly recommend: RecommendTrainingResult;
  readonly sentiment: SentimentTrainingResult;
  readonly risk: RiskTrainingResult;
}

/** What the registry shows for a classifier: the chosen model's test figures first, then the protocol. */
function classifierMetrics(r: ClassifierReport, protocol: string): Record<string, unknown> {
  const m = r.test[r.chosen];
  return {
    rocAuc: m.rocAuc,
    prAuc: m.prAuc,
    brier: m.brier,
    liftTopDecile: m.liftTopDecile,
    rfmRuleRocAuc: r.test.rfmRule.rocAuc,
    selectionRocAuc: r.selectionRocAuc[r.chosen],
    protocol,
  };
}

async function trainCustomers(
  wh: Warehouse,
  options: CustomersTrainingOptions,
  onStep: OnTrainingStep,
): Promise<CustomersTrainingResult> {
  const t = await trainCustomerModels(wh, {
    ...(options.cutoff ? { cutoff: options.cutoff } : {}),
    ...(options.horizonDays !== undefined ? { horizonDays: options.horizonDays } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    onStep,
  });
  const promote = options.promote ?? true;
  const e = t.evaluation;
  const clvFitNow = t.artifacts.clv.meta['fit'] as ClvFitReport;
  const models: ModelRecord[] = [
    await saveModel(
      wh,
      {
        task: 'churn',
        artifact: t.artifacts.churn,
        trainedOn: t.trainedOn,
        metrics: classifierMetrics(e.churn, e.protocol),
      },
      { promote },
    ),
    await saveModel(
      wh,
      {
        task: 'propensity',
        artifact: t.artifacts.propensity,
        trainedOn: t.trainedOn,
        metrics: classifierMetrics(e.propensity, e.protocol),
      },
      { promote },
    ),
    await saveModel(
      wh,
      {
        task: 'clv',
        artifact: t.artifacts.clv,
        trainedOn: { ...t.trainedOn, fittedAsOf: t.artifacts.clv.meta['fittedAsOf'] },
        metrics: {
          spearman: e.clv.model.spearman,
          meanAbsoluteError: e.clv.model.meanAbsoluteError,
          naiveSpearman: e.clv.naiveLastPeriod.spearman,
          protocol: e.clv.protocol,
          served: clvFitNow.served,
          pAliveUnavailable: clvFitNow.pAliveUnavailable,
        },
      },
      { promote },
    ),
  ];
  return {
    task: 'customers',
    models,
    evaluation: e,
    clvFitNow,
    clvFittedAsOf: String(t.artifacts.clv.meta['fittedAsOf']),
  };
}

async function trainRecommend(
  wh: Warehouse,
  options: RecommendTrainingOptions,
  onStep: OnTrainingStep,
): Promise<RecommendTrainingResult> {
  const startedAt = options.startedAt ?? performance.now();
  const seed = options.seed ?? 1;
  onStep('loading interactions', 0, 1);
  const d = await loadInteractions(wh);
  const r = await trainRecommendations(d, {
    ...(options.model ? { model: options.model } : {}),
    ...(options.candidates ? { candidates: options.candidates } : {}),
    seed,
    ...(options.budgetSeconds !== undefined ? { budgetSeconds: options.budgetSeconds } : {}),
    startedAt,
    onStep,
  });
  onStep('storing the model', 1, 1);
  const record = await saveModel(
    wh,
    {
      task: 'recommend',
      artifact: bundleToArtifact(r.bundle),
      trainedOn: r.trainedOn,
      params: { model: r.bundle.model, seed, ...r.params },
      metrics: r.metrics,
    },
    { promote: options.promote ?? true },
  );
  return { task: 'recommend', models: [record], evaluation: r.evaluation };
}

async function trainSentiment(
  wh: Warehouse,
  options: SentimentTrainingOptions,
  onStep: OnTrainingStep,
): Promise<SentimentTrainingResult> {
  onStep('training the sentiment model', 0, 2);
  const { record, evaluation } = await trainAndRegisterSentiment(wh, {
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    promote: options.promote ?? true,
  });
  // The insight reads stored scores: score what the promoted model has not scored yet (every
  // review after a promotion; nothing new when the trained version stays a candidate).
  onStep('scoring the reviews', 1, 2);
  const scoring = await scoreStoreReviews(wh);
  return { task: 'sentiment', models: [record], evaluation, scoring };
}

/** Trains `task` on `wh`, stores every model it produces, and promotes them unless told not to. */
export async function trainAndRegister<T extends TrainingTask>(
  wh: Warehouse,
  task: T,
  options: TrainingOptions[T],
  onStep: OnTrainingStep = () => undefined,
): Promise<TrainingResults[T]> {
  if (!isTrainingTask(task)) {
    throw new Error(
      `unknown training task '${String(task)}': use ${Object.keys(TRAINING_TASKS).join(' or ')}`,
    );
  }
  if (task === 'risk') {
    const r = await trainRiskAndRegister(wh, options as TrainRiskAndRegisterOptions, onStep);
    return { ...r, task: 'risk', models: [r.record] } satisfies RiskTrainingResult as TrainingResults[T];
  }
  const run =
    task === 'customers'
      ? trainCustomers(wh, options as CustomersTrainingOptions, onStep)
      : task === 'recommend'
        ? trainRecommend(wh, options as RecommendTrainingOptions, onStep)
        : trainSentiment(wh, options as SentimentTrainingOptions, onStep);
  return (await run) as TrainingResults[T];
}
