/**
 * @module ml/bandit/off-policy
 * The value of a target policy estimated from a log of another (the logging) policy whose
 * probabilities are known, by importance weighting. Each logged event i has the reward r_i of the
 * arm played, the logging probability p_i of that arm, and the target's probability q_i of the same
 * arm in the same context (1 or 0 for a deterministic target); w_i = q_i / p_i.
 *
 * - IPS (Horvitz & Thompson 1952): V = (1/n) sum w_i r_i, unbiased when every p_i > 0; its standard
 *   error is the sample sd of w_i r_i over sqrt(n).
 * - Self-normalised IPS (Swaminathan & Joachims 2015): V = sum w_i r_i / sum w_i, slightly biased,
 *   lower variance, and always within the range of the rewards. Under uniform logging and a
 *   deterministic target it equals the mean reward over the events where the target agrees with the
 *   log, i.e. the replay estimate of that (frozen) policy.
 *
 * Also the effective sample size (sum w)^2 / sum w^2 (Kong 1992): how many events the estimate
 * really rests on.
 *
 * @example
 *   offPolicyValue(rewards, Float64Array.from(rewards, () => 1 / 3), targetProb);
 */
import { BanditError } from './types.js';

export interface OffPolicyValue {
  readonly ips: number;
  readonly ipsStandardError: number;
  readonly snips: number;
  readonly effectiveSampleSize: number;
  readonly events: number;
}

export function offPolicyValue(
  rewards: ArrayLike<number>,
  loggingProbability: ArrayLike<number>,
  targetProbability: ArrayLike<number>,
): OffPolicyValue {
  const n = rewards.length;
  if (loggingProbability.length !== n || targetProbability.length !== n) {
    throw new BanditError(
      `off-policy value: ${n} rewards, ${loggingProbability.length} logging and ${targetProbability.length} target probabilities`,
    );
  }
  if (n === 0) throw new BanditError('off-policy value: the log is empty');
  let sumW = 0;
  let sumW2 = 0;
  let sumWR = 0;
  let sumWR2 = 0;
  for (let i = 0; i < n; i++) {
    const p = loggingProbability[i]!;
    const q = targetProbability[i]!;
    if (!(p > 0 && p <= 1)) {
      throw new BanditError(
        `off-policy value: event ${i} has logging probability ${p}; it must be in (0, 1]`,
      );
    }
    if (!(q >= 0 && q <= 1)) {
      throw new BanditError(`off-policy value: event ${i} has target probability ${q}; it must be in [0, 1]`);
    }
    const w = q / p;
    const wr = w * rewards[i]!;
    sumW += w;
    sumW2 += w * w;
    sumWR += wr;
    sumWR2 += wr * wr;
  }
  const ips = sumWR / n;
  const variance = n > 1 ? (sumWR2 - n * ips * ips) / (n - 1) : 0;
  return {
    ips,
    ipsStandardError: Math.sqrt(Math.max(0, variance) / n),
    snips: sumW > 0 ? sumWR / sumW : NaN,
    effectiveSampleSize: sumW2 > 0 ? (sumW * sumW) / sumW2 : 0,
    events: n,
  };
}
