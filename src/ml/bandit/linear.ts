/**
 * @module ml/bandit/linear
 * Contextual policies over one ridge regression per arm (the "disjoint" model of Li, Chu, Langford &
 * Schapire 2010): with A_k = ridge I + sum x x^T and b_k = sum r x over the arm's past plays,
 * theta_k = A_k^-1 b_k estimates the arm's expected reward as theta_k . x.
 *
 * - LinUCB (Li et al. 2010, Algorithm 1): play the largest theta_k . x + alpha sqrt(x^T A_k^-1 x).
 * - Linear Thompson sampling (Agrawal & Goyal 2013): draw theta~_k ~ N(theta_k, v^2 A_k^-1) and play
 *   the largest theta~_k . x. For one context, theta~_k . x is exactly N(theta_k . x, v^2 x^T A_k^-1 x),
 *   so the draw is one normal per arm, no d-dimensional sample.
 *
 * A_k^-1 is kept in step with A_k by Sherman-Morrison, (A + x x^T)^-1 = A^-1 - u u^T / (1 + x . u)
 * with u = A^-1 x, so a choice or an update costs O(d^2) per arm.
 */
import type { Rng } from '../../core/random.js';
import { argmaxRandomTie, argmaxSet } from './context-free.js';
import type { LinearState } from './types.js';

/** theta_k . x and sqrt(x^T A_k^-1 x) for every arm. */
export function linearScores(
  s: LinearState,
  x: ArrayLike<number>,
): { mean: Float64Array; width: Float64Array } {
  const d = s.dims;
  const mean = new Float64Array(s.arms);
  const width = new Float64Array(s.arms);
  const u = new Float64Array(d);
  for (let k = 0; k < s.arms; k++) {
    const inv = k * d * d;
    // u = A^-1 x (symmetric), then mean = b . u = (A^-1 b) . x and width^2 = x . u.
    let m = 0;
    let w = 0;
    for (let i = 0; i < d; i++) {
      let acc = 0;
      const row = inv + i * d;
      for (let j = 0; j < d; j++) acc += s.aInv[row + j]! * x[j]!;
      u[i] = acc;
      m += s.b[k * d + i]! * acc;
      w += x[i]! * acc;
    }
    mean[k] = m;
    width[k] = Math.sqrt(Math.max(0, w));
  }
  return { mean, width };
}

function thompsonDraw(mean: Float64Array, width: Float64Array, v: number, rng: Rng): Float64Array {
  const out = new Float64Array(mean.length);
  for (let k = 0; k < mean.length; k++) out[k] = mean[k]! + v * width[k]! * rng.normal();
  return out;
}

function upperBounds(mean: Float64Array, width: Float64Array, alpha: number): Float64Array {
  const out = new Float64Array(mean.length);
  for (let k = 0; k < mean.length; k++) out[k] = mean[k]! + alpha * width[k]!;
  return out;
}

export function chooseLinear(s: LinearState, x: ArrayLike<number>, rng: Rng): number {
  const { mean, width } = linearScores(s, x);
  return s.kind === 'linucb'
    ? argmaxRandomTie(upperBounds(mean, width, s.params['alpha']!), rng)
    : argmaxRandomTie(thompsonDraw(mean, width, s.params['v']!, rng), rng);
}

/** Exact for LinUCB (1 / g for each of g tied bounds); for linear Thompson sampling the share of `draws` draws each arm wins. */
export function linearProbabilities(
  s: LinearState,
  x: ArrayLike<number>,
  rng: Rng,
  draws: number,
): Float64Array {
  const { mean, width } = linearScores(s, x);
  const p = new Float64Array(s.arms);
  if (s.kind === 'linucb') {
    const best = argmaxSet(upperBounds(mean, width, s.params['alpha']!));
    for (const k of best) p[k] = 1 / best.length;
    return p;
  }
  for (let i = 0; i < draws; i++)
    p[argmaxRandomTie(thompsonDraw(mean, width, s.params['v']!, rng), rng)]! += 1 / draws;
  return p;
}

/** The arm with the largest estimated reward theta_k . x (no exploration). */
export function greedyLinear(s: LinearState, x: ArrayLike<number>, rng: Rng): number {
  return argmaxRandomTie(linearScores(s, x).mean, rng);
}

export function updateLinear(s: LinearState, arm: number, reward: number, x: ArrayLike<number>): void {
  const d = s.dims;
  const base = arm * d * d;
  const u = new Float64Array(d);
  let denom = 1;
  for (let i = 0; i < d; i++) {
    let acc = 0;
    for (let j = 0; j < d; j++) acc += s.aInv[base + i * d + j]! * x[j]!;
    u[i] = acc;
    denom += x[i]! * acc;
  }
  for (let i = 0; i < d; i++) {
    s.b[arm * d + i]! += reward * x[i]!;
    for (let j = 0; j < d; j++) {
      s.a[base + i * d + j]! += x[i]! * x[j]!;
      s.aInv[base + i * d + j]! -= (u[i]! * u[j]!) / denom;
    }
  }
  s.pulls[arm]! += 1;
}
