import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalUpperTail } from '../special/normal.js';
import { newcombeDifference, twoProportionTest, wilsonInterval } from './proportions.js';

/**
 * References produced on this machine with Debian's python3-statsmodels 0.13.5 and scipy 1.10.1
 * (/usr/bin/python3):
 *   from statsmodels.stats.proportion import proportions_ztest, confint_proportions_2indep
 *   proportions_ztest([xB, xA], [nB, nA])                                   -> z, p (B minus A)
 *   confint_proportions_2indep(xB, nB, xA, nA, method='wald', compare='diff') -> low, high
 *   scipy.stats.norm.cdf / norm.sf / norm.ppf                               -> the normal values
 */
const STATSMODELS: [[number, number], [number, number], number, number, number, number][] = [
  [
    [120, 1000],
    [150, 1000],
    1.963049807622355,
    0.04964038686536878,
    7.60288212977786e-5,
    0.05992397117870222,
  ],
  [
    [189, 11034],
    [104, 11037],
    -5.001388204008378,
    5.691896973740836e-7,
    -0.010724297276960126,
    -0.004687750675049438,
  ],
  [[30, 500], [52, 480], 2.731620175335238, 0.006302375153631856, 0.013600237992225046, 0.08306642867444164],
  [[5, 200], [9, 210], 0.9952150518262727, 0.31963168269066045, -0.01705059577590643, 0.05276488149019214],
  [[400, 5000], [400, 5000], 0, 1, -0.010634497998553344, 0.010634497998553344],
];

const CDF: [number, number, number][] = [
  [-40, 0, 1],
  [-8.5, 9.47953482220325e-18, 1],
  [-5, 2.866515718791933e-7, 0.9999997133484281],
  [-1.959963984540054, 0.025, 0.975],
  [-1, 0.15865525393145707, 0.8413447460685429],
  [-0.3, 0.3820885778110474, 0.6179114221889526],
  [0, 0.5, 0.5],
  [0.3, 0.6179114221889526, 0.3820885778110474],
  [1, 0.8413447460685429, 0.15865525393145707],
  [3, 0.9986501019683699, 0.0013498980316300933],
  [8, 0.9999999999999993, 6.22096057427174e-16],
  [10, 1, 7.61985302416047e-24],
  [-6, 9.865876450376946e-10, 0.9999999990134123],
  [-7.034483825301131, 1.0000000000000066e-12, 0.999999999999],
  [2.5, 0.9937903346742238, 0.006209665325776132],
];

const PPF: [number, number][] = [
  [1e-12, -7.034483825301131],
  [1e-6, -4.753424308822899],
  [0.001, -3.090232306167813],
  [0.02, -2.053748910631823],
  [0.025, -1.9599639845400545],
  [0.1, -1.2815515655446004],
  [0.5, 0],
  [0.8, 0.8416212335729143],
  [0.975, 1.959963984540054],
  [0.99, 2.3263478740408408],
  [0.999999, 4.753424308817087],
];

const close = (got: number | null | undefined, want: number, rel = 1e-12): void => {
  expect(got).not.toBeNull();
  expect(Math.abs(got! - want)).toBeLessThanOrEqual(rel * Math.max(Math.abs(want), 1e-300) + 1e-16);
};

describe('the standard normal', () => {
  it.each(CDF)('cdf and upper tail at %d match scipy', (x, cdf, sf) => {
    close(normalCdf(x), cdf, 1e-13);
    close(normalUpperTail(x), sf, 1e-13);
  });
  it.each(PPF)('quantile at %d matches scipy', (p, x) => {
    expect(Math.abs(normalQuantile(p) - x)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(x)));
  });
  it('gives the infinite ends and refuses probabilities outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(/\[0, 1\]/);
  });
});

describe('twoProportionTest', () => {
  it('works out a hand-computed case: A 20/100, B 40/100', () => {
    // pooled p = 60/200 = 0.3; se0 = sqrt(0.3 * 0.7 * (1/100 + 1/100)) = sqrt(0.0042) = 0.0648074;
    // z = 0.2 / 0.0648074 = 3.086067; p = 2 P(Z > 3.086067) = 0.0020282.
    // se1 = sqrt(0.2 * 0.8 / 100 + 0.4 * 0.6 / 100) = sqrt(0.004) = 0.0632456;
    // CI = 0.2 -+ 1.959964 * 0.0632456 = (0.076041, 0.323959).
    // MDE = (1.959964 + 0.841621) * 0.0648074 = 0.181563 < 0.2, so the sample is big enough;
    // required per arm = 7.848880 * 2 * 0.21 / 0.04 = 82.41 -> 83.
    const t = twoProportionTest({ successes: 20, trials: 100 }, { successes: 40, trials: 100 });
    close(t.difference, 0.2);
    close(t.relativeDifference, 1);
    close(t.z, 3.086066999241839, 1e-12);
    close(t.pValue, 0.0020282311484520745, 1e-11);
    close(t.ci![0], 0.07604099353908768, 1e-12);
    close(t.ci![1], 0.32395900646091236, 1e-12);
    close(t.mde, 0.18156347343082574, 1e-12);
    expect(t.requiredPerArm).toBe(83);
    expect(t.verdict).toBe('b_better');
    expect(t.reason).toMatch(/^B is better by 20%/);
  });

  it.each(STATSMODELS)('agrees with statsmodels for A %j, B %j', (a, b, z, p, lo, hi) => {
    const t = twoProportionTest({ successes: a[0], trials: a[1] }, { successes: b[0], trials: b[1] });
    expect(Math.abs(t.z! - z)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(z)));
    close(t.pValue, p, 1e-10);
    close(t.ci![0], lo, 1e-10);
    close(t.ci![1], hi, 1e-10);
  });

  it('reproduces the aspirin / heart attack interval of a published example', () => {
    // Physicians' Health Study: myocardial infarction in 189 of 11,034 on placebo, 104 of 11,037
    // on aspirin. Agresti, An Introduction to Categorical Data Analysis (2nd ed., 2007), section
    // 2.2: difference 0.0077, 95% interval 0.0077 -+ 1.96 (0.0015) = (0.005, 0.011).
    const t = twoProportionTest({ successes: 104, trials: 11037 }, { successes: 189, trials: 11034 });
    expect(t.difference!.toFixed(4)).toBe('0.0077');
    expect(t.ci!.map((v) => v.toFixed(3))).toEqual(['0.005', '0.011']);
    expect(t.verdict).toBe('b_better');
  });

  it('says too small to tell below the minimum detectable effect', () => {
    // 120/1000 vs 150/1000: p = 0.0496 < 0.05, yet the MDE at 80% power is
    // 2.801585 * sqrt(0.135 * 0.865 * 0.002) = 0.042815 > 0.03: significant by a hair, underpowered.
    const t = twoProportionTest({ successes: 120, trials: 1000 }, { successes: 150, trials: 1000 });
    close(t.mde, 2.8015852181129683 * Math.sqrt(0.135 * 0.865 * 0.002), 1e-12);
    expect(t.verdict).toBe('too_small');
    expect(t.reason).toMatch(/below the minimum detectable effect 4\.28% at 80% power; about 2,037 per arm/);
    // required per arm = 7.848880 * 2 * 0.135 * 0.865 / 0.03^2 = 2036.78 -> 2037.
    expect(t.requiredPerArm).toBe(Math.ceil((7.848879734349088 * 2 * 0.135 * 0.865) / 0.0009));
  });

  it('says too small to tell with fewer than 10 successes or failures in an arm', () => {
    const t = twoProportionTest({ successes: 5, trials: 200 }, { successes: 9, trials: 210 });
    expect(t.verdict).toBe('too_small');
    expect(t.reason).toContain('arm A has 5 successes, arm B has 9 successes');
    const allClicked = twoProportionTest({ successes: 95, trials: 100 }, { successes: 50, trials: 100 });
    expect(allClicked.reason).toContain('arm A has 5 failures');
  });

  it('calls an identical pair too small to tell (a zero difference needs an infinite sample)', () => {
    const t = twoProportionTest({ successes: 400, trials: 5000 }, { successes: 400, trials: 5000 });
    expect(t.z).toBe(0);
    expect(t.pValue).toBe(1);
    expect(t.requiredPerArm).toBeNull();
    expect(t.verdict).toBe('too_small');
  });

  it('handles empty arms and constant rates without NaN', () => {
    const none = twoProportionTest({ successes: 0, trials: 0 }, { successes: 3, trials: 10 });
    expect(none).toMatchObject({ rateA: null, rateB: 0.3, z: null, ci: null, verdict: 'too_small' });
    const zeros = twoProportionTest({ successes: 0, trials: 50 }, { successes: 0, trials: 60 });
    expect(zeros).toMatchObject({ z: null, pValue: null, mde: 0, difference: 0, verdict: 'too_small' });
  });

  it('refuses counts that are not counts', () => {
    expect(() => twoProportionTest({ successes: 5, trials: 3 }, { successes: 1, trials: 2 })).toThrow(
      /arm A: successes must be a whole number from 0 to trials \(3\), got 5/,
    );
    expect(() => twoProportionTest({ successes: 1, trials: 2 }, { successes: 1, trials: -1 })).toThrow(
      /arm B/,
    );
    expect(() =>
      twoProportionTest({ successes: 1, trials: 2 }, { successes: 1, trials: 2 }, { alpha: 2 }),
    ).toThrow(/alpha/);
  });
});

/**
 * statsmodels 0.13.5 (Debian python3-statsmodels, /usr/bin/python3):
 *   proportion_confint(x, n, alpha=0.05, method='wilson')
 *   confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff', alpha=0.05)
 */
const WILSON: [number, number, number, number][] = [
  [3, 10, 0.10779126740630104, 0.6032218525388546],
  [0, 10, 0.0, 0.27753279986288926],
  [10, 10, 0.7224672001371106, 1.0],
  [5, 20, 0.11186170140766563, 0.4687008776187441],
  [1, 4, 0.0455872608097006, 0.6993581574175982],
];
const NEWCOMBE: [[number, number], [number, number], number, number][] = [
  [[3, 10], [5, 20], -0.24116021492725442, 0.3832051641182649],
  [[2, 3], [1, 4], -0.22568077837486666, 0.7567876870495462],
  [[0, 50], [3, 40], -0.1986423352431055, 0.011646270916476312],
  [[120, 1000], [150, 1000], -0.06000825857012657, -1.3782434204051563e-5],
];

describe('wilsonInterval and newcombeDifference', () => {
  it('match statsmodels', () => {
    for (const [x, n, lo, hi] of WILSON) {
      const w = wilsonInterval(x, n)!;
      expect(w[0]).toBeCloseTo(lo, 12);
      expect(w[1]).toBeCloseTo(hi, 12);
    }
    for (const [[x1, n1], [x2, n2], lo, hi] of NEWCOMBE) {
      const d = newcombeDifference({ successes: x1, trials: n1 }, { successes: x2, trials: n2 })!;
      expect(d.difference).toBeCloseTo(x1 / n1 - x2 / n2, 15);
      expect(d.ci[0]).toBeCloseTo(lo, 12);
      expect(d.ci[1]).toBeCloseTo(hi, 12);
    }
  });

  it('is empty without trials and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(newcombeDifference({ successes: 0, trials: 0 }, { successes: 1, trials: 2 })).toBeNull();
    expect(() => wilsonInterval(3, 2)).toThrow(
      /successes must be a whole number from 0 to trials \(2\), got 3/,
    );
  });
});
