import { describe, expect, it } from 'vitest';
import {
  atReviewRate,
  atThreshold,
  brier,
  calibrationTable,
  liftAtTop,
  prAuc,
  rocAuc,
  scoreAtRate,
} from './classification.js';

// 20 rows with tied scores (0.4 x3, 0.35 x2, 0.3 x2, 0.05 x2), 8 positives. The expected figures
// are scikit-learn 1.2.1's outputs on the same arrays (roc_auc_score, average_precision_score,
// brier_score_loss, calibration_curve), recorded here.
const y = [0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1];
const s = [
  0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.4, 0.05, 0.4, 0.3, 0.7, 0.35, 0.6, 0.15, 0.25, 0.55, 0.05, 0.5, 0.3, 0.95,
];

describe('classification metrics vs scikit-learn', () => {
  it('ROC-AUC with ties at average rank', () => {
    expect(rocAuc(y, s)).toBeCloseTo(0.8750000000000001, 12);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
    // All scores tied: every pair is a half-win.
    expect(rocAuc([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0.5);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('PR-AUC as average precision', () => {
    expect(prAuc(y, s)).toBeCloseTo(0.8458333333333333, 12);
    // One tied group holding everything: precision = base rate.
    expect(prAuc([0, 1, 0, 1], [1, 1, 1, 1])).toBe(0.5);
  });

  it('Brier score', () => {
    expect(brier(y, s)).toBeCloseTo(0.13999999999999999, 12);
  });

  it('lift at the top, ties straddling the cut counted at their average rate', () => {
    // Top 4 (0.95, 0.9, 0.8, 0.7) are all positive; base rate 8/20 = 0.4 -> lift 1 / 0.4 = 2.5.
    expect(liftAtTop(y, s, 0.2)).toBeCloseTo(2.5, 12);
    // Top 5 adds 0.6 (negative): 4/5 / 0.4 = 2.
    expect(liftAtTop(y, s, 0.25)).toBeCloseTo(2, 12);
    // Top 9: seven rows down to 0.5 hold 5 positives, then 2 of the three 0.4s (1 positive among
    // them) count 2/3: (5 + 2/3) / 9 / 0.4.
    expect(liftAtTop(y, s, 0.45)).toBeCloseTo((5 + 2 / 3) / 9 / 0.4, 12);
    expect(liftAtTop(y, s, 1)).toBeCloseTo(1, 12);
  });

  it('precision, recall and threshold at a review rate', () => {
    // Top 4 of 20 (rate 0.2): all 4 positive of 8 -> precision 1, recall 0.5, lowest score 0.7.
    expect(atReviewRate(y, s, 0.2)).toEqual({ reviewed: 4, precision: 1, recall: 0.5, threshold: 0.7 });
    // Top 9: (5 + 2/3) positives as in the lift case.
    const r = atReviewRate(y, s, 0.45);
    expect(r.precision).toBeCloseTo((5 + 2 / 3) / 9, 12);
    expect(r.recall).toBeCloseTo((5 + 2 / 3) / 8, 12);
    expect(r.threshold).toBe(0.4);
    expect(atReviewRate([0, 0, 1], [0.1, 0.2, 0.3], 0.01).reviewed).toBe(1);
    expect(() => atReviewRate(y, s, 0)).toThrow(/rate in \(0, 1\]/);
  });

  it('a threshold cut on one set of scores, measured on another', () => {
    // The top 2 of [0.1, 0.9, 0.5, 0.7, 0.3] (rate 0.4) go down to 0.7; the top 1 of 5 (rate 0.05, round 0.25 -> at least 1) is 0.9.
    expect(scoreAtRate([0.1, 0.9, 0.5, 0.7, 0.3], 0.4)).toBe(0.7);
    expect(scoreAtRate([0.1, 0.9, 0.5, 0.7, 0.3], 0.05)).toBe(0.9);
    // At 0.7 on the 20 rows above: 0.95, 0.9, 0.8, 0.7 (4 rows, all positive) of 8 positives.
    expect(atThreshold(y, s, 0.7)).toEqual({ held: 4, heldShare: 0.2, precision: 1, recall: 0.5 });
    // A threshold above every score holds nothing: no precision, recall 0.
    const none = atThreshold(y, s, 2);
    expect(none.held).toBe(0);
    expect(none.precision).toBeNaN();
    expect(none.recall).toBe(0);
    expect(() => scoreAtRate([], 0.1)).toThrow(/no rows/);
  });

  it('calibration table, uniform and quantile bins', () => {
    const u = calibrationTable(y, s, 5, 'uniform');
    expect(u.map((b) => b.count)).toEqual([5, 8, 3, 2, 2]);
    const obs = [0.0, 0.375, 0.3333333333333333, 1.0, 1.0];
    const pred = [0.11000000000000001, 0.34374999999999994, 0.5499999999999999, 0.75, 0.925];
    u.forEach((b, i) => {
      expect(b.observedRate).toBeCloseTo(obs[i]!, 12);
      expect(b.meanPredicted).toBeCloseTo(pred[i]!, 12);
    });
    const q = calibrationTable(y, s, 4, 'quantile');
    const qObs = [0.0, 0.4, 0.4, 0.8];
    const qPred = [0.11000000000000001, 0.31, 0.45, 0.79];
    q.forEach((b, i) => {
      expect(b.observedRate).toBeCloseTo(qObs[i]!, 12);
      expect(b.meanPredicted).toBeCloseTo(qPred[i]!, 12);
    });
  });

  it('refuses mismatched lengths', () => {
    expect(() => rocAuc([0, 1], [0.5])).toThrow(/2 labels but 1 scores/);
  });
});
