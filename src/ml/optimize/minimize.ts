/**
 * @module ml/optimize/minimize
 * The robust entry point: L-BFGS first; if it stops without meeting a stopping test (or lands on a
 * non-finite value), Nelder-Mead continues from the best point, and a final L-BFGS run polishes
 * the simplex's answer. The result reports which method produced the returned point and whether
 * THAT stage met its stopping test: a converged simplex whose point the polish then moved does not
 * make the returned point converged.
 *
 * @example
 *   minimize((x) => Math.exp(x[0]!) - 2 * x[0]!, Float64Array.of(0)).x[0]; // ≈ log 2
 */
import { lbfgs } from './lbfgs.js';
import { nelderMead } from './nelder-mead.js';
import type { MinimizeOptions, MinimizeResult, Objective } from './types.js';

export function minimize(f: Objective, x0: Float64Array, options: MinimizeOptions = {}): MinimizeResult {
  const first = lbfgs(f, x0, options);
  if (first.converged && Number.isFinite(first.value)) return first;
  const start = Number.isFinite(first.value) ? first.x : x0;
  const simplex = nelderMead(f, start, { ...options, maxIterations: undefined });
  const polished = lbfgs(f, simplex.x, options);
  const tried = [first, simplex, polished].filter((r) => Number.isFinite(r.value));
  if (tried.length === 0) return simplex;
  const best = tried.reduce((a, b) => (b.value < a.value || (b.value === a.value && b.converged) ? b : a));
  return {
    ...best,
    iterations: first.iterations + simplex.iterations + polished.iterations,
    evaluations: first.evaluations + simplex.evaluations + polished.evaluations,
    converged: best.converged,
  };
}
