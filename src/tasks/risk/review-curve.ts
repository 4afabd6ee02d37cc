/**
 * @module tasks/risk/review-curve
 * What holding a share of orders for review is expected to catch, at a few shares: the threshold,
 * precision and recall at each review rate, measured on the held-out labelled orders of a
 * supervised risk model. Stored with the model (its metrics' `reviewCurve`, a few dozen numbers) so
 * the dashboard's threshold slider can show the expected precision and recall at any of these
 * rates, not only at the one the model was trained for. Without labels there is no curve: nothing
 * says which held order is fraud.
 *
 * @example
 *   reviewCurve(testLabels, testScores, 0.02); // [{ rate: 0.005, threshold, precision, recall }, ...]
 */
import { atReviewRate } from '../../ml/metrics/classification.js';

/** The review rates of the curve (the model's own rate is added when it is not one of them). */
export const REVIEW_RATES = [0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2] as const;

export interface ReviewCurvePoint {
  readonly rate: number;
  readonly threshold: number;
  readonly precision: number;
  /** null when the measured part holds no fraud (recall undefined). */
  readonly recall: number | null;
}

/** The rates of the curve for a model trained at `reviewRate`, ascending. */
export function curveRates(reviewRate: number): number[] {
  const rates: number[] = [...REVIEW_RATES];
  if (!rates.includes(reviewRate)) rates.push(reviewRate);
  return rates.sort((a, b) => a - b);
}

export function reviewCurve(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  reviewRate: number,
): ReviewCurvePoint[] {
  return curveRates(reviewRate).map((rate) => {
    const at = atReviewRate(labels, scores, rate);
    return {
      rate,
      threshold: at.threshold,
      precision: at.precision,
      recall: Number.isNaN(at.recall) ? null : at.recall,
    };
  });
}
