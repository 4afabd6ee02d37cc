import { describe, expect, it } from 'vitest';
import { decimalToNumber, parseDecimal, quintileScores, scoreRfm, segmentTotals } from './rfm-scores.js';

const ascending = (a: number, b: number): number => a - b;

describe('quintileScores: 1 + floor(5 * below / n), ties share a score', () => {
  it('five distinct values get 1..5', () => {
    expect([...quintileScores([30, 10, 50, 20, 40], ascending)]).toEqual([3, 1, 5, 2, 4]);
  });

  it('a run of equal values shares the score of its first position', () => {
    // n = 5, below: 10 -> 0, 20 -> 1, 20 -> 1, 30 -> 3, 40 -> 4: scores 1, 2, 2, 4, 5.
    expect([...quintileScores([10, 20, 20, 30, 40], ascending)]).toEqual([1, 2, 2, 4, 5]);
    // All equal: nobody is worse than anyone, everyone scores 1.
    expect([...quintileScores([7, 7, 7], ascending)]).toEqual([1, 1, 1]);
  });

  it('n = 7: below 0..6 gives floor(5k/7) + 1', () => {
    expect([...quintileScores([1, 2, 3, 4, 5, 6, 7], ascending)]).toEqual([1, 1, 2, 3, 3, 4, 5]);
  });

  it('no values, no scores', () => {
    expect(quintileScores([], ascending)).toHaveLength(0);
  });
});

describe('scoreRfm and segmentTotals', () => {
  const customers = [
    { customer_id: 'a', recency_days: 1, frequency: 9, monetary: 90_0000n },
    { customer_id: 'b', recency_days: 300, frequency: 1, monetary: 5_5000n },
    { customer_id: 'c', recency_days: 1, frequency: 9, monetary: 90_0000n },
    { customer_id: 'd', recency_days: 40, frequency: 2, monetary: 20_1234n },
    { customer_id: 'e', recency_days: 200, frequency: 1, monetary: 5_5000n },
  ];

  it('scores recency with the longest gap as worst and segments by the rule table', () => {
    const scored = scoreRfm(customers, 4);
    // Recency (worse = longer): b 300 (below 0) -> 1, e 200 -> 2, d 40 -> 3, a and c 1 (below 3) -> 4.
    // Frequency: b, e 1 -> 1; d 2 (below 2) -> 3; a, c 9 (below 3) -> 4. Monetary the same way.
    expect(scored.map((c) => [c.customer_id, c.r, c.f, c.m, c.segment])).toEqual([
      ['a', 4, 4, 4, 'loyal'],
      ['b', 1, 1, 1, 'dormant'],
      ['c', 4, 4, 4, 'loyal'],
      ['d', 3, 3, 3, 'needs_attention'],
      ['e', 2, 1, 1, 'almost_lost'],
    ]);
    expect(scored[3]!.monetary).toBe(20.1234);
    const totals = segmentTotals(
      scored,
      customers.map((c) => c.monetary),
      4,
    );
    expect(totals.find((t) => t.segment === 'loyal')).toEqual({
      segment: 'loyal',
      customers: 2,
      avg_recency: 1,
      avg_frequency: 9,
      monetary: 180,
    });
  });
});

describe('exact decimals', () => {
  it('parses and prints decimals of a scale exactly', () => {
    expect(parseDecimal('123.45', 4)).toBe(1234500n);
    expect(parseDecimal('-0.5', 8)).toBe(-50000000n);
    expect(parseDecimal('7', 2)).toBe(700n);
    expect(() => parseDecimal('1.23456', 4)).toThrow(/not a decimal of scale 4/);
    expect(decimalToNumber(1234500n, 4)).toBe(123.45);
    expect(decimalToNumber(-5n, 8)).toBe(-0.00000005);
    expect(decimalToNumber(42n, 0)).toBe(42);
  });
});
