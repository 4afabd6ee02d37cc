/**
 * @module ml/bandit/replay
 * Offline evaluation of a bandit policy on a log collected by uniformly random choices, by the
 * replay method of Li, Chu, Langford & Wang (2011), "Unbiased offline evaluation of
 * contextual-bandit-based news article recommendation algorithms": walk the log in order; at each
 * event the policy chooses an arm for the event's context; when it matches the arm the log played,
 * the event's reward is the policy's reward and the policy learns from it; otherwise the event is
 * skipped and the policy learns nothing. With uniform logging over K arms about 1/K of the events
 * are kept, and the kept rewards are distributed as if the policy had run live (the paper's
 * Theorem 1), which is why the log must come from a randomised test such as Hillstrom's.
 *
 * @example
 *   const r = replay(createBandit({ kind: 'thompson' }, 3), { arms, rewards }, order, new Rng(0));
 *   secondHalfMean(r); // average reward of the kept events in the second half of the stream
 */
import type { Rng } from '../../core/random.js';
import { chooseArm, greedyArm, updateBandit } from './policy.js';
import type { BanditState } from './types.js';

export interface LoggedBandit {
  /** The arm the logging policy played, per event. */
  readonly arms: ArrayLike<number>;
  /** Its reward, per event, in [0, 1]. */
  readonly rewards: ArrayLike<number>;
  /** Row-major events x dims contexts (required by linear policies). */
  readonly contexts?: Float64Array;
  readonly dims?: number;
}

export interface ReplayResult {
  /** The rewards of the kept (matched) events, in the order they were kept. */
  readonly rewards: Float32Array;
  /** Index into the log of each kept event. */
  readonly events: Int32Array;
  /** Position in the stream (0 .. seen - 1) at which each kept event came. */
  readonly steps: Int32Array;
  /** Events looked at (the log's length, or the order's). */
  readonly seen: number;
}

function contextOf(log: LoggedBandit, i: number): Float64Array | null {
  if (!log.contexts || !log.dims) return null;
  return log.contexts.subarray(i * log.dims, (i + 1) * log.dims);
}

/**
 * Runs the policy over the log (in `order`, else as stored), learning from matched events; the
 * policy's state is updated in place.
 */
export function replay(
  policy: BanditState,
  log: LoggedBandit,
  order: ArrayLike<number> | null,
  rng: Rng,
): ReplayResult {
  const n = order ? order.length : log.arms.length;
  const rewards: number[] = [];
  const events: number[] = [];
  const steps: number[] = [];
  for (let t = 0; t < n; t++) {
    const i = order ? order[t]! : t;
    const x = contextOf(log, i);
    if (chooseArm(policy, x, rng) !== log.arms[i]) continue;
    const r = log.rewards[i]!;
    rewards.push(r);
    events.push(i);
    steps.push(t);
    updateBandit(policy, log.arms[i]!, r, x);
  }
  return {
    rewards: Float32Array.from(rewards),
    events: Int32Array.from(events),
    steps: Int32Array.from(steps),
    seen: n,
  };
}

/**
 * The arm a policy frozen now would play (greedy, no exploration, no learning) for each event of
 * `rows`: the target policy that inverse propensity scoring then evaluates.
 */
export function frozenChoices(
  policy: BanditState,
  log: LoggedBandit,
  rows: ArrayLike<number>,
  rng: Rng,
): Int32Array {
  const out = new Int32Array(rows.length);
  for (let t = 0; t < rows.length; t++) out[t] = greedyArm(policy, contextOf(log, rows[t]!), rng);
  return out;
}

/** Mean of `values[from..]`: the average reward over the later part of a replay. */
export function meanReward(values: ArrayLike<number>, from = 0): number {
  const start = Math.floor(from);
  let s = 0;
  for (let i = start; i < values.length; i++) s += values[i]!;
  return values.length > start ? s / (values.length - start) : NaN;
}

/** Average reward of the kept events that came in the second half of the stream (positions >= seen / 2). */
export function secondHalfMean(r: ReplayResult): number {
  let s = 0;
  let n = 0;
  for (let j = 0; j < r.steps.length; j++) {
    if (r.steps[j]! < r.seen / 2) continue;
    s += r.rewards[j]!;
    n++;
  }
  return n ? s / n : NaN;
}

/** Cumulative regret after each kept event against a fixed expected reward per play: t mu - sum of rewards. */
export function cumulativeRegret(rewards: ArrayLike<number>, best: number): Float64Array {
  const out = new Float64Array(rewards.length);
  let sum = 0;
  for (let t = 0; t < rewards.length; t++) {
    sum += rewards[t]!;
    out[t] = (t + 1) * best - sum;
  }
  return out;
}
