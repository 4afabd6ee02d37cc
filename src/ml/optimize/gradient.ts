/**
 * @module ml/optimize/gradient
 * Central-difference gradient. The CLV likelihoods have 3-4 parameters, so 2n evaluations per
 * gradient cost less than deriving and maintaining analytic gradients for each model, and central
 * differences are accurate to ~1e-10 at the steps used here, well below what the fits need.
 *
 * @example
 *   const g = new Float64Array(2);
 *   numericGradient((x) => x[0]! ** 2 + 3 * x[1]!, Float64Array.of(1, 5), g); // g ≈ [2, 3]
 */
import type { Objective } from './types.js';

/** Relative step: about the cube root of machine epsilon, the optimum for central differences. */
const STEP = 6e-6;

/** Writes ∇f(x) into `out`; returns the number of evaluations used (2n). `x` is restored. */
export function numericGradient(f: Objective, x: Float64Array, out: Float64Array): number {
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const h = STEP * Math.max(1, Math.abs(xi));
    x[i] = xi + h;
    const up = f(x);
    x[i] = xi - h;
    const down = f(x);
    x[i] = xi;
    out[i] = (up - down) / (2 * h);
  }
  return 2 * x.length;
}

/** Relative step of forward differences: about the square root of machine epsilon. */
const FORWARD_STEP = 1.5e-8;

/** Forward-difference ∇f(x) into `out`: n + 1 evaluations (returned), half the cost of central ones. `x` is restored. */
export function forwardGradient(f: Objective, x: Float64Array, out: Float64Array): number {
  const f0 = f(x);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const h = FORWARD_STEP * Math.max(1, Math.abs(xi));
    x[i] = xi + h;
    out[i] = (f(x) - f0) / h;
    x[i] = xi;
  }
  return x.length + 1;
}
