import { describe, expect, it } from 'vitest';
import { regularizedBeta, studentTCdf, studentTQuantile } from './student-t.js';

/**
 * scipy.stats.t.ppf(p, df) (Debian's scipy), recorded as literals. scipy's own quantiles are off by
 * up to about 1e-9 (df = 1: 12.706204736432095 against the exact tan(0.475 pi) = 12.706204736174696),
 * so they are compared to 8 decimals and the closed forms of df 1 and 2 to 12.
 */
const QUANTILES: [number, number, number][] = [
  [0.975, 5, 2.5705818366147395],
  [0.975, 10, 2.2281388519649385],
  [0.975, 30, 2.0422724563012373],
  [0.975, 1000, 1.9623390808264074],
  [0.9, 3, 1.637744357215907],
  [0.995, 7, 3.4994832973505026],
];

describe("Student's t", () => {
  it('quantiles equal the closed forms (df 1, 2) and scipy, and are antisymmetric', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 10);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(0.95 * Math.sqrt(2 / (1 - 0.95 * 0.95)), 12);
    for (const [p, df, q] of QUANTILES) {
      expect(studentTQuantile(p, df)).toBeCloseTo(q, 8);
      expect(studentTQuantile(1 - p, df)).toBeCloseTo(-q, 8);
    }
    expect(studentTQuantile(0.5, 4)).toBe(0);
  });

  it('the CDF inverts the quantile and has the closed forms of 1 and 2 degrees of freedom', () => {
    // df = 1 is the Cauchy distribution: 1/2 + atan(t)/pi; df = 2: 1/2 + t / (2 sqrt(2 + t^2)).
    for (const t of [-3, -0.5, 0, 0.7, 2, 25]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
    expect(studentTCdf(2, 5)).toBeCloseTo(0.9490302605850709, 13);
  });

  it('the incomplete beta has I_x(1, 1) = x and I_x(a, 1) = x^a', () => {
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedBeta(0.6, 2.5, 1)).toBeCloseTo(0.6 ** 2.5, 14);
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });

  it('refuses degrees of freedom <= 0 and probabilities outside (0, 1)', () => {
    expect(() => studentTQuantile(0.975, 0)).toThrow(/degrees of freedom/);
    expect(() => studentTQuantile(1, 5)).toThrow(/0 < p < 1/);
  });
});
