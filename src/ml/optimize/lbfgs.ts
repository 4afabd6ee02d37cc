/**
 * @module ml/optimize/lbfgs
 * Limited-memory BFGS with a backtracking (Armijo) line search, for smooth objectives of a few to a
 * few hundred unconstrained parameters. Callers keep parameters positive by optimising their logs.
 * The gradient is numeric (central differences) unless one is given.
 *
 * Why a backtracking search rather than a full Wolfe search: the curvature condition is enforced
 * by skipping updates with s·y <= 0, which keeps the inverse-Hessian estimate positive definite;
 * on the CLV likelihoods this converges in 15-40 iterations.
 *
 * @example
 *   const r = lbfgs((x) => (x[0]! - 3) ** 2 + 10 * (x[1]! + 1) ** 2, Float64Array.of(0, 0));
 *   r.x; // ≈ [3, -1], r.converged === true
 */
import { forwardGradient, numericGradient } from './gradient.js';
import type { MinimizeOptions, MinimizeResult, Objective } from './types.js';

/** Pairs (s, y) kept for the inverse-Hessian estimate. */
const MEMORY = 8;
/** Armijo sufficient-decrease constant. */
const C1 = 1e-4;
const MAX_BACKTRACKS = 50;

export type Gradient = (x: Float64Array, out: Float64Array) => void;

export function lbfgs(
  f: Objective,
  x0: Float64Array,
  options: MinimizeOptions = {},
  gradient?: Gradient,
): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 500;
  const gtol = options.gradientTolerance ?? 1e-7;
  const ftol = options.valueTolerance ?? 1e-12;
  let evaluations = 0;
  const value = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };
  const grad = (x: Float64Array, out: Float64Array): void => {
    if (gradient) gradient(x, out);
    else if (options.differences === 'forward') evaluations += forwardGradient(f, x, out);
    else evaluations += numericGradient(f, x, out);
  };

  const x = Float64Array.from(x0);
  let fx = value(x);
  if (!Number.isFinite(fx))
    return { x, value: fx, iterations: 0, evaluations, converged: false, method: 'lbfgs' };
  const g = new Float64Array(n);
  grad(x, g);

  const S = Array.from({ length: MEMORY }, () => new Float64Array(n));
  const Y = Array.from({ length: MEMORY }, () => new Float64Array(n));
  const rho = new Float64Array(MEMORY);
  const alpha = new Float64Array(MEMORY);
  let stored = 0;
  let head = 0; // next slot to write
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    if (maxAbs(g) <= gtol) {
      converged = true;
      break;
    }
    iterations++;
    direction(g, d, S, Y, rho, alpha, stored, head);
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (rounding in the memory): forget it and go downhill.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }
    // Without memory the direction has the gradient's scale, which may be far off: cap the first step.
    let step = stored === 0 ? Math.min(1, 1 / Math.max(maxAbs(g), 1e-300)) : 1;
    let fNew = Infinity;
    let accepted = false;
    for (let k = 0; k < MAX_BACKTRACKS; k++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = value(xNew);
      if (fNew <= fx + C1 * step * slope) {
        accepted = true;
        break;
      }
      // Quadratic interpolation of the step, kept within [0.1, 0.5] of the last one.
      const q = Number.isFinite(fNew)
        ? (-slope * step * step) / (2 * (fNew - fx - slope * step))
        : 0.1 * step;
      step = Math.min(0.5 * step, Math.max(0.1 * step, q));
    }
    if (!accepted) {
      if (stored > 0) {
        stored = 0; // retry once from steepest descent before giving up
        continue;
      }
      break;
    }
    grad(xNew, gNew);
    // Update the memory with s = xNew - x, y = gNew - g when the curvature is positive.
    const s = S[head]!;
    const y = Y[head]!;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
      sy += s[i]! * y[i]!;
    }
    if (sy > 1e-300) {
      rho[head] = 1 / sy;
      head = (head + 1) % MEMORY;
      stored = Math.min(stored + 1, MEMORY);
    }
    const change = Math.abs(fx - fNew);
    x.set(xNew);
    g.set(gNew);
    const before = fx;
    fx = fNew;
    if (change <= ftol * Math.max(1, Math.abs(before), Math.abs(fNew))) {
      converged = true;
      break;
    }
  }
  return { x, value: fx, iterations, evaluations, converged, method: 'lbfgs' };
}

/** Two-loop recursion: d = -H g with H the L-BFGS inverse-Hessian estimate. */
function direction(
  g: Float64Array,
  d: Float64Array,
  S: Float64Array[],
  Y: Float64Array[],
  rho: Float64Array,
  alpha: Float64Array,
  stored: number,
  head: number,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) d[i] = -g[i]!;
  for (let k = 1; k <= stored; k++) {
    const j = (head - k + MEMORY) % MEMORY;
    alpha[j] = rho[j]! * dot(S[j]!, d);
    axpy(-alpha[j]!, Y[j]!, d);
  }
  if (stored > 0) {
    const j = (head - 1 + MEMORY) % MEMORY;
    const gamma = 1 / (rho[j]! * dot(Y[j]!, Y[j]!)); // s·y / y·y scales the initial Hessian
    for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
  }
  for (let k = stored; k >= 1; k--) {
    const j = (head - k + MEMORY) % MEMORY;
    const beta = rho[j]! * dot(Y[j]!, d);
    axpy(alpha[j]! - beta, S[j]!, d);
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] = y[i]! + a * x[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
