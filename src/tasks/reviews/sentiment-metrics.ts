/**
 * @module tasks/reviews/sentiment-metrics
 * How a sentiment model did on held-out reviews: accuracy, macro-F1 (the mean of the F1 of the
 * positive and of the negative class, so a model that calls everything positive scores poorly on
 * an unbalanced set), ROC-AUC, Brier score and expected calibration error (10 equal-width bins,
 * count-weighted |mean prediction - observed rate|); overall and per category.
 *
 * @example
 *   binaryMetrics([1, 0, 1, 1], [0.9, 0.2, 0.4, 0.8]);
 *   // accuracy 0.75; F1(pos) = 0.8, F1(neg) = 0.667, macroF1 0.733; rocAuc 1
 */
import { brier, calibrationTable, rocAuc } from '../../ml/metrics/classification.js';

export interface BinaryMetrics {
  readonly n: number;
  readonly positiveShare: number;
  readonly accuracy: number;
  readonly macroF1: number;
  /** NaN when the set holds one class only. */
  readonly rocAuc: number;
  readonly brier: number;
  readonly ece: number;
}

export function binaryMetrics(
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
  threshold = 0.5,
): BinaryMetrics {
  const n = labels.length;
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < n; i++) {
    const predicted = probs[i]! >= threshold ? 1 : 0;
    if (labels[i] === 1) {
      if (predicted) tp++;
      else fn++;
    } else if (predicted) fp++;
    else tn++;
  }
  const f1 = (t: number, f1p: number, f1n: number): number => (t === 0 ? 0 : (2 * t) / (2 * t + f1p + f1n));
  const y = Float64Array.from(labels as ArrayLike<number>);
  const p = Float64Array.from(probs as ArrayLike<number>);
  const bins = calibrationTable(y, p, 10, 'uniform');
  let ece = 0;
  for (const b of bins) if (b.count > 0) ece += (b.count / n) * Math.abs(b.meanPredicted - b.observedRate);
  return {
    n,
    positiveShare: (tp + fn) / n,
    accuracy: (tp + tn) / n,
    macroF1: (f1(tp, fp, fn) + f1(tn, fn, fp)) / 2,
    rocAuc: rocAuc(y, p),
    brier: brier(y, p),
    ece,
  };
}

/** binaryMetrics per group (category), groups in descending size then name; null groups are skipped. */
export function metricsByGroup(
  groups: readonly (string | null)[],
  labels: ArrayLike<number>,
  probs: ArrayLike<number>,
): { group: string; metrics: BinaryMetrics }[] {
  const at = new Map<string, number[]>();
  groups.forEach((g, i) => {
    if (g === null) return;
    const list = at.get(g) ?? [];
    list.push(i);
    at.set(g, list);
  });
  return [...at]
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([group, rows]) => ({
      group,
      metrics: binaryMetrics(
        rows.map((i) => labels[i]!),
        rows.map((i) => probs[i]!),
      ),
    }));
}
