import { describe, expect, it } from 'vitest';
import { recorded } from '../../../eval/reference/recorded.js';
import { bgNbdConditionalExpected } from './bg-nbd.js';
import { customerLifetimeValue, discountedExpectedPurchases } from './lifetime-value.js';

const BG = { model: 'bgnbd', params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 } } as const;
const GG = { p: 6.25, q: 3.74, gamma: 15.44 };
const WEEKS = { horizon: 52, period: 4.345, discountRate: 0.01 };

describe('customerLifetimeValue', () => {
  it('matches a lifetimes-style loop written in python with scipy (CDNOW units: weeks)', () => {
    // scipy: sum over periods of 4.345 weeks (the 12th partial, up to 52) of the increase in
    // E[Y(t) | x, t_x, T] discounted by 1.01^k, times p (gamma + x m) / (p x + q - 1).
    const v = customerLifetimeValue(
      BG,
      GG,
      { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 },
      WEEKS,
    );
    expect(v).toBeCloseTo(CLV_X2, 8);
    const zero = customerLifetimeValue(BG, GG, { frequency: 0, recency: 0, T: 38.86, monetary: 0 }, WEEKS);
    expect(zero).toBeCloseTo(CLV_X0, 8);
  });
  it('without discounting equals expected purchases over the horizon times expected spend', () => {
    const e = bgNbdConditionalExpected(BG.params, 52, 2, 30.43, 38.86);
    expect(discountedExpectedPurchases(BG, 2, 30.43, 38.86, { ...WEEKS, discountRate: 0 })).toBeCloseTo(
      e,
      12,
    );
  });
  it('discounting lowers the value and a zero horizon is worth nothing', () => {
    const d0 = discountedExpectedPurchases(BG, 2, 30.43, 38.86, { ...WEEKS, discountRate: 0 });
    expect(discountedExpectedPurchases(BG, 2, 30.43, 38.86, WEEKS)).toBeLessThan(d0);
    expect(discountedExpectedPurchases(BG, 2, 30.43, 38.86, { ...WEEKS, horizon: 0 })).toBe(0);
  });
  it('refuses a non-positive period', () => {
    expect(() => discountedExpectedPurchases(BG, 1, 1, 2, { period: 0 })).toThrow(/period must be > 0/);
  });
});

/** Computed by eval/reference/clv_lifetime_value.py (python3 + scipy), recorded beside it. */
const { clvX2: CLV_X2, clvX0: CLV_X0 } = recorded<{ clvX2: number; clvX0: number }>(
  'clv_lifetime_value',
).figures;
