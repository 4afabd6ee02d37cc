/**
 * @module tasks/risk/review-curve
 * What holding a share of orders for review is expected to catch, at a few shares: at each review
 * rate, the threshold cut on a calibration part of the labelled orders (the validation part of the
 * training period, which the reported figures never touch) and the precision, recall and share
 * actually held when that threshold is applied to the held-out test part. Cutting the threshold on
 * the test part itself would make "expected" precision an in-sample figure: the test part would
 * choose the cut it is then graded at. Stored with the model (its metrics' `reviewCurve`, a few
 * dozen numbers) so the dashboard's threshold slider can show the expected precision and recall at
 * any of these rates. Without labels there is no curve: nothing says which held order is fraud.
 *
 * @example
 *   reviewCurve(validScores, testLabels, testScores, 0.02); // [{ rate: 0.005, threshold, precision, recall, heldShare }, ...]
 */
import { atThreshold, scoreAtRate } from '../../ml/metrics/classification.js';

/** The review rates of the curve (the model's own rate is added when it is not one of them). */
export const REVIEW_RATES = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2] as const;

export interface ReviewCurvePoint {
  readonly rate: number;
  /** The score of the top `rate` of the calibration part. */
  readonly threshold: number;
  /** On the test part at that threshold; null when it holds no test order. */
  readonly precision: number | null;
  /** null when the test part holds no fraud (recall undefined). */
  readonly recall: number | null;
  /** Share of the test orders the threshold holds (near `rate` when the scores do not drift). */
  readonly heldShare: number;
}

/** The rates of the curve for a model trained at `reviewRate`, ascending. */
export function curveRates(reviewRate: number): number[] {
  const rates: number[] = [...REVIEW_RATES];
  if (!rates.includes(reviewRate)) rates.push(reviewRate);
  return rates.sort((a, b) => a - b);
}

/** One point: the threshold cut on `cutScores` at `rate`, measured on the test part. */
export function reviewPoint(
  cutScores: ArrayLike<number>,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  rate: number,
): ReviewCurvePoint {
  const threshold = scoreAtRate(cutScores, rate);
  const at = atThreshold(labels, scores, threshold);
  return {
    rate,
    threshold,
    precision: Number.isNaN(at.precision) ? null : at.precision,
    recall: Number.isNaN(at.recall) ? null : at.recall,
    heldShare: at.heldShare,
  };
}

export function reviewCurve(
  cutScores: ArrayLike<number>,
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  reviewRate: number,
): ReviewCurvePoint[] {
  return curveRates(reviewRate).map((rate) => reviewPoint(cutScores, labels, scores, rate));
}
