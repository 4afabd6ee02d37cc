import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { normalCdf } from '../special/normal.js';
import { ucb1Indices } from './context-free.js';
import { linearScores } from './linear.js';
import { offPolicyValue } from './off-policy.js';
import {
  armProbabilities,
  banditFromArtifact,
  banditToArtifact,
  chooseArm,
  createBandit,
  greedyArm,
  updateBandit,
} from './policy.js';
import { cumulativeRegret, meanReward, replay, secondHalfMean } from './replay.js';
import type { BanditSpec, BanditState, ContextFreeState, LinearState } from './types.js';

function feed(s: BanditState, plays: [arm: number, reward: number, x?: number[]][]): void {
  for (const [arm, r, x] of plays) updateBandit(s, arm, r, x ?? null);
}

describe('Thompson sampling, Beta-Bernoulli', () => {
  it('updates counts by hand: rewards 1, 1, 0 on arm 0 give Beta(3, 2), mean 0.6', () => {
    const s = createBandit({ kind: 'thompson' }, 2) as ContextFreeState;
    feed(s, [
      [0, 1],
      [0, 1],
      [0, 0],
      [1, 0],
    ]);
    expect([...s.pulls]).toEqual([3, 1]);
    expect([...s.rewardSums]).toEqual([2, 0]);
    // posterior means 3/5 and 1/3: greedy plays arm 0
    expect(greedyArm(s, null, new Rng(1))).toBe(0);
  });

  it('P(Beta(2, 1) > Beta(1, 1)) = integral of 2x . x over [0, 1] = 2/3', () => {
    const s = createBandit({ kind: 'thompson' }, 2);
    updateBandit(s, 0, 1, null);
    const p = armProbabilities(s, null, new Rng(3), 40000);
    expect(p[0]!).toBeCloseTo(2 / 3, 2);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
  });

  it('a fractional reward adds r successes and 1 - r failures', () => {
    const s = createBandit({ kind: 'thompson', priorAlpha: 2, priorBeta: 3 }, 2) as ContextFreeState;
    updateBandit(s, 1, 0.25, null);
    expect(s.params).toEqual({ priorAlpha: 2, priorBeta: 3 });
    expect([s.pulls[1], s.rewardSums[1]]).toEqual([1, 0.25]);
  });
});

describe('epsilon-greedy', () => {
  it('a fresh policy ties every arm: 1/3 each', () => {
    const p = armProbabilities(createBandit({ kind: 'epsilon-greedy', epsilon: 0.3 }, 3), null, new Rng(0));
    for (const v of p) expect(v).toBeCloseTo(1 / 3, 12);
  });

  it('means 0.5, 0.2, 0.5 with epsilon 0.3: 0.35 + 0.1 for each tied best, 0.1 for the other', () => {
    const s = createBandit({ kind: 'epsilon-greedy', epsilon: 0.3 }, 3);
    feed(s, [
      [0, 1],
      [0, 0],
      [1, 0.2],
      [2, 0.5],
    ]);
    const p = armProbabilities(s, null, new Rng(0));
    expect(p[0]!).toBeCloseTo(0.45, 12);
    expect(p[1]!).toBeCloseTo(0.1, 12);
    expect(p[2]!).toBeCloseTo(0.45, 12);
  });

  it('epsilon 0 always plays the best mean', () => {
    const s = createBandit({ kind: 'epsilon-greedy', epsilon: 0 }, 2);
    feed(s, [
      [0, 0.4],
      [1, 0.6],
    ]);
    const rng = new Rng(5);
    for (let i = 0; i < 50; i++) expect(chooseArm(s, null, rng)).toBe(1);
  });
});

describe('UCB1', () => {
  it('indices by hand: plays 2 and 1, rewards 1 and 1, t = 3', () => {
    const s = createBandit({ kind: 'ucb1' }, 2) as ContextFreeState;
    feed(s, [
      [0, 1],
      [0, 0],
      [1, 1],
    ]);
    const u = ucb1Indices(s);
    expect(u[0]!).toBeCloseTo(0.5 + Math.sqrt((2 * Math.log(3)) / 2), 12); // 1.5481
    expect(u[1]!).toBeCloseTo(1 + Math.sqrt(2 * Math.log(3)), 12); // 2.4823
    expect([...armProbabilities(s, null, new Rng(0))]).toEqual([0, 1]);
  });

  it('plays an arm never played before any other', () => {
    const s = createBandit({ kind: 'ucb1' }, 3);
    feed(s, [
      [0, 1],
      [2, 1],
    ]);
    expect(chooseArm(s, null, new Rng(0))).toBe(1);
  });
});

describe('LinUCB and linear Thompson sampling', () => {
  it('one update by hand: x = [1, 0], r = 1 gives A = diag(2, 1), b = [1, 0]', () => {
    const s = createBandit({ kind: 'linucb' }, 2, 2) as LinearState;
    updateBandit(s, 0, 1, [1, 0]);
    expect([...s.a.subarray(0, 4)]).toEqual([2, 0, 0, 1]);
    expect([...s.aInv.subarray(0, 4)]).toEqual([0.5, 0, 0, 1]);
    expect([...s.b.subarray(0, 2)]).toEqual([1, 0]);
    const { mean, width } = linearScores(s, [1, 0]);
    expect(mean[0]!).toBeCloseTo(0.5, 12);
    expect(width[0]!).toBeCloseTo(Math.SQRT1_2, 12);
    expect([mean[1], width[1]]).toEqual([0, 1]);
    // alpha 1: 0.5 + 0.707 = 1.207 > 0 + 1; alpha 2: 0.5 + 1.414 = 1.914 < 0 + 2
    expect(chooseArm(s, [1, 0], new Rng(0))).toBe(0);
    const wide = createBandit({ kind: 'linucb', alpha: 2 }, 2, 2);
    updateBandit(wide, 0, 1, [1, 0]);
    expect(chooseArm(wide, [1, 0], new Rng(0))).toBe(1);
  });

  it('Sherman-Morrison keeps A^-1 exact: x = [1, 1] then [1, -1] gives A = 3 I, theta = [1/3, 1/3]', () => {
    const s = createBandit({ kind: 'linear-thompson' }, 2, 2) as LinearState;
    feed(s, [
      [0, 1, [1, 1]],
      [0, 0, [1, -1]],
    ]);
    expect([...s.a.subarray(0, 4)]).toEqual([3, 0, 0, 3]);
    const inv = [...s.aInv.subarray(0, 4)];
    [1 / 3, 0, 0, 1 / 3].forEach((v, i) => expect(inv[i]!).toBeCloseTo(v, 14));
    expect(linearScores(s, [1, 0]).mean[0]!).toBeCloseTo(1 / 3, 14);
  });

  it('linear Thompson: P(arm 0) = Phi(0.5 / sqrt(0.5 + 1)) after one reward of 1 on arm 0 (d = 1)', () => {
    const s = createBandit({ kind: 'linear-thompson' }, 2, 1);
    updateBandit(s, 0, 1, [1]);
    const p = armProbabilities(s, [1], new Rng(11), 40000);
    expect(p[0]!).toBeCloseTo(normalCdf(0.5 / Math.sqrt(1.5)), 2); // 0.6585
  });

  it('learns an arm per context: arm 0 pays 0.2 + 0.6 s, arm 1 pays 0.6 - 0.4 s', () => {
    for (const spec of [{ kind: 'linucb' }, { kind: 'linear-thompson' }] as BanditSpec[]) {
      const s = createBandit(spec, 2, 2);
      const rng = new Rng(21);
      for (let t = 0; t < 4000; t++) {
        const x = [1, rng.int(2)];
        const arm = chooseArm(s, x, rng);
        const rate = arm === 0 ? 0.2 + 0.6 * x[1]! : 0.6 - 0.4 * x[1]!;
        updateBandit(s, arm, rng.chance(rate) ? 1 : 0, x);
      }
      expect(greedyArm(s, [1, 0], rng), spec.kind).toBe(1);
      expect(greedyArm(s, [1, 1], rng), spec.kind).toBe(0);
    }
  });

  it('refuses a missing, short or non-finite context', () => {
    const s = createBandit({ kind: 'linucb' }, 2, 3);
    expect(() => chooseArm(s, null, new Rng(0))).toThrow(/needs a context of 3 numbers/);
    expect(() => chooseArm(s, [1, 2], new Rng(0))).toThrow(/has 2 numbers, the policy was built for 3/);
    expect(() => updateBandit(s, 0, 1, [1, NaN, 0])).toThrow(/context value 1 is NaN/);
  });
});

describe('seeded behaviour on a simulated Bernoulli bandit (rates 0.1, 0.5, 0.3)', () => {
  const rates = [0.1, 0.5, 0.3];
  function run(spec: BanditSpec, seed: number): number[] {
    const s = createBandit(spec, 3);
    const rng = new Rng(seed);
    const plays = [0, 0, 0];
    for (let t = 0; t < 3000; t++) {
      const arm = chooseArm(s, null, rng);
      plays[arm]!++;
      updateBandit(s, arm, rng.chance(rates[arm]!) ? 1 : 0, null);
    }
    return plays;
  }
  for (const spec of [{ kind: 'thompson' }, { kind: 'epsilon-greedy' }, { kind: 'ucb1' }] as BanditSpec[]) {
    it(`${spec.kind}: the same seed plays the same arms; the best arm is played most`, () => {
      const plays = run(spec, 7);
      expect(run(spec, 7)).toEqual(plays);
      expect(plays[1]!).toBeGreaterThan(Math.max(plays[0]!, plays[2]!));
    });
  }
  it('Thompson sampling plays the best arm in more than 90% of 3,000 rounds; epsilon-greedy (0.1) in more than 85%', () => {
    expect(run({ kind: 'thompson' }, 7)[1]! / 3000).toBeGreaterThan(0.9);
    // epsilon 0.1 explores 10% of the time, a third of which lands on the best arm: at most 93.3%
    expect(run({ kind: 'epsilon-greedy' }, 7)[1]! / 3000).toBeGreaterThan(0.85);
  });
});

describe('saving and restoring a policy', () => {
  for (const spec of [
    { kind: 'thompson', priorAlpha: 2 },
    { kind: 'epsilon-greedy', epsilon: 0.2 },
    { kind: 'ucb1' },
    { kind: 'linucb', alpha: 0.5 },
    { kind: 'linear-thompson', v: 0.3, ridge: 2 },
  ] as BanditSpec[]) {
    it(`${spec.kind}: the restored state is equal and chooses the same arms for the same seed`, () => {
      const linear = spec.kind === 'linucb' || spec.kind === 'linear-thompson';
      const s = createBandit(spec, 3, linear ? 2 : 0);
      const rng = new Rng(4);
      for (let t = 0; t < 200; t++) {
        const x = linear ? [1, rng.float()] : null;
        updateBandit(s, chooseArm(s, x, rng), rng.chance(0.3) ? 1 : 0, x);
      }
      const back = banditFromArtifact(decodeArtifact(encodeArtifact(banditToArtifact(s))));
      expect(back).toEqual(s);
      const a = new Rng(9);
      const b = new Rng(9);
      for (let t = 0; t < 50; t++) {
        const x = linear ? [1, t / 50] : null;
        expect(chooseArm(back, x, b)).toBe(chooseArm(s, x, a));
      }
    });
  }
});

describe('bad input', () => {
  it('refuses one arm, an unknown policy, bad parameters, a reward outside [0, 1], an unknown arm', () => {
    expect(() => createBandit({ kind: 'thompson' }, 1)).toThrow(/at least 2 arms \(got 1\)/);
    expect(() => createBandit({ kind: 'softmax' } as unknown as BanditSpec, 2)).toThrow(
      /unknown bandit policy 'softmax'/,
    );
    expect(() => createBandit({ kind: 'epsilon-greedy', epsilon: 1.5 }, 2)).toThrow(
      /epsilon must be in \[0, 1\]/,
    );
    expect(() => createBandit({ kind: 'thompson', priorAlpha: 0 }, 2)).toThrow(
      /priorAlpha must be a positive/,
    );
    expect(() => createBandit({ kind: 'linucb' }, 2)).toThrow(/needs a context of at least 1/);
    const s = createBandit({ kind: 'ucb1' }, 2);
    expect(() => updateBandit(s, 0, 1.5, null)).toThrow(/reward must be a number in \[0, 1\] \(got 1.5\)/);
    expect(() => updateBandit(s, 2, 1, null)).toThrow(/arm 2 is not one of the policy's 2 arms/);
  });
});

describe('replay (Li et al. 2011)', () => {
  it('keeps only the events where the policy agrees with the log, and learns only from them', () => {
    // epsilon 0, arm 0 ahead (1/1 vs 0/1): it plays arm 0 throughout (means 2/2, 2/3, 3/4 stay above 0)
    const s = createBandit({ kind: 'epsilon-greedy', epsilon: 0 }, 2) as ContextFreeState;
    feed(s, [
      [0, 1],
      [1, 0],
    ]);
    const r = replay(s, { arms: [0, 1, 0, 0], rewards: [1, 1, 0, 1] }, null, new Rng(0));
    expect([...r.rewards]).toEqual([1, 0, 1]);
    expect([...r.events]).toEqual([0, 2, 3]);
    expect([...s.pulls]).toEqual([4, 1]);
    expect(meanReward(r.rewards)).toBeCloseTo(2 / 3, 12);
  });

  it('follows the given order', () => {
    const s = createBandit({ kind: 'epsilon-greedy', epsilon: 0 }, 2);
    feed(s, [
      [0, 1],
      [1, 0],
    ]);
    const r = replay(s, { arms: [0, 1, 0, 0], rewards: [1, 1, 0, 1] }, [3, 1, 2, 0], new Rng(0));
    expect([...r.events]).toEqual([3, 2, 0]);
    expect([...r.steps]).toEqual([0, 2, 3]);
    // second half of the stream = positions 2 and 3: rewards 0 (event 2) and 1 (event 0)
    expect(secondHalfMean(r)).toBeCloseTo(0.5, 12);
  });

  it('mean of the later part and cumulative regret by hand', () => {
    expect(meanReward([0, 1, 1, 0, 1], 2)).toBeCloseTo(2 / 3, 12);
    const regret = cumulativeRegret([1, 0, 0, 1], 0.5);
    [-0.5, 0, 0.5, 0].forEach((v, i) => expect(regret[i]!).toBeCloseTo(v, 12));
  });
});

describe('off-policy value (IPS, self-normalised IPS)', () => {
  it('by hand: rewards 1, 0, 1, 1; logging 0.5, 0.5, 0.25, 0.25; target 1, 0, 1, 0', () => {
    const v = offPolicyValue([1, 0, 1, 1], [0.5, 0.5, 0.25, 0.25], [1, 0, 1, 0]);
    // weights 2, 0, 4, 0: IPS = 6 / 4, SNIPS = 6 / 6, ESS = 6^2 / 20
    expect(v.ips).toBeCloseTo(1.5, 12);
    expect(v.snips).toBeCloseTo(1, 12);
    expect(v.effectiveSampleSize).toBeCloseTo(1.8, 12);
    // sample sd of (2, 0, 4, 0) is sqrt(11 / 3); over sqrt(4)
    expect(v.ipsStandardError).toBeCloseTo(Math.sqrt(11 / 12), 12);
  });

  it('refuses a logging probability of 0 and mismatched lengths', () => {
    expect(() => offPolicyValue([1], [0], [1])).toThrow(/event 0 has logging probability 0/);
    expect(() => offPolicyValue([1, 0], [0.5], [1, 1])).toThrow(/2 rewards, 1 logging and 2 target/);
  });
});
