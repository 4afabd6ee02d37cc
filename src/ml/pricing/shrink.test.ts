import { describe, expect, it } from 'vitest';
import { poolEstimates, shrinkTowards } from './shrink.js';

describe('poolEstimates (DerSimonian-Laird) and shrinkTowards (empirical Bayes)', () => {
  it('hand-computed: -1, -2, -4 with standard errors 1', () => {
    // Fixed-effect mean -7/3; Q = (4/3)^2 + (1/3)^2 + (5/3)^2 = 42/9; tau^2 = (42/9 - 2) / (3 - 1) = 4/3;
    // weights 1 / (1 + 4/3) = 3/7 each: mean -7/3, se sqrt(7/9).
    const c = poolEstimates([
      { estimate: -1, se: 1 },
      { estimate: -2, se: 1 },
      { estimate: -4, se: 1 },
    ])!;
    expect(c.estimate).toBeCloseTo(-7 / 3, 12);
    expect(c.tau2).toBeCloseTo(4 / 3, 12);
    expect(c.se).toBeCloseTo(Math.sqrt(7) / 3, 12);
    expect(c.count).toBe(3);
    // B = 1 / (1 + 4/3) = 3/7: (4/7)(-4) + (3/7)(-7/3) = -23/7; variance (4/7) 1 + (9/49)(7/9) = 5/7.
    const s = shrinkTowards({ estimate: -4, se: 1 }, c);
    expect(s.estimate).toBeCloseTo(-23 / 7, 12);
    expect(s.se).toBeCloseTo(Math.sqrt(5 / 7), 12);
    expect(s.ownWeight).toBeCloseTo(4 / 7, 12);
    // A precise product keeps almost all of its own estimate: B = 0.01 / (0.01 + 4/3).
    const precise = shrinkTowards({ estimate: -4, se: 0.1 }, c);
    expect(precise.ownWeight).toBeCloseTo(1 - 0.01 / (0.01 + 4 / 3), 12);
  });

  it('estimates that agree within their noise pool completely (tau^2 = 0): a product gets the category', () => {
    const c = poolEstimates([
      { estimate: -1, se: 1 },
      { estimate: -2, se: 1 },
      { estimate: -3, se: 1 },
    ])!;
    // Q = 2 = k - 1: no spread beyond the noise.
    expect(c.tau2).toBe(0);
    expect(c.estimate).toBeCloseTo(-2, 12);
    expect(c.se).toBeCloseTo(1 / Math.sqrt(3), 12);
    const s = shrinkTowards({ estimate: -3, se: 1 }, c);
    expect(s).toEqual({ estimate: c.estimate, se: c.se, ownWeight: 0 });
  });

  it('fewer than 3 usable estimates: no category estimate', () => {
    expect(
      poolEstimates([
        { estimate: -1, se: 1 },
        { estimate: -2, se: 0 },
        { estimate: -2, se: 1 },
      ]),
    ).toBeNull();
  });
});
