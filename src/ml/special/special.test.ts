import { describe, expect, it } from 'vitest';
import { lgamma, logBeta } from './gamma.js';
import { hyp2f1, logHyp2f1 } from './hypergeometric.js';
import { logAddExp, logSubExp } from './log-sum-exp.js';

/** Reference values from scipy 1.17 (scipy.special.gammaln / betaln / hyp2f1), recorded as literals. */
const LGAMMA: [number, number][] = [
  [1e-8, 18.42068073818021],
  [0.001, 6.907178885383853],
  [0.243, 1.3180435846996699],
  [0.5, 0.5723649429247],
  [1, 0],
  [1.5, -0.12078223763524526],
  [2, 0],
  [2.5, 0.2846828704729192],
  [3.7, 1.428072326665388],
  [10, 12.801827480081469],
  [31.4, 76.02795626236883],
  [171.5, 709.1431630309283],
  [1000, 5905.220423209181],
  [1e6, 12815504.569147611],
  [1e12, 26631021115915.65],
];

const HYP2F1: [number, number, number, number, number][] = [
  [1, 1, 2, 0.5, 1.3862943611198901],
  [3.1595, 1.6061, 4.1595, 0.025566575266952114, 1.0320503291633243],
  [1.2, 1.6, 2.2, 0.9, 6.20562407959166],
  [3, 4.5, 3.2, 0.95, 364083.1792248511],
  [12.5, 13, 13.5, 0.3, 73.07656874947878],
  [5.243, 7.426, 7.219, 0.8958945937056655, 212865.12062691513],
  [0.5, -1.3, 2.5, 0.7, 0.8271294652054066],
];

describe('lgamma', () => {
  it.each(LGAMMA)('lgamma(%d) matches scipy', (x, want) => {
    expect(Math.abs(lgamma(x) - want)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(want)));
  });
  it('gives Infinity at the poles and NaN for NaN', () => {
    expect(lgamma(0)).toBe(Infinity);
    expect(lgamma(-2)).toBe(Infinity);
    expect(lgamma(NaN)).toBeNaN();
  });
  it('satisfies lgamma(x + 1) = lgamma(x) + log x', () => {
    for (const x of [0.01, 0.7, 3.3, 50.5]) expect(lgamma(x + 1)).toBeCloseTo(lgamma(x) + Math.log(x), 12);
  });
});

describe('logBeta', () => {
  it.each([
    [2, 3, -2.4849066497880004],
    [0.793, 2.426, -0.5115692885937031],
    [100, 200, -192.134192274979],
    [0.001, 5, 6.905672657062074],
    [6.25, 3.74, -6.084705740212388],
  ])('logBeta(%d, %d) matches scipy', (a, b, want) => {
    expect(Math.abs(logBeta(a, b) - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
  });
});

describe('hyp2f1', () => {
  it.each(HYP2F1)('2F1(%d, %d; %d; %d) matches scipy', (a, b, c, z, want) => {
    expect(Math.abs(hyp2f1(a, b, c, z) - want) / Math.abs(want)).toBeLessThan(1e-12);
  });
  it('is 1 at z = 0', () => expect(hyp2f1(2, 3, 4, 0)).toBe(1));
  it('logHyp2f1 stays finite where 2F1 itself would overflow a double', () => {
    // scipy: log(hyp2f1(60.5, 61, 61.5, 0.99)) = 276.31842523465554; and a value far past 1e308:
    expect(logHyp2f1(60.5, 61, 61.5, 0.99)).toBeCloseTo(276.31842523465554, 9);
    const big = logHyp2f1(800, 801, 801.5, 0.99);
    expect(Number.isFinite(big) && big > 709).toBe(true);
  });
  it('refuses z outside [0, 1) and c at a pole', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/0 <= z < 1/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/undefined/);
  });
});

describe('log-sum-exp', () => {
  it('adds and subtracts in log space without underflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 15);
    expect(logSubExp(Math.log(5), Math.log(3))).toBeCloseTo(Math.log(2), 15);
    expect(logAddExp(-1000, -1000)).toBeCloseTo(-1000 + Math.log(2), 12);
    expect(logAddExp(-Infinity, 1)).toBe(1);
    expect(logSubExp(4, 4)).toBe(-Infinity);
    expect(() => logSubExp(1, 2)).toThrow(RangeError);
  });
});
