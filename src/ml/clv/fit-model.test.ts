import { describe, expect, it } from 'vitest';
import { fitByMaximumLikelihood, GRADIENT_TOLERANCE } from './fit-model.js';
import { fitNbd, nbdConditionalExpected, nbdLogLikelihood, nbdNegLogLikelihood } from './nbd.js';

describe('fitByMaximumLikelihood: converged describes the returned point', () => {
  it('is false when the optimiser stopped on its value test far from a flat point', () => {
    // A large constant makes the first step a relative change (about 9e-6 / 2e7) below L-BFGS's
    // value tolerance (1e-12), so L-BFGS reports its stopping test met; the gradient there is about
    // 3e-3 in log space (d/du of 3e-3 e^u at u ~ 0), three times the tolerance, and the objective
    // has no minimum at all.
    const fit = fitByMaximumLikelihood((t) => 2e7 + 3e-3 * t[0]!, 1, ['theta']);
    expect(fit.gradientMaxAbs).toBeGreaterThan(GRADIENT_TOLERANCE);
    expect(fit.converged).toBe(false);
  });
  it('is true at a real maximum: the Poisson mean of 2, 4, 6 (MLE 4, hand-computed)', () => {
    // -log L(lambda) = 3 lambda - 12 log(lambda) + const, minimised at lambda = 4.
    const fit = fitByMaximumLikelihood((t) => 3 * t[0]! - 12 * Math.log(t[0]!), 3, ['lambda']);
    expect(fit.theta[0]).toBeCloseTo(4, 5);
    expect(fit.gradientMaxAbs).toBeLessThan(GRADIENT_TOLERANCE);
    expect(fit.converged).toBe(true);
  });
  it('is false when the optimiser ran out of iterations', () => {
    const fit = fitByMaximumLikelihood((t) => 3 * t[0]! - 12 * Math.log(t[0]!), 3, ['lambda'], {
      initial: [100],
      maxIterations: 1,
      method: 'nelder-mead',
    });
    expect(fit.converged).toBe(false);
  });
});

describe('NBD', () => {
  const P = { r: 0.8, alpha: 60 };
  it('log-likelihood: Γ(r+x)/Γ(r) alpha^r / (alpha+T)^(r+x), hand-computed for x = 0 and x = 1', () => {
    // x = 0: r log(alpha / (alpha + T)) = 0.8 log(60 / 260)
    expect(nbdLogLikelihood(P, 0, 200)).toBeCloseTo(0.8 * Math.log(60 / 260), 12);
    // x = 1: Γ(1.8)/Γ(0.8) = 0.8, so log 0.8 + 0.8 log 60 - 1.8 log 260
    expect(nbdLogLikelihood(P, 1, 200)).toBeCloseTo(
      Math.log(0.8) + 0.8 * Math.log(60) - 1.8 * Math.log(260),
      12,
    );
  });
  it('the summed version equals the sum of the rows', () => {
    const x = Float64Array.of(0, 1, 3, 0, 1);
    const T = Float64Array.of(200, 200, 50, 10, 50);
    const sum = Array.from(x).reduce((s, xi, i) => s + nbdLogLikelihood(P, xi, T[i]!), 0);
    expect(-nbdNegLogLikelihood(x, T)(Float64Array.of(P.r, P.alpha))).toBeCloseTo(sum, 10);
  });
  it('with the same exposure T the fit reproduces the mean rate: r / alpha = mean(x) / T', () => {
    // Gamma-Poisson MLE with equal exposures: the mean is matched exactly (score equation in alpha).
    const x = Float64Array.of(0, 0, 1, 2, 5, 0, 3, 1, 0, 8, 2, 0);
    const T = new Float64Array(x.length).fill(30);
    const fit = fitNbd(x, T);
    expect(fit.converged).toBe(true);
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    expect(fit.params.r / fit.params.alpha).toBeCloseTo(mean / 30, 6);
  });
  it('conditional expectation is the posterior mean rate times t', () => {
    expect(nbdConditionalExpected(P, 90, 3, 200)).toBeCloseTo((3.8 / 260) * 90, 12);
  });
});
