import { describe, expect, it } from 'vitest';
import {
  decimalToNumber,
  parseDecimal,
  quintileCuts,
  quintileScores,
  rfmCuts,
  scoreByCuts,
  scoreRfm,
  scoreRfmByCuts,
  segmentTotals,
} from './rfm-scores.js';

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

describe('quintileCuts and scoreByCuts: one value scored as quintileScores scores all', () => {
  it('the cut points are the values at places ceil((s - 1) n / 5) - 1, worst first', () => {
    // n = 5: places 0, 1, 2, 3. 30 beats 10, 20, 20 (not 30): 4, as quintileScores gives it.
    expect(quintileCuts([40, 20, 10, 30, 20], ascending)).toEqual([10, 20, 20, 30]);
    // n = 7: ceil(1.4) = 2, ceil(2.8) = 3, ceil(4.2) = 5, ceil(5.6) = 6: places 1, 2, 4, 5.
    const seven = [1, 2, 3, 4, 5, 6, 7];
    expect(quintileCuts(seven, ascending)).toEqual([2, 3, 5, 6]);
    const cuts = quintileCuts(seven, ascending);
    expect(seven.map((v) => scoreByCuts(cuts, v, ascending))).toEqual([1, 1, 2, 3, 3, 4, 5]);
    expect(quintileCuts([], ascending)).toEqual([]);
  });

  it('equals quintileScores on 500 seeded lists of 1 to 60 values with many ties', () => {
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    let compared = 0;
    for (let t = 0; t < 500; t++) {
      const values = Array.from({ length: 1 + (next() % 60) }, () => next() % (1 + (t % 12)));
      const all = quintileScores(values, ascending);
      const cuts = quintileCuts(values, ascending);
      values.forEach((v, i) => expect(scoreByCuts(cuts, v, ascending), `list ${t}, value ${i}`).toBe(all[i]));
      compared += values.length;
    }
    expect(compared).toBeGreaterThan(10_000);
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
    const cuts = rfmCuts(customers);
    expect(customers.map((c) => scoreRfmByCuts(cuts, c, 4))).toEqual(scored);
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
