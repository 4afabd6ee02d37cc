import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  crossingProbability,
  obfSpending,
  obrienFlemingBoundaries,
  spendingBoundaries,
} from './group-sequential.js';

/** eval/reference/group_sequential.py: the same boundaries from scipy's multivariate normal (recorded). */
const REF = JSON.parse(
  readFileSync(new URL('../../../eval/reference/group_sequential.json', import.meta.url), 'utf8'),
) as {
  obrienFleming: Record<string, { constant: number; boundaries: number[] }>;
  spendingEqual5: number[];
  spendingUnequal: { fractions: number[]; boundaries: number[] };
};

describe("O'Brien-Fleming boundaries", () => {
  it('match Jennison & Turnbull (2000) Table 2.3: C = 1.977, 2.004, 2.024, 2.040 for K = 2..5, alpha 0.05', () => {
    const published = { 2: 1.977, 3: 2.004, 4: 2.024, 5: 2.04 };
    for (const [k, c] of Object.entries(published)) {
      const b = obrienFlemingBoundaries(Number(k), 0.05);
      // the last look's boundary is the constant itself (c sqrt(K / K)); the table prints 3 decimals
      expect(Math.abs(b[b.length - 1]! - c), `K = ${k}`).toBeLessThan(0.0006);
    }
    expect(obrienFlemingBoundaries(1, 0.05)[0]!).toBeCloseTo(1.959964, 5);
  });

  it('K = 5: 4.562, 3.226, 2.634, 2.281, 2.040 (C sqrt(5 / k)), as the scipy reference', () => {
    const b = obrienFlemingBoundaries(5, 0.05);
    REF.obrienFleming['5']!.boundaries.forEach((v, i) =>
      expect(Math.abs(b[i]! - v), `look ${i + 1}`).toBeLessThan(3e-3),
    );
    [4.562, 3.226, 2.634, 2.281, 2.04].forEach((v, i) => expect(Math.abs(b[i]! - v)).toBeLessThan(0.0015));
  });

  it('their overall chance of a false positive is alpha; reading a fixed 1.96 five times is about 14%', () => {
    const t = [0.2, 0.4, 0.6, 0.8, 1];
    expect(crossingProbability(t, obrienFlemingBoundaries(5, 0.05))).toBeCloseTo(0.05, 5);
    // Armitage, McPherson & Rowe (1969): repeated tests at 1.96 over 5 looks reject 14.2% of the time
    expect(crossingProbability(t, [1.96, 1.96, 1.96, 1.96, 1.96])).toBeCloseTo(0.142, 3);
  });
});

describe("Lan-DeMets spending, O'Brien-Fleming type", () => {
  it('spends nothing at 0 and alpha at 1; the first boundary has a closed form', () => {
    expect(obfSpending(0, 0.05)).toBe(0);
    expect(obfSpending(1, 0.05)).toBeCloseTo(0.05, 12);
    const [z1] = spendingBoundaries([0.2], 0.05);
    // 2 P(Z > z1) = obfSpending(0.2) = 4 P(Z > 2.241403 / sqrt(0.2))
    expect(z1!).toBeCloseTo(4.8769, 3);
  });

  it('5 equal looks: 4.877, 3.357, 2.680, 2.290, 2.031 (gsDesign / ldbounds), as the scipy reference', () => {
    const b = spendingBoundaries([0.2, 0.4, 0.6, 0.8, 1], 0.05);
    REF.spendingEqual5.forEach((v, i) => expect(Math.abs(b[i]! - v), `look ${i + 1}`).toBeLessThan(3e-3));
    [4.877, 3.357, 2.68, 2.29, 2.031].forEach((v, i) => expect(Math.abs(b[i]! - v)).toBeLessThan(0.0015));
    expect(crossingProbability([0.2, 0.4, 0.6, 0.8, 1], b)).toBeCloseTo(0.05, 5);
  });

  it('unequal looks at 0.3, 0.7, 1 as the scipy reference; one look is the fixed-sample 1.96', () => {
    const b = spendingBoundaries(REF.spendingUnequal.fractions, 0.05);
    REF.spendingUnequal.boundaries.forEach((v, i) =>
      expect(Math.abs(b[i]! - v), `look ${i + 1}`).toBeLessThan(3e-3),
    );
    expect(spendingBoundaries([1], 0.05)[0]!).toBeCloseTo(1.959964, 5);
  });

  it('refuses fractions that do not increase within (0, 1] and a bad alpha', () => {
    expect(() => spendingBoundaries([0.5, 0.5], 0.05)).toThrow(/look 2 is 0.5/);
    expect(() => spendingBoundaries([0.5, 1.2], 0.05)).toThrow(/look 2 is 1.2/);
    expect(() => spendingBoundaries([1], 1.5)).toThrow(/alpha must be in \(0, 1\)/);
  });
});
