import { describe, expect, it } from 'vitest';
import { CUSTOMER_FEATURES } from '../../features/customer-feature-defs.js';
import { nextOrderDays, OWN_RHYTHM_PRIOR, spendTiers, type ClvModel } from './clv.js';
import { riskBand, RISK_BANDS, SPEND_TIERS } from './params.js';
import { topReasons } from './reasons.js';
import { applyRfmRule, fitRfmRule } from './rfm-rule.js';
import { splitCustomers } from './split.js';

describe('risk bands and spend tiers', () => {
  it('states the thresholds and applies them', () => {
    expect(RISK_BANDS).toEqual({ medium: 0.4, high: 0.7 });
    expect([0, 0.399, 0.4, 0.69, 0.7, 1].map(riskBand)).toEqual([
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
    ]);
  });
  it('ranks spend: top 20% high, next 30% medium, rest low; ties share the better tier', () => {
    expect(SPEND_TIERS).toEqual({ high: 0.2, medium: 0.5 });
    // 10 customers: ranks 0,1 -> high (share < 0.2); 2..4 -> medium (< 0.5); 5..9 -> low.
    const spend = Float64Array.from([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(spendTiers(spend)).toEqual([
      'high',
      'high',
      'medium',
      'medium',
      'medium',
      'low',
      'low',
      'low',
      'low',
      'low',
    ]);
    // A tie across the high/medium edge: ranks 1 and 2 share rank 1 -> both high.
    const tied = Float64Array.from([10, 9, 9, 7, 6, 5, 4, 3, 2, 1]);
    expect(spendTiers(tied).slice(0, 4)).toEqual(['high', 'high', 'high', 'medium']);
  });
});

describe('RFM rule', () => {
  it('maps each R+F+M total to the smoothed training rate of the label', () => {
    const totals = Int32Array.from([3, 3, 3, 15, 15, 9]);
    const labels = Float32Array.from([1, 1, 0, 0, 0, 1]);
    const rule = fitRfmRule(totals, labels, Int32Array.from([0, 1, 2, 3, 4])); // row 5 is not training
    // base = 2/5; p(3) = (2 + 2*0.4) / (3 + 2) = 0.56; p(15) = (0 + 0.8) / 4 = 0.2; p(9) unseen = 0.4
    expect(rule.base).toBeCloseTo(0.4, 12);
    expect(Array.from(applyRfmRule(rule, Int32Array.from([3, 15, 9])))).toEqual([
      expect.closeTo(0.56, 12),
      expect.closeTo(0.2, 12),
      expect.closeTo(0.4, 12),
    ]);
  });
});

describe('split', () => {
  it('is fixed by the seed: 70/30 with a fifth of the 70% for the model choice, disjoint and complete', () => {
    const s = splitCustomers(3362, { seed: 42 });
    expect([s.train.length, s.select.length, s.test.length]).toEqual([1882, 471, 1009]);
    const all = new Set([...s.train, ...s.select, ...s.test]);
    expect(all.size).toBe(3362);
    expect(Array.from(splitCustomers(3362, { seed: 42 }).test)).toEqual(Array.from(s.test));
    expect(Array.from(splitCustomers(3362, { seed: 7 }).test)).not.toEqual(Array.from(s.test));
  });
});

describe('reasons', () => {
  const defs = ['recency_days', 'gap_mean_days', 'frequency', 'orders_90d'].map((n) =>
    CUSTOMER_FEATURES.find((f) => f.name === n)!,
  );
  const values = Float32Array.from([120, 40, 3, 0]);
  it('explains a high score by its largest pushes up, in words with context', () => {
    const contributions = Float64Array.from([1.2, -0.1, 0.3, 0.5, -0.4]); // last = bias
    expect(topReasons({ contributions, values, cols: 4, defs }, 0, 3)).toEqual([
      'no order for 120 days, 3x their usual gap',
      '0 orders in the last 90 days',
      '3 orders so far',
    ]);
  });
  it('explains a low score by its largest pushes down, and never says NaN', () => {
    const contributions = Float64Array.from([-0.2, -0.9, 0.1, 0, 0]);
    const missingGap = Float32Array.from([12, NaN, 1, 1]);
    expect(topReasons({ contributions, values: missingGap, cols: 4, defs }, 0, 3)).toEqual([
      'only one order day so far (no usual gap yet)',
      'no order for 12 days',
    ]);
  });
});

describe('next order', () => {
  // a large and b larger: almost nobody drops out, so E[Y(t)] ~ (r + x) / (alpha + T) * t.
  const model: Pick<ClvModel, 'purchases'> = {
    purchases: { model: 'bgnbd', params: { r: 1, alpha: 30, a: 1e-3, b: 1e3 } },
  };
  it('solves E[purchases in t] = 1, then blends in the own rhythm with weight x / (x + 0.5)', () => {
    // One order, T = 30: rate ~ (1 + 0) / (30 + 30) per day -> about 60 days.
    const first = nextOrderDays(model, 0, 0, 30, NaN, 30)!;
    expect(first).toBeGreaterThan(59);
    expect(first).toBeLessThan(61);
    // x = 3 gaps of 20 days, last order 5 days ago: own = 15 days left; model: (1+3)/(30+65) -> ~23.75.
    const t = nextOrderDays(model, 3, 60, 65, 20, 5)!;
    const modelOnly = nextOrderDays(model, 3, 60, 65, NaN, 5)!;
    expect(modelOnly).toBeCloseTo(95 / 4, 0);
    expect(OWN_RHYTHM_PRIOR).toBe(0.5);
    expect(t).toBeCloseTo((6 / 7) * 15 + (1 / 7) * modelOnly, 6); // w = 3 / 3.5
  });
  it('says "not expected" (null) when under one order is expected within two years', () => {
    const dying: Pick<ClvModel, 'purchases'> = {
      purchases: { model: 'bgnbd', params: { r: 0.1, alpha: 500, a: 5, b: 1 } },
    };
    expect(nextOrderDays(dying, 1, 10, 400, 10, 390)).toBeNull();
  });
});
