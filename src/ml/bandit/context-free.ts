/**
 * @module ml/bandit/context-free
 * Three policies that choose among arms without looking at who the customer is, all over the same
 * state (plays and reward sums per arm):
 *
 * - Thompson sampling, Beta-Bernoulli (Thompson 1933; Chapelle & Li 2011): arm k's success rate has
 *   the posterior Beta(priorAlpha + s_k, priorBeta + n_k - s_k); draw one value per arm and play the
 *   largest. A reward r in [0, 1] adds r to the successes and 1 - r to the failures.
 * - epsilon-greedy: with probability epsilon a uniformly random arm, else the arm with the best
 *   mean so far. An arm never played counts as best (each is tried before the means are trusted).
 * - UCB1 (Auer, Cesa-Bianchi & Fischer 2002): play every arm once, then the largest
 *   mean_k + sqrt(2 ln t / n_k), t = plays so far.
 *
 * Ties (equal means, equal bounds) are broken uniformly at random, so `contextFreeProbabilities`
 * can state the exact chance of each arm for the deterministic rules.
 */
import type { Rng } from '../../core/random.js';
import type { ContextFreeState } from './types.js';

/** Indices of the largest values (exact ties). */
export function argmaxSet(values: Float64Array): number[] {
  let best = -Infinity;
  let set: number[] = [];
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (v > best) {
      best = v;
      set = [k];
    } else if (v === best) set.push(k);
  }
  return set;
}

/** One of the largest values, ties uniformly at random. */
export function argmaxRandomTie(values: Float64Array, rng: Rng): number {
  const set = argmaxSet(values);
  return set.length === 1 ? set[0]! : set[rng.int(set.length)]!;
}

/** Mean reward so far per arm; +Infinity for an arm never played (so it is tried first). */
export function armMeans(s: ContextFreeState): Float64Array {
  const m = new Float64Array(s.arms);
  for (let k = 0; k < s.arms; k++) m[k] = s.pulls[k]! > 0 ? s.rewardSums[k]! / s.pulls[k]! : Infinity;
  return m;
}

/** UCB1 index per arm; +Infinity for an arm never played. */
export function ucb1Indices(s: ContextFreeState): Float64Array {
  let t = 0;
  for (let k = 0; k < s.arms; k++) t += s.pulls[k]!;
  const m = armMeans(s);
  for (let k = 0; k < s.arms; k++) {
    const n = s.pulls[k]!;
    if (n > 0) m[k] = m[k]! + Math.sqrt((2 * Math.log(t)) / n);
  }
  return m;
}

/** One posterior draw per arm (Thompson sampling). */
export function posteriorDraws(s: ContextFreeState, rng: Rng): Float64Array {
  const d = new Float64Array(s.arms);
  for (let k = 0; k < s.arms; k++) {
    const successes = s.rewardSums[k]!;
    const failures = s.pulls[k]! - successes;
    d[k] = rng.beta(s.params['priorAlpha']! + successes, s.params['priorBeta']! + failures);
  }
  return d;
}

export function chooseContextFree(s: ContextFreeState, rng: Rng): number {
  switch (s.kind) {
    case 'thompson':
      return argmaxRandomTie(posteriorDraws(s, rng), rng);
    case 'epsilon-greedy':
      return rng.float() < s.params['epsilon']! ? rng.int(s.arms) : argmaxRandomTie(armMeans(s), rng);
    case 'ucb1':
      return argmaxRandomTie(ucb1Indices(s), rng);
  }
}

/**
 * The chance of each arm at the next choice. Exact for epsilon-greedy ((1 - epsilon) / g for each of
 * the g best arms, plus epsilon / K for every arm) and UCB1 (1 / g for each of the g best indices);
 * for Thompson sampling, the share of `draws` posterior draws each arm wins (an estimate).
 */
export function contextFreeProbabilities(s: ContextFreeState, rng: Rng, draws: number): Float64Array {
  const p = new Float64Array(s.arms);
  if (s.kind === 'thompson') {
    for (let i = 0; i < draws; i++) p[argmaxRandomTie(posteriorDraws(s, rng), rng)]! += 1 / draws;
    return p;
  }
  const best = argmaxSet(s.kind === 'ucb1' ? ucb1Indices(s) : armMeans(s));
  const explore = s.kind === 'epsilon-greedy' ? s.params['epsilon']! : 0;
  for (let k = 0; k < s.arms; k++) p[k] = explore / s.arms;
  for (const k of best) p[k]! += (1 - explore) / best.length;
  return p;
}

/** The arm the policy believes best now, without exploring (posterior or sample mean). */
export function greedyContextFree(s: ContextFreeState, rng: Rng): number {
  if (s.kind !== 'thompson') return argmaxRandomTie(armMeans(s), rng);
  const m = new Float64Array(s.arms);
  for (let k = 0; k < s.arms; k++) {
    const alpha = s.params['priorAlpha']! + s.rewardSums[k]!;
    m[k] = alpha / (alpha + s.params['priorBeta']! + s.pulls[k]! - s.rewardSums[k]!);
  }
  return argmaxRandomTie(m, rng);
}

export function updateContextFree(s: ContextFreeState, arm: number, reward: number): void {
  s.pulls[arm]! += 1;
  s.rewardSums[arm]! += reward;
}
