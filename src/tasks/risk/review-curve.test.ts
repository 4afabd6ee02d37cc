import { describe, expect, it } from 'vitest';
import { curveRates, reviewCurve } from './review-curve.js';

describe('the review curve: threshold, precision and recall at each review rate', () => {
  // 40 orders scored 0.99, 0.98, ... (rank i scores (100 - i) / 100); fraud at ranks 1, 3, 4, 7 and 20.
  const scores = Array.from({ length: 40 }, (_, i) => (99 - i) / 100);
  const labels = scores.map((_, i) => ([1, 3, 4, 7, 20].includes(i + 1) ? 1 : 0));

  it('adds the model rate to the grid, in order', () => {
    expect(curveRates(0.02)).toEqual([0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2]);
    expect(curveRates(0.025)).toEqual([0.005, 0.01, 0.02, 0.025, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2]);
  });

  it('matches a hand count: orders held = max(1, round(rate x 40))', () => {
    const c = reviewCurve(labels, scores, 0.025);
    const at = (rate: number) => c.find((p) => p.rate === rate)!;
    // 0.5% to 3% hold 1 order (round(0.2 .. 1.2) = 0 or 1): the fraud at rank 1.
    for (const rate of [0.005, 0.01, 0.02, 0.025, 0.03]) {
      expect(at(rate)).toEqual({ rate, threshold: 0.99, precision: 1, recall: 1 / 5 });
    }
    // 5%: 2 orders, 1 fraud. 7.5%: 3 orders, 2 fraud. 10%: 4, 3. 15%: 6, 3. 20%: 8, 4.
    expect(at(0.05)).toEqual({ rate: 0.05, threshold: 0.98, precision: 1 / 2, recall: 1 / 5 });
    expect(at(0.075)).toEqual({ rate: 0.075, threshold: 0.97, precision: 2 / 3, recall: 2 / 5 });
    expect(at(0.1)).toEqual({ rate: 0.1, threshold: 0.96, precision: 3 / 4, recall: 3 / 5 });
    expect(at(0.15)).toEqual({ rate: 0.15, threshold: 0.94, precision: 3 / 6, recall: 3 / 5 });
    expect(at(0.2)).toEqual({ rate: 0.2, threshold: 0.92, precision: 4 / 8, recall: 4 / 5 });
  });

  it('has no recall when the measured part holds no fraud', () => {
    const c = reviewCurve(
      scores.map(() => 0),
      scores,
      0.02,
    );
    expect(c.every((p) => p.recall === null && p.precision === 0)).toBe(true);
  });
});
