/**
 * @module tasks/customers/metrics
 * The figures every customer classifier is reported with, side by side for GBDT, logistic
 * regression and the RFM rule: ROC-AUC, PR-AUC (average precision), Brier score, lift in the top
 * decile, and a 10-bin calibration table; and for spend, Spearman correlation and mean absolute
 * error against the actual spend in the window.
 */
import {
  brier,
  calibrationTable,
  liftAtTop,
  prAuc,
  rocAuc,
  type CalibrationBin,
} from '../../ml/metrics/classification.js';
import { spearman } from '../../ml/metrics/rank-correlation.js';

export interface BinaryMetrics {
  readonly rocAuc: number;
  readonly prAuc: number;
  readonly brier: number;
  /** Positive rate among the 10% highest scores / overall positive rate. */
  readonly liftTopDecile: number;
  readonly calibration: CalibrationBin[];
}

export function binaryMetrics(labels: Float32Array, probs: Float64Array): BinaryMetrics {
  return {
    rocAuc: rocAuc(labels, probs),
    prAuc: prAuc(labels, probs),
    brier: brier(labels, probs),
    liftTopDecile: liftAtTop(labels, probs, 0.1),
    calibration: calibrationTable(labels, probs, 10, 'uniform'),
  };
}

export interface SpendMetrics {
  readonly spearman: number;
  readonly meanAbsoluteError: number;
}

export function spendMetrics(actual: Float64Array, predicted: Float64Array): SpendMetrics {
  let abs = 0;
  for (let i = 0; i < actual.length; i++) abs += Math.abs(actual[i]! - predicted[i]!);
  return {
    spearman: spearman(predicted, actual),
    meanAbsoluteError: actual.length ? abs / actual.length : NaN,
  };
}
