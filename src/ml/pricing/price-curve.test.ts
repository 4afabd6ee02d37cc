import { describe, expect, it } from 'vitest';
import { bestPrice, demandCurve } from './price-curve.js';

const now = { price: 10, units: 5 };
const elastic = { elasticity: -2, lo95: -2.5, hi95: -1.5 };

describe('bestPrice and demandCurve (constant elasticity)', () => {
  it('elastic demand: the best revenue is at the lower bound; units 5 (8/10)^-2 = 7.8125', () => {
    const s = bestPrice(elastic, now, [8, 12]);
    expect(s.objective).toBe('revenue');
    expect(s.price).toBe(8);
    expect(s.at.units).toBeCloseTo(7.8125, 12);
    expect(s.at.revenue).toBeCloseTo(62.5, 12);
    expect(s.current.revenue).toBe(50);
    // The band: the elasticity's interval ends, 5 x 0.8^-1.5 and 5 x 0.8^-2.5.
    expect(s.at.unitsLo95).toBeCloseTo(5 * 0.8 ** -1.5, 12);
    expect(s.at.unitsHi95).toBeCloseTo(5 * 0.8 ** -2.5, 12);
  });

  it('inelastic demand: the upper bound', () => {
    expect(bestPrice({ elasticity: -0.5, lo95: -0.9, hi95: -0.1 }, now, [8, 12]).price).toBe(12);
  });

  it('margin with a cost: the Lerner price cost b / (1 + b), clipped to the bounds', () => {
    // b = -2, cost 4: 4 x -2 / -1 = 8; margin (8 - 4) x 7.8125 = 31.25.
    const s = bestPrice(elastic, now, [6, 12], 4);
    expect(s.objective).toBe('margin');
    expect(s.price).toBeCloseTo(8, 12);
    expect(s.at.margin).toBeCloseTo(31.25, 12);
    expect(bestPrice(elastic, now, [9, 12], 4).price).toBe(9);
    expect(bestPrice({ elasticity: -0.8, lo95: -1, hi95: -0.6 }, now, [6, 12], 4).price).toBe(12);
  });

  it('the curve: evenly spaced prices over the bounds, the current price on it gives the current units', () => {
    const c = demandCurve(elastic, now, [8, 12], 5);
    expect(c.map((p) => p.price)).toEqual([8, 9, 10, 11, 12]);
    expect(c[2]).toMatchObject({ units: 5, unitsLo95: 5, unitsHi95: 5, revenue: 50 });
    for (const p of c) expect(p.unitsLo95 <= p.units && p.units <= p.unitsHi95).toBe(true);
    expect(demandCurve(elastic, now, [10, 10])).toHaveLength(1);
    expect(() => bestPrice(elastic, now, [12, 8])).toThrow(/bounds/);
  });
});
