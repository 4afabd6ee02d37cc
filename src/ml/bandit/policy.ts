/**
 * @module ml/bandit/policy
 * One entry point for every bandit policy: create its state, choose an arm, state each arm's
 * chance (the propensity a decision log needs), learn from a reward, and save or restore the state.
 * The policies themselves are in `context-free.ts` and `linear.ts`.
 *
 * Defaults (chosen before any evaluation, from the literature): Thompson sampling with a uniform
 * Beta(1, 1) prior; epsilon 0.1 (Sutton & Barto's usual example); LinUCB alpha 1 and linear Thompson
 * sampling v 1 with ridge 1 (A starts as the identity, as in Li et al. 2010 and Agrawal & Goyal 2013;
 * also the defaults of the `contextualbandits` Python package).
 *
 * @example
 *   const s = createBandit({ kind: 'thompson' }, 3);
 *   const arm = chooseArm(s, null, rng);
 *   updateBandit(s, arm, 1, null);           // the customer visited
 *   const bytes = encodeArtifact(banditToArtifact(s)); // saved; banditFromArtifact restores it
 */
import type { Rng } from '../../core/random.js';
import type { ModelArtifact } from '../artifact.js';
import {
  chooseContextFree,
  contextFreeProbabilities,
  greedyContextFree,
  updateContextFree,
} from './context-free.js';
import { chooseLinear, greedyLinear, linearProbabilities, updateLinear } from './linear.js';
import {
  BANDIT_KINDS,
  BanditError,
  type BanditKind,
  type BanditSpec,
  type BanditState,
  type LinearState,
} from './types.js';

export const BANDIT_ARTIFACT_KIND = 'bandit';
const ARTIFACT_VERSION = 1;
/** Posterior draws used to estimate a Thompson policy's arm probabilities (sd of an estimate <= 0.5 / sqrt(draws)). */
export const PROBABILITY_DRAWS = 2000;

export function isLinear(s: BanditState): s is LinearState {
  return s.kind === 'linucb' || s.kind === 'linear-thompson';
}

function positive(name: string, v: number | undefined, fallback: number, allowZero = false): number {
  const x = v ?? fallback;
  if (!Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) {
    throw new BanditError(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number (got ${x})`);
  }
  return x;
}

/** A fresh policy over `arms` arms; `dims` is the context length for LinUCB and linear Thompson sampling. */
export function createBandit(spec: BanditSpec, arms: number, dims = 0): BanditState {
  if (!BANDIT_KINDS.includes(spec.kind)) {
    throw new BanditError(`unknown bandit policy '${String(spec.kind)}' (known: ${BANDIT_KINDS.join(', ')})`);
  }
  if (!Number.isInteger(arms) || arms < 2) {
    throw new BanditError(
      `a bandit needs at least 2 arms (got ${arms}): with one there is nothing to choose`,
    );
  }
  const counts = { arms, pulls: new Float64Array(arms), rewardSums: new Float64Array(arms) };
  switch (spec.kind) {
    case 'thompson':
      return {
        kind: spec.kind,
        ...counts,
        params: {
          priorAlpha: positive('priorAlpha', spec.priorAlpha, 1),
          priorBeta: positive('priorBeta', spec.priorBeta, 1),
        },
      };
    case 'epsilon-greedy': {
      const epsilon = positive('epsilon', spec.epsilon, 0.1, true);
      if (epsilon > 1) throw new BanditError(`epsilon must be in [0, 1] (got ${epsilon})`);
      return { kind: spec.kind, ...counts, params: { epsilon } };
    }
    case 'ucb1':
      return { kind: spec.kind, ...counts, params: {} };
    case 'linucb':
    case 'linear-thompson': {
      if (!Number.isInteger(dims) || dims < 1) {
        throw new BanditError(`${spec.kind} needs a context of at least 1 number per decision (got ${dims})`);
      }
      const ridge = positive('ridge', spec.ridge, 1);
      const params: Record<string, number> =
        spec.kind === 'linucb'
          ? { alpha: positive('alpha', spec.alpha, 1, true), ridge }
          : { v: positive('v', spec.v, 1, true), ridge };
      const a = new Float64Array(arms * dims * dims);
      const aInv = new Float64Array(arms * dims * dims);
      for (let k = 0; k < arms; k++) {
        for (let i = 0; i < dims; i++) {
          a[k * dims * dims + i * dims + i] = ridge;
          aInv[k * dims * dims + i * dims + i] = 1 / ridge;
        }
      }
      return {
        kind: spec.kind,
        arms,
        dims,
        params,
        pulls: new Float64Array(arms),
        a,
        aInv,
        b: new Float64Array(arms * dims),
      };
    }
  }
}

function checkContext(s: BanditState, x: ArrayLike<number> | null): ArrayLike<number> | null {
  if (!isLinear(s)) return null;
  if (!x) throw new BanditError(`${s.kind} needs a context of ${s.dims} numbers for each decision`);
  if (x.length !== s.dims) {
    throw new BanditError(
      `${s.kind}: the context has ${x.length} numbers, the policy was built for ${s.dims}`,
    );
  }
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]!))
      throw new BanditError(`${s.kind}: context value ${i} is ${x[i]}, not a finite number`);
  }
  return x;
}

/** The arm to play now (explores as the policy does). A context is required by linear policies, ignored by the others. */
export function chooseArm(s: BanditState, x: ArrayLike<number> | null, rng: Rng): number {
  const cx = checkContext(s, x);
  return isLinear(s) ? chooseLinear(s, cx!, rng) : chooseContextFree(s, rng);
}

/** Each arm's chance of being chosen now (see context-free.ts and linear.ts for which are exact). */
export function armProbabilities(
  s: BanditState,
  x: ArrayLike<number> | null,
  rng: Rng,
  draws = PROBABILITY_DRAWS,
): Float64Array {
  const cx = checkContext(s, x);
  return isLinear(s) ? linearProbabilities(s, cx!, rng, draws) : contextFreeProbabilities(s, rng, draws);
}

/** The arm believed best now, without exploration: what a policy frozen at this point would play. */
export function greedyArm(s: BanditState, x: ArrayLike<number> | null, rng: Rng): number {
  const cx = checkContext(s, x);
  return isLinear(s) ? greedyLinear(s, cx!, rng) : greedyContextFree(s, rng);
}

/** Learns from the reward of one play of `arm` (in [0, 1]) with the context it was played in. */
export function updateBandit(s: BanditState, arm: number, reward: number, x: ArrayLike<number> | null): void {
  if (!Number.isInteger(arm) || arm < 0 || arm >= s.arms) {
    throw new BanditError(`arm ${arm} is not one of the policy's ${s.arms} arms (0-${s.arms - 1})`);
  }
  if (!(reward >= 0 && reward <= 1)) {
    throw new BanditError(`reward must be a number in [0, 1] (got ${reward})`);
  }
  const cx = checkContext(s, x);
  if (isLinear(s)) updateLinear(s, arm, reward, cx!);
  else updateContextFree(s, arm, reward);
}

/** A deep copy (replay evaluation freezes a policy while the original keeps learning). */
export function cloneBandit(s: BanditState): BanditState {
  return banditFromArtifact(banditToArtifact(s));
}

export function banditToArtifact(s: BanditState): ModelArtifact {
  return isLinear(s)
    ? {
        kind: BANDIT_ARTIFACT_KIND,
        version: ARTIFACT_VERSION,
        meta: { policy: s.kind, arms: s.arms, dims: s.dims, params: s.params },
        arrays: { pulls: s.pulls.slice(), a: s.a.slice(), aInv: s.aInv.slice(), b: s.b.slice() },
      }
    : {
        kind: BANDIT_ARTIFACT_KIND,
        version: ARTIFACT_VERSION,
        meta: { policy: s.kind, arms: s.arms, dims: 0, params: s.params },
        arrays: { pulls: s.pulls.slice(), rewardSums: s.rewardSums.slice() },
      };
}

export function banditFromArtifact(a: ModelArtifact): BanditState {
  if (a.kind !== BANDIT_ARTIFACT_KIND || a.version !== ARTIFACT_VERSION) {
    throw new BanditError(`not a bandit state (artifact ${a.kind} v${a.version})`);
  }
  const kind = a.meta['policy'] as BanditKind;
  const arms = a.meta['arms'] as number;
  const dims = a.meta['dims'] as number;
  const params = a.meta['params'] as Record<string, number>;
  const f64 = (name: string, length: number): Float64Array => {
    const v = a.arrays[name];
    if (!(v instanceof Float64Array) || v.length !== length) {
      throw new BanditError(`bandit state: array '${name}' is missing or not ${length} float64 values`);
    }
    return v.slice();
  };
  const fresh = createBandit({ kind, ...params } as BanditSpec, arms, dims);
  if (isLinear(fresh)) {
    return {
      ...fresh,
      pulls: f64('pulls', arms),
      a: f64('a', arms * dims * dims),
      aInv: f64('aInv', arms * dims * dims),
      b: f64('b', arms * dims),
    };
  }
  return { ...fresh, pulls: f64('pulls', arms), rewardSums: f64('rewardSums', arms) };
}
