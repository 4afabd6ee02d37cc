/**
 * @module ml/metrics/proportions
 * Comparing two rates (click-through, conversion) between an A and a B arm: the two-proportion
 * z-test, the confidence interval of the difference, the minimum detectable effect, and a verdict
 * that says "too small to tell" when the sample cannot support one.
 *
 * Definitions (the same as statsmodels, whose outputs the tests hold as literals):
 * - z-test: z = (pB - pA) / sqrt(p(1 - p)(1/nA + 1/nB)), p the pooled rate (xA + xB)/(nA + nB) (the
 *   variance under H0: no difference); two-sided p-value 2 P(Z > |z|)
 *   (`statsmodels.stats.proportion.proportions_ztest`).
 * - interval: the Wald interval of pB - pA with the unpooled variance pA qA/nA + pB qB/nB
 *   (`confint_proportions_2indep(..., method='wald', compare='diff')`).
 * - minimum detectable effect (MDE) at the given power: (z_(1-alpha/2) + z_power)
 *   sqrt(p(1 - p)(1/nA + 1/nB)), with the pooled p: the smallest true difference this test finds
 *   with that probability. requiredPerArm = the equal arm size at which the MDE equals the observed
 *   difference: (z_(1-alpha/2) + z_power)^2 2 p(1 - p) / d^2 (Lehr's rule, n = 16 p q / d^2 per arm at
 *   alpha 0.05 and 80% power, is this formula rounded: van Belle, Statistical Rules of Thumb, 2nd
 *   ed., rule 2.3).
 *
 * - wilsonInterval, newcombeDifference: score intervals of one rate and of a difference of two rates
 *   (used by the fairness report, ml/metrics/fairness.ts, where groups can be small and rates near 0).
 *
 * Verdict, in this order:
 * 1. `too_small`: an arm has fewer than `minCount` (10) successes or failures, where the normal
 *    approximation behind the test is poor (the n p >= 10 and n (1 - p) >= 10 rule of thumb); or
 *    |pB - pA| < MDE, i.e. the arms are smaller than needed to detect the observed difference at the
 *    stated power (this includes an observed difference of 0).
 * 2. `b_better` / `a_better`: p-value below alpha.
 * 3. `no_significant_difference`: enough data for the observed difference, yet p >= alpha (possible
 *    only in a narrow band, since an arm at the required size already gives |z| near 2.8).
 *
 * @example
 *   const t = twoProportionTest({ successes: 120, trials: 1000 }, { successes: 150, trials: 1000 });
 *   t.difference; t.ci; t.pValue; // 0.03, [0.000076, 0.0599], 0.0496
 *   t.verdict; // 'too_small': the MDE at 80% power is 0.0428 > 0.03 (about 2,037 per arm needed)
 */
import { normalQuantile, normalUpperTail } from '../special/normal.js';

export interface ProportionArm {
  /** Trials that succeeded (clicks, conversions). */
  readonly successes: number;
  /** Trials (impressions, requests). */
  readonly trials: number;
}

export interface TwoProportionOptions {
  /** Significance level, two-sided (default 0.05); the interval is at 1 - alpha. */
  readonly alpha?: number;
  /** Power for the minimum detectable effect (default 0.8). */
  readonly power?: number;
  /** Fewest successes and failures per arm for the normal approximation (default 10). */
  readonly minCount?: number;
}

export type ProportionVerdict = 'too_small' | 'a_better' | 'b_better' | 'no_significant_difference';

export interface TwoProportionTest {
  /** successes / trials of each arm (null without trials). */
  readonly rateA: number | null;
  readonly rateB: number | null;
  /** rateB - rateA (null when an arm has no trials). */
  readonly difference: number | null;
  /** difference / rateA (null when rateA is 0 or unknown). */
  readonly relativeDifference: number | null;
  /** The z statistic (null when it is undefined: an arm without trials, or a pooled rate of 0 or 1). */
  readonly z: number | null;
  /** Two-sided p-value (null with z). */
  readonly pValue: number | null;
  /** 1 - alpha. */
  readonly confidence: number;
  /** [low, high] of the difference at `confidence` (null when an arm has no trials). */
  readonly ci: readonly [number, number] | null;
  /** Minimum detectable effect (absolute difference) at `power` for these arm sizes. */
  readonly mde: number | null;
  readonly power: number;
  /** Trials per arm needed to detect the observed difference (null when it is 0 or undefined). */
  readonly requiredPerArm: number | null;
  readonly verdict: ProportionVerdict;
  /** The verdict in words, with the numbers behind it. */
  readonly reason: string;
}

function checkArm(name: string, arm: ProportionArm): void {
  const { successes: x, trials: n } = arm;
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`arm ${name}: trials must be a whole number >= 0, got ${n}`);
  if (!Number.isInteger(x) || x < 0 || x > n) {
    throw new RangeError(`arm ${name}: successes must be a whole number from 0 to trials (${n}), got ${x}`);
  }
}

const pct = (v: number): string => `${(Math.round(v * 10_000) / 100).toString()}%`;

export function twoProportionTest(
  a: ProportionArm,
  b: ProportionArm,
  options: TwoProportionOptions = {},
): TwoProportionTest {
  const alpha = options.alpha ?? 0.05;
  const power = options.power ?? 0.8;
  const minCount = options.minCount ?? 10;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(power > 0 && power < 1)) throw new RangeError(`power must be in (0, 1), got ${power}`);
  checkArm('A', a);
  checkArm('B', b);
  const confidence = 1 - alpha;
  const empty = (reason: string): TwoProportionTest => ({
    rateA: a.trials ? a.successes / a.trials : null,
    rateB: b.trials ? b.successes / b.trials : null,
    difference: null,
    relativeDifference: null,
    z: null,
    pValue: null,
    confidence,
    ci: null,
    mde: null,
    power,
    requiredPerArm: null,
    verdict: 'too_small',
    reason,
  });
  if (a.trials === 0 || b.trials === 0) return empty('too small to tell: an arm has no trials');

  const pA = a.successes / a.trials;
  const pB = b.successes / b.trials;
  const d = pB - pA;
  const pooled = (a.successes + b.successes) / (a.trials + b.trials);
  const zAlpha = normalQuantile(1 - alpha / 2);
  const zPower = normalQuantile(power);
  const se0 = Math.sqrt(pooled * (1 - pooled) * (1 / a.trials + 1 / b.trials));
  const se1 = Math.sqrt((pA * (1 - pA)) / a.trials + (pB * (1 - pB)) / b.trials);
  const z = se0 > 0 ? d / se0 : null;
  const pValue = z === null ? null : Math.min(1, 2 * normalUpperTail(Math.abs(z)));
  const mde = (zAlpha + zPower) * se0;
  const requiredPerArm =
    d !== 0 && pooled > 0 && pooled < 1
      ? Math.ceil(((zAlpha + zPower) ** 2 * 2 * pooled * (1 - pooled)) / (d * d))
      : null;

  const few: string[] = [];
  for (const [name, arm] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (arm.successes < minCount) few.push(`arm ${name} has ${arm.successes} successes`);
    if (arm.trials - arm.successes < minCount)
      few.push(`arm ${name} has ${arm.trials - arm.successes} failures`);
  }
  let verdict: ProportionVerdict;
  let reason: string;
  if (few.length) {
    verdict = 'too_small';
    reason = `too small to tell: ${few.join(', ')} (each arm needs at least ${minCount} of both for the normal approximation)`;
  } else if (Math.abs(d) < mde) {
    verdict = 'too_small';
    reason =
      `too small to tell: the observed difference ${pct(d)} is below the minimum detectable effect ` +
      `${pct(mde)} at ${Math.round(power * 100)}% power` +
      (requiredPerArm === null
        ? ''
        : `; about ${requiredPerArm.toLocaleString('en-US')} per arm would be needed`);
  } else if (pValue !== null && pValue < alpha) {
    verdict = d > 0 ? 'b_better' : 'a_better';
    reason = `${d > 0 ? 'B' : 'A'} is better by ${pct(Math.abs(d))} (p = ${pValue.toPrecision(3)} < ${alpha})`;
  } else {
    verdict = 'no_significant_difference';
    reason = `no significant difference (p = ${pValue === null ? 'n/a' : pValue.toPrecision(3)} >= ${alpha})`;
  }
  return {
    rateA: pA,
    rateB: pB,
    difference: d,
    relativeDifference: pA > 0 ? d / pA : null,
    z,
    pValue,
    confidence,
    ci: [d - zAlpha * se1, d + zAlpha * se1],
    mde,
    power,
    requiredPerArm,
    verdict,
    reason,
  };
}

/**
 * Wilson score interval of one proportion x / n at 1 - alpha (null without trials): the interval
 * of p for which |x/n - p| <= z sqrt(p(1 - p)/n), i.e.
 *   centre (x/n + z^2/2n) / (1 + z^2/n), half-width z/(1 + z^2/n) sqrt(p q/n + z^2/4n^2).
 * Unlike the Wald interval it stays inside [0, 1] and is not empty at x = 0 or x = n
 * (statsmodels `proportion_confint(method='wilson')`).
 */
export function wilsonInterval(x: number, n: number, alpha = 0.05): readonly [number, number] | null {
  checkArm('x/n', { successes: x, trials: n });
  if (n === 0) return null;
  const z = normalQuantile(1 - alpha / 2);
  const p = x / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export interface DifferenceInterval {
  /** x1/n1 - x2/n2. */
  readonly difference: number;
  readonly ci: readonly [number, number];
}

/**
 * Newcombe's hybrid score interval (Newcombe 1998, Statistics in Medicine 17:873, method 10) of
 * p1 - p2 for two independent proportions, from the Wilson intervals [l1, u1], [l2, u2]:
 *   low  = d - sqrt((p1 - l1)^2 + (u2 - p2)^2),  high = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * Chosen over Wald because groups can be small and rates near 0 (a TPR at a 2% review rate): the
 * Wald interval then collapses to a point at x = 0. Null when either side has no trials.
 * (statsmodels `confint_proportions_2indep(method='newcomb', compare='diff')`.)
 */
export function newcombeDifference(
  a: ProportionArm,
  b: ProportionArm,
  alpha = 0.05,
): DifferenceInterval | null {
  const w1 = wilsonInterval(a.successes, a.trials, alpha);
  const w2 = wilsonInterval(b.successes, b.trials, alpha);
  if (w1 === null || w2 === null) return null;
  const p1 = a.successes / a.trials;
  const p2 = b.successes / b.trials;
  const d = p1 - p2;
  return {
    difference: d,
    ci: [d - Math.hypot(p1 - w1[0], w2[1] - p2), d + Math.hypot(w1[1] - p1, p2 - w2[0])],
  };
}
