import { describe, expect, it } from 'vitest';
import {
  bgNbdConditionalExpected,
  bgNbdExpected,
  bgNbdLogLikelihood,
  bgNbdNegLogLikelihood,
  bgNbdPAlive,
  fitBgNbd,
} from './bg-nbd.js';
import { LIKELIHOOD_RATIO_CRITICAL } from './dropout-check.js';
import { syntheticBgNbd } from './test-data.js';

/** The CDNOW estimates of Fader, Hardie and Lee (2005). */
const P = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };

/**
 * log-likelihoods computed independently with scipy 1.17: the individual likelihood
 * (1-p)^x λ^x e^{-λT} + [x>0] p (1-p)^{x-1} λ^x e^{-λ t_x} integrated over λ ~ Gamma(r, alpha) and
 * p ~ Beta(a, b) with scipy.integrate.dblquad (no closed form involved).
 */
const LL: [number, number, number, number][] = [
  [0, 0, 38.86, -0.5547132764381527],
  [2, 30.43, 38.86, -9.458606307066393],
  [1, 1.71, 38.86, -4.469093275032594],
  [7, 29.43, 32.0, -20.908345933407702],
  [0, 0, 500.0, -1.1514837005437195],
];

/** P(alive) and E[Y(39) | x, t_x, T] from the paper's formulas evaluated with scipy.special.hyp2f1. */
const CONDITIONAL: [number, number, number, number, number][] = [
  [0, 0, 38.86, 1.0, 0.19509805201125396],
  [2, 30.43, 38.86, 0.726578570080673, 1.226028174767135],
  [1, 1.71, 38.86, 0.2121009853773791, 0.20318698707975108],
  [7, 29.43, 32.0, 0.8621338880958863, 5.1518802982583045],
  [0, 0, 500.0, 1.0, 0.018571015907564204],
];

describe('BG/NBD log-likelihood', () => {
  it.each(LL)('x=%d t_x=%d T=%d matches numerical integration', (x, tx, T, want) => {
    expect(Math.abs(bgNbdLogLikelihood(P, x, tx, T) - want)).toBeLessThan(1e-8);
  });
  it('the summed version equals the sum of the rows', () => {
    const nll = bgNbdNegLogLikelihood(
      Float64Array.from(LL, (r) => r[0]),
      Float64Array.from(LL, (r) => r[1]),
      Float64Array.from(LL, (r) => r[2]),
    );
    const sum = LL.reduce((s, [x, tx, T]) => s + bgNbdLogLikelihood(P, x, tx, T), 0);
    expect(-nll(Float64Array.of(P.r, P.alpha, P.a, P.b))).toBeCloseTo(sum, 10);
  });
  it('stays finite for zero-frequency, huge-T and many-purchase customers', () => {
    for (const [x, tx, T] of [
      [0, 0, 1e9],
      [0, 0, 1e-9],
      [500, 1e6, 1e6],
      [300, 0.5, 1e7],
    ] as const) {
      expect(Number.isFinite(bgNbdLogLikelihood(P, x, tx, T))).toBe(true);
      expect(Number.isFinite(bgNbdPAlive(P, x, tx, T))).toBe(true);
      expect(Number.isFinite(bgNbdConditionalExpected(P, 52, x, tx, T))).toBe(true);
    }
  });
});

describe('BG/NBD predictions', () => {
  it.each(CONDITIONAL)('x=%d t_x=%d T=%d: P(alive) and E[Y(39)] match scipy', (x, tx, T, alive, expected) => {
    expect(bgNbdPAlive(P, x, tx, T)).toBeCloseTo(alive, 12);
    expect(bgNbdConditionalExpected(P, 39, x, tx, T)).toBeCloseTo(expected, 10);
  });
  it('P(alive) is exactly 1 for a customer with no repeat purchase', () => {
    expect(bgNbdPAlive(P, 0, 0, 1e6)).toBe(1);
  });
  it('E[X(t)] for a new customer matches scipy (t = 39 and t = 1)', () => {
    expect(bgNbdExpected(P, 39)).toBeCloseTo(1.1967231933207985, 10);
    expect(bgNbdExpected(P, 1)).toBeCloseTo(0.05326789117165627, 12);
    expect(bgNbdExpected(P, 0)).toBe(0);
  });
  it('a new customer observed for T = 0 expects what E[X(t)] says', () => {
    expect(bgNbdConditionalExpected(P, 39, 0, 0, 0)).toBeCloseTo(bgNbdExpected(P, 39), 10);
  });
  it('is continuous through the removable singularity at a = 1', () => {
    const at = (a: number): number => bgNbdConditionalExpected({ ...P, a }, 39, 2, 30.43, 38.86);
    expect(Number.isFinite(at(1))).toBe(true);
    expect(at(1)).toBeCloseTo((at(1 - 1e-4) + at(1 + 1e-4)) / 2, 7);
  });
});

describe('fitBgNbd', () => {
  it('recovers the parameters that generated a synthetic sample', () => {
    const truth = { r: 0.5, alpha: 6, a: 0.8, b: 3 };
    const { frequency, recency, T } = syntheticBgNbd(truth, 4000, 52, 7);
    const fit = fitBgNbd(frequency, recency, T);
    expect(fit.converged).toBe(true);
    expect(fit.gradientMaxAbs).toBeLessThan(1e-4);
    // Real dropout (a / (a + b) = 0.21): an interior fit, far from the no-dropout boundary.
    expect(fit.dropout.boundary).toBeNull();
    expect(fit.dropout.likelihoodRatio).toBeGreaterThan(LIKELIHOOD_RATIO_CRITICAL);
    // Within 3 standard errors of the truth, and the standard errors are finite and positive.
    for (const k of ['r', 'alpha', 'a', 'b'] as const) {
      expect(fit.stdErrors[k]).toBeGreaterThan(0);
      expect(Math.abs(fit.params[k] - truth[k])).toBeLessThan(3 * fit.stdErrors[k]);
    }
  });
  it('flags the no-dropout boundary on a sample where nobody drops out (p = 0)', () => {
    // Generated from the model's limit p -> 0: the likelihood keeps rising towards a -> 0, so any
    // estimate is on (or statistically indistinguishable from) the boundary and P(alive) ~ 1 means nothing.
    const { frequency, recency, T } = syntheticBgNbd({ r: 0.5, alpha: 6, a: 0, b: 1 }, 2000, 52, 7);
    const fit = fitBgNbd(frequency, recency, T);
    expect(fit.dropout.boundary).toMatch(/^(negligible dropout|singular Hessian|dropout not supported)/);
    expect(fit.dropout.likelihoodRatio).toBeLessThan(LIKELIHOOD_RATIO_CRITICAL);
    // The NBD fitted alongside recovers the purchase-rate distribution (within 3 standard errors).
    const nbd = fit.dropout.nbd;
    expect(nbd.converged).toBe(true);
    expect(Math.abs(nbd.params.r - 0.5)).toBeLessThan(3 * nbd.stdErrors.r);
    expect(Math.abs(nbd.params.alpha - 6)).toBeLessThan(3 * nbd.stdErrors.alpha);
  });
  it('gives numbers, not NaN, when the data cannot identify the parameters', () => {
    // 20 identical customers: no heterogeneity to estimate, so r and alpha run off together.
    const fit = fitBgNbd(
      new Float64Array(20).fill(2),
      new Float64Array(20).fill(5),
      new Float64Array(20).fill(10),
    );
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
    for (const v of [...Object.values(fit.params), ...Object.values(fit.stdErrors)]) expect(v).not.toBeNaN();
  });
  it('needs 10 customers with a repeat purchase', () => {
    const n = 30;
    const frequency = new Float64Array(n);
    frequency.fill(1, 0, 9);
    const recency = Float64Array.from(frequency, (x) => (x > 0 ? 3 : 0));
    const T = new Float64Array(n).fill(10);
    expect(() => fitBgNbd(frequency, recency, T)).toThrow(
      /at least 10 customers with a repeat purchase.*got 9 of 30/,
    );
  });
  it('refuses invalid rows with the customer and column', () => {
    expect(() => fitBgNbd(Float64Array.of(1), Float64Array.of(12), Float64Array.of(10))).toThrow(
      /customer 0: recency: recency \(12\) is greater than T \(10\)/,
    );
    expect(() => fitBgNbd(Float64Array.of(0, -1), Float64Array.of(0, 0), Float64Array.of(5, 5))).toThrow(
      /customer 1: frequency: frequency must be >= 0/,
    );
  });

  it('falls back to the no-dropout (NBD) limit on the a -> 0 boundary instead of cancelling to 0', () => {
    // Seen on Online Retail: a = 1e-24, b = 1e15. NBD limit: (r + x) / (alpha + T) * t.
    const edge = { r: 0.8, alpha: 60, a: 1e-24, b: 1e15 };
    expect(bgNbdConditionalExpected(edge, 90, 0, 0, 200)).toBeCloseTo((0.8 / 260) * 90, 12);
    expect(bgNbdConditionalExpected(edge, 90, 3, 150, 200)).toBeCloseTo((3.8 / 260) * 90, 12);
    // Just above the switch the closed form agrees with the limit to about a / (a + b).
    const near = { r: 0.8, alpha: 60, a: 1e-4, b: 1e4 };
    expect(bgNbdConditionalExpected(near, 90, 3, 150, 200)).toBeCloseTo((3.8 / 260) * 90, 4);
  });
});
