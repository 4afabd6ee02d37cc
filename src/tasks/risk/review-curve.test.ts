import { describe, expect, it } from 'vitest';
import { curveRates, reviewCurve } from './review-curve.js';

describe('the review curve: threshold cut on a calibration part, precision and recall on the test part', () => {
  // 40 orders scored 0.99, 0.98, ... (rank i scores (100 - i) / 100); fraud at ranks 1, 3, 4, 7 and 20.
  const scores = Array.from({ length: 40 }, (_, i) => (99 - i) / 100);
  const labels = scores.map((_, i) => ([1, 3, 4, 7, 20].includes(i + 1) ? 1 : 0));

  it('adds the model rate to the grid, in order', () => {
    expect(curveRates(0.02)).toEqual([0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2]);
    expect(curveRates(0.025)).toEqual([0.005, 0.01, 0.02, 0.025, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2]);
  });

  it('cut on the test scores themselves, matches a hand count: orders held = max(1, round(rate x 40))', () => {
    const c = reviewCurve(scores, labels, scores, 0.025);
    const at = (rate: number) => c.find((p) => p.rate === rate)!;
    // 0.5% to 3% hold 1 order (round(0.2 .. 1.2) = 0 or 1): the fraud at rank 1.
    for (const rate of [0.005, 0.01, 0.02, 0.025, 0.03]) {
      expect(at(rate)).toEqual({ rate, threshold: 0.99, precision: 1, recall: 1 / 5, heldShare: 1 / 40 });
    }
    // 5%: 2 orders, 1 fraud. 7.5%: 3 orders, 2 fraud. 10%: 4, 3. 15%: 6, 3. 20%: 8, 4.
    expect(at(0.05)).toEqual({
      rate: 0.05,
      threshold: 0.98,
      precision: 1 / 2,
      recall: 1 / 5,
      heldShare: 2 / 40,
    });
    expect(at(0.075)).toEqual({
      rate: 0.075,
      threshold: 0.97,
      precision: 2 / 3,
      recall: 2 / 5,
      heldShare: 3 / 40,
    });
    expect(at(0.1)).toEqual({
      rate: 0.1,
      threshold: 0.96,
      precision: 3 / 4,
      recall: 3 / 5,
      heldShare: 4 / 40,
    });
    expect(at(0.15)).toEqual({
      rate: 0.15,
      threshold: 0.94,
      precision: 3 / 6,
      recall: 3 / 5,
      heldShare: 6 / 40,
    });
    expect(at(0.2)).toEqual({
      rate: 0.2,
      threshold: 0.92,
      precision: 4 / 8,
      recall: 4 / 5,
      heldShare: 8 / 40,
    });
  });

  it('applies the calibration cut to the test part as it stands: the share held there may differ', () => {
    // Calibration orders scored 0.90, 0.89, ..., 0.51 (40): their top 10% (4) goes down to 0.87.
    const calibration = Array.from({ length: 40 }, (_, i) => (90 - i) / 100);
    const c = reviewCurve(calibration, labels, scores, 0.1);
    // On the test part, 0.87 and above holds ranks 1..13 (0.99 .. 0.87): 13 of 40 orders, with the
    // fraud at ranks 1, 3, 4 and 7: precision 4/13, recall 4/5, though the rate asked was 10%.
    expect(c.find((p) => p.rate === 0.1)).toEqual({
      rate: 0.1,
      threshold: 0.87,
      precision: 4 / 13,
      recall: 4 / 5,
      heldShare: 13 / 40,
    });
    // A cut above every test score holds nothing: no precision, recall 0.
    const high = reviewCurve([2, 1, 1, 1], labels, scores, 0.02).find((p) => p.rate === 0.02)!;
    expect(high).toEqual({ rate: 0.02, threshold: 2, precision: null, recall: 0, heldShare: 0 });
  });

  it('has no recall when the measured part holds no fraud', () => {
    const c = reviewCurve(
      scores,
      scores.map(() => 0),
      scores,
      0.02,
    );
    expect(c.every((p) => p.recall === null && p.precision === 0)).toBe(true);
  });
});
