import { describe, expect, it } from 'vitest';
import { fitGammaGamma, gammaGammaExpectedSpend, gammaGammaLogLikelihood } from './gamma-gamma.js';

const P = { p: 6.25, q: 3.74, gamma: 15.44 };

/**
 * Log-density of a mean spend m over x purchases, computed independently with scipy 1.17 by
 * integrating Gamma(p x, rate nu x) over nu ~ Gamma(q, rate gamma) (scipy.integrate.quad), and the
 * expected spend p (gamma + x m) / (p x + q - 1).
 */
const ROWS: [number, number, number, number][] = [
  [1, 11.77, -3.7377096787408393, 18.916852057842046],
  [2, 22.35, -3.5513167597317072, 24.663713910761153],
  [10, 35.0, -4.016176891684147, 35.00919681177192],
];

describe('Gamma-Gamma', () => {
  it.each(ROWS)('x=%d m=%d: log-likelihood and expected spend match scipy', (x, m, ll, spend) => {
    expect(Math.abs(gammaGammaLogLikelihood(P, x, m) - ll)).toBeLessThan(1e-9);
    expect(gammaGammaExpectedSpend(P, x, m)).toBeCloseTo(spend, 10);
  });
  it('a customer with no repeat purchase gets the population mean p gamma / (q - 1)', () => {
    expect(gammaGammaExpectedSpend(P, 0, 0)).toBeCloseTo((6.25 * 15.44) / 2.74, 12);
  });
  it('fits on the customers with frequency > 0 only, and recovers a synthetic truth', () => {
    // Deterministic sample: mean spends spread around p gamma / (q - 1) = 50 for customers with 1..6 purchases.
    const n = 3000;
    const frequency = Float64Array.from({ length: n }, (_, i) => (i % 7) as number);
    const monetary = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 0 : 20 + ((i * 7919) % 61)));
    const fit = fitGammaGamma(frequency, monetary);
    expect(fit.customers).toBe(n - Math.ceil(n / 7));
    expect(fit.converged).toBe(true);
    const meanSpend = (fit.params.p * fit.params.gamma) / (fit.params.q - 1);
    expect(meanSpend).toBeGreaterThan(45);
    expect(meanSpend).toBeLessThan(55);
  });
  it('refuses non-positive spend for a repeat customer and too few repeat customers', () => {
    expect(() => fitGammaGamma(Float64Array.of(0, 2), Float64Array.of(0, 0))).toThrow(
      /customer 1: monetary_value: monetary_value must be a number > 0/,
    );
    expect(() => fitGammaGamma(new Float64Array(12).fill(2), new Float64Array(12).fill(30))).toThrow(
      /same monetary_value \(30\)/,
    );
    expect(() => fitGammaGamma(Float64Array.of(1, 2, 3), Float64Array.of(5, 6, 7))).toThrow(
      /Gamma-Gamma needs at least 10 customers with a repeat purchase/,
    );
  });
});
