/**
 * @module tasks/customers/classifier
 * A customer classifier (churn or purchase propensity) on three parts of the customers, each with
 * one job:
 *   fitting part    5-fold cross-validation picks the GBDT's leaves, child hessian and tree count
 *                   (early stopping inside each fold) and the logistic L2 penalty
 *                   (tasks/customers/tuning.ts); then both final models are fitted on all of it;
 *   selection part  the two final models' ROC-AUC on it picks the one served (no tuning saw it);
 *   test part       never read here: the figures are computed on it afterwards.
 * Scores and per-customer contributions (TreeSHAP for the GBDT, coefficient x (value - training
 * mean) for the logistic model) come out in log-odds, the unit the reasons are ranked in.
 *
 * @example
 *   const c = trainClassifier({ values, cols, labels, split });
 *   c.chosen.kind;                       // 'gbdt' or 'logistic'
 *   scoreClassifier(c.chosen, x, rows);  // probabilities
 */
import type { ModelArtifact } from '../../ml/artifact.js';
import { gbdtFromArtifact, gbdtToArtifact } from '../../ml/gbdt/serialise.js';
import { predictGbdt, type GbdtModel } from '../../ml/gbdt/model.js';
import { gbdtContributions } from '../../ml/gbdt/shap.js';
import { trainGbdt } from '../../ml/gbdt/train.js';
import { predictLogistic, trainLogistic, type LogisticModel } from '../../ml/linear/logistic.js';
import { rocAuc } from '../../ml/metrics/classification.js';
import { logisticFromArtifact, logisticToArtifact } from '../../ml/linear/logistic-artifact.js';
import { stratifiedFolds } from './folds.js';
import { logisticInputs } from './logistic-inputs.js';
import { CV_FOLDS } from './params.js';
import { take, takeRows, type CustomerSplit } from './split.js';
import {
  gbdtParamsFor,
  tuneGbdt,
  tuneLogistic,
  type GbdtCandidate,
  type LogisticCandidate,
  type Tuning,
} from './tuning.js';

export type Classifier =
  | { readonly kind: 'gbdt'; readonly model: GbdtModel }
  | { readonly kind: 'logistic'; readonly model: LogisticModel };

export interface TrainedClassifier {
  readonly gbdt: Classifier;
  readonly logistic: Classifier;
  readonly chosen: Classifier;
  /** Selection-part ROC-AUC of each final model (what the choice was made on). */
  readonly selection: { readonly gbdt: number; readonly logistic: number };
  /** What cross-validation inside the fitting part tried and picked. */
  readonly tuning: { readonly gbdt: Tuning<GbdtCandidate>; readonly logistic: Tuning<LogisticCandidate> };
}

export interface ClassifierData {
  /** Row-major rows x cols over all customers; the split says which rows are which. */
  readonly values: Float32Array;
  readonly cols: number;
  readonly labels: Float32Array;
  readonly split: CustomerSplit;
}

/** The model with the higher selection ROC-AUC; a tie (or NaN) goes to the simpler, logistic. */
export function chooseKind(selection: {
  readonly gbdt: number;
  readonly logistic: number;
}): 'gbdt' | 'logistic' {
  return selection.gbdt > selection.logistic ? 'gbdt' : 'logistic';
}

export function trainClassifier(data: ClassifierData): TrainedClassifier {
  const { values, cols, labels, split } = data;
  const folds = stratifiedFolds(split.train, labels, CV_FOLDS);
  const tuning = { gbdt: tuneGbdt(data, folds), logistic: tuneLogistic(data, folds) };
  const xFit = takeRows(values, cols, split.train);
  const yFit = take(labels, split.train);
  const g = tuning.gbdt.best;
  const gbdt: Classifier = {
    kind: 'gbdt',
    model: trainGbdt({
      features: xFit,
      rows: split.train.length,
      cols,
      labels: yFit,
      params: gbdtParamsFor({ maxLeaves: g.maxLeaves, minChildHessian: g.minChildHessian }, g.rounds),
    }),
  };
  const logistic: Classifier = {
    kind: 'logistic',
    model: trainLogistic({
      features: logisticInputs(xFit),
      rows: split.train.length,
      cols,
      labels: yFit,
      l2: tuning.logistic.best.l2,
    }),
  };
  const xSelect = takeRows(values, cols, split.select);
  const ySelect = take(labels, split.select);
  const selection = {
    gbdt: rocAuc(ySelect, scoreClassifier(gbdt, xSelect, split.select.length)),
    logistic: rocAuc(ySelect, scoreClassifier(logistic, xSelect, split.select.length)),
  };
  const chosen = chooseKind(selection) === 'gbdt' ? gbdt : logistic;
  return { gbdt, logistic, chosen, selection, tuning };
}

/** Probabilities, one per row. */
export function scoreClassifier(c: Classifier, features: Float32Array, rows: number): Float64Array {
  return c.kind === 'gbdt'
    ? predictGbdt(c.model, features, rows)
    : predictLogistic(c.model, logisticInputs(features), rows);
}

/**
 * rows x (cols + 1) log-odds contributions, the last entry of each row the bias: for every row,
 * bias + sum of contributions = the margin (logit of the probability).
 */
export function classifierContributions(c: Classifier, features: Float32Array, rows: number): Float64Array {
  if (c.kind === 'gbdt') return gbdtContributions(c.model, features, rows);
  const m = c.model;
  const d = m.cols;
  const x = logisticInputs(features);
  let bias = m.intercept;
  for (let j = 0; j < d; j++) bias += m.coef[j]! * m.mean[j]!;
  const out = new Float64Array(rows * (d + 1));
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < d; j++) {
      const v = x[r * d + j]!;
      out[r * (d + 1) + j] = v === v ? m.coef[j]! * (v - m.mean[j]!) : 0; // missing = the mean: no push
    }
    out[r * (d + 1) + d] = bias;
  }
  return out;
}

export function classifierToArtifact(c: Classifier, meta: Record<string, unknown>): ModelArtifact {
  const a = c.kind === 'gbdt' ? gbdtToArtifact(c.model) : logisticToArtifact(c.model);
  const inputs = c.kind === 'logistic' ? { inputTransform: 'signed-log1p' } : {};
  return { ...a, meta: { ...a.meta, ...inputs, ...meta } };
}

export function classifierFromArtifact(a: ModelArtifact): Classifier {
  if (a.kind === 'gbdt') return { kind: 'gbdt', model: gbdtFromArtifact(a) };
  if (a.kind === 'logistic') {
    if (a.meta['inputTransform'] !== 'signed-log1p')
      throw new Error('logistic artifact: unknown input transform');
    return { kind: 'logistic', model: logisticFromArtifact(a) };
  }
  throw new Error(`a customer classifier is a 'gbdt' or 'logistic' artifact, got '${a.kind}'`);
}
