import { describe, expect, it } from 'vitest';
import { forwardGradient, numericGradient } from './gradient.js';
import { invertSpd, numericHessian, standardErrors } from './hessian.js';
import { lbfgs } from './lbfgs.js';
import { minimize } from './minimize.js';
import { nelderMead } from './nelder-mead.js';

const rosenbrock = (x: Float64Array): number => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;

describe('numericGradient', () => {
  it('matches the analytic gradient', () => {
    const g = new Float64Array(2);
    numericGradient(rosenbrock, Float64Array.of(-1.2, 1), g);
    // d/dx = -400 x (y - x²) - 2 (1 - x) = -215.6; d/dy = 200 (y - x²) = -88
    expect(g[0]).toBeCloseTo(-215.6, 5);
    expect(g[1]).toBeCloseTo(-88, 5);
  });
  it('forward differences: the same gradient to ~1e-8 relative in n + 1 evaluations', () => {
    const g = new Float64Array(2);
    expect(forwardGradient(rosenbrock, Float64Array.of(-1.2, 1), g)).toBe(3);
    expect(g[0]).toBeCloseTo(-215.6, 3);
    expect(g[1]).toBeCloseTo(-88, 3);
  });
  it('lbfgs with forward differences still finds the Rosenbrock minimum', () => {
    const r = lbfgs(rosenbrock, Float64Array.of(-1.2, 1), { differences: 'forward' });
    expect(r.x[0]).toBeCloseTo(1, 3);
    expect(r.x[1]).toBeCloseTo(1, 3);
  });
});

describe('lbfgs', () => {
  it('finds the Rosenbrock minimum (1, 1)', () => {
    const r = lbfgs(rosenbrock, Float64Array.of(-1.2, 1));
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });
  it('uses a supplied gradient', () => {
    const r = lbfgs(
      (x) => (x[0]! - 3) ** 2 + 10 * (x[1]! + 1) ** 2,
      Float64Array.of(0, 0),
      {},
      (x, out) => {
        out[0] = 2 * (x[0]! - 3);
        out[1] = 20 * (x[1]! + 1);
      },
    );
    expect(r.x[0]).toBeCloseTo(3, 8);
    expect(r.x[1]).toBeCloseTo(-1, 8);
  });
  it('backs off from points where the objective is not finite', () => {
    // log-barrier: undefined for x <= 0, minimum at x = 1
    const r = lbfgs((x) => (x[0]! > 0 ? x[0]! - Math.log(x[0]!) : NaN), Float64Array.of(5));
    expect(r.x[0]).toBeCloseTo(1, 6);
  });
});

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum', () => {
    const r = nelderMead(rosenbrock, Float64Array.of(-1.2, 1));
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });
});

describe('minimize', () => {
  it('falls back to Nelder-Mead when L-BFGS cannot progress (a kinked objective)', () => {
    const kinked = (x: Float64Array): number => Math.abs(x[0]! - 2) + Math.abs(x[1]! + 3);
    const r = minimize(kinked, Float64Array.of(0, 0), { maxIterations: 20 });
    expect(r.value).toBeLessThan(1e-6);
  });
});

describe('hessian and standard errors', () => {
  it('recovers a known Hessian and its inverse', () => {
    // f = x² + xy + 2y²: H = [[2, 1], [1, 4]], H^-1 = [[4, -1], [-1, 2]] / 7
    const f = (p: Float64Array): number => p[0]! ** 2 + p[0]! * p[1]! + 2 * p[1]! ** 2;
    const H = numericHessian(f, Float64Array.of(0.5, 2));
    expect(Array.from(H).map((v) => Number(v.toFixed(5)))).toEqual([2, 1, 1, 4]);
    const inv = invertSpd(H, 2)!;
    expect(inv[0]).toBeCloseTo(4 / 7, 6);
    expect(inv[1]).toBeCloseTo(-1 / 7, 6);
    const se = standardErrors(f, Float64Array.of(0.5, 2));
    expect(se[0]).toBeCloseTo(Math.sqrt(4 / 7), 6);
    expect(se[1]).toBeCloseTo(Math.sqrt(2 / 7), 6);
  });
  it('gives Infinity, not NaN, where the Hessian is not positive definite', () => {
    const se = standardErrors((p) => p[0]! ** 2 - p[1]! ** 2, Float64Array.of(1, 1));
    expect(Array.from(se)).toEqual([Infinity, Infinity]);
  });
  it('the standard error of a normal mean is sigma / sqrt(n)', () => {
    // Negative log-likelihood of N(mu, 2²) for 50 observations: SE(mu) = 2 / sqrt(50).
    const data = Array.from({ length: 50 }, (_, i) => Math.sin(i) * 3);
    const mean = data.reduce((a, b) => a + b) / data.length;
    const nll = (p: Float64Array): number => data.reduce((s, v) => s + (v - p[0]!) ** 2 / 8, 0);
    expect(standardErrors(nll, Float64Array.of(mean))[0]).toBeCloseTo(2 / Math.sqrt(50), 6);
  });
});
