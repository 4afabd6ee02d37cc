import { describe, expect, it } from 'vitest';
import { backtestHierarchy } from './backtest-hierarchy.js';

const options = { horizon: 7, origins: 3, step: 7, season: 7 };

describe('backtestHierarchy', () => {
  it('scores base, bottom-up and MinT-shrink per level; bottom-up leaves the bottom level as it is', () => {
    // 3 bottom series over 84 days: weekly patterns with a little deterministic noise; the total is their sum.
    const n = 84;
    const count = 3;
    const bottom = new Float64Array(count * n);
    for (let b = 0; b < count; b++) {
      for (let t = 0; t < n; t++)
        bottom[b * n + t] = 10 * (b + 1) + ((t * (b + 2)) % 7) + ((t * 7919 + b) % 5) * 0.3;
    }
    const total = Float64Array.from(
      { length: n },
      (_, t) => bottom[t]! + bottom[n + t]! + bottom[2 * n + t]!,
    );
    const r = backtestHierarchy(total, bottom, count, options);
    expect(r).toMatchObject({ bottom: 3, origins: 3, horizon: 7 });
    expect(r.total.base.windows).toBe(3);
    expect(r.bottomLevel.base.windows).toBe(9);
    expect(r.bottomLevel['bottom-up']).toEqual(r.bottomLevel.base);
    expect(r.meanLambda).toBeGreaterThanOrEqual(0);
    expect(r.meanLambda).toBeLessThanOrEqual(1);
    for (const m of ['base', 'bottom-up', 'mint-shrink'] as const) {
      expect(Number.isFinite(r.total[m].mase), m).toBe(true);
      expect(Number.isFinite(r.bottomLevel[m].mase), m).toBe(true);
    }
  });

  it('bottom-up on the total: its error is the error of the summed bottom forecasts (seasonal bottoms, exact)', () => {
    // Bottoms that repeat every week exactly: every model that sees a season forecasts them without error,
    // so the bottom-up total is exact too.
    const n = 70;
    const bottom = new Float64Array(2 * n);
    for (let t = 0; t < n; t++) {
      bottom[t] = [3, 5, 7, 9, 11, 13, 4][t % 7]!;
      bottom[n + t] = [2, 2, 6, 6, 1, 1, 8][t % 7]!;
    }
    const total = Float64Array.from({ length: n }, (_, t) => bottom[t]! + bottom[n + t]!);
    const r = backtestHierarchy(total, bottom, 2, options);
    expect(r.total['bottom-up'].wape).toBeLessThan(1e-6);
    expect(r.bottomLevel.base.wape).toBeLessThan(1e-6);
  });

  it('refuses bottom series that do not add up to the total, and more than 1,000 of them', () => {
    const total = new Float64Array(70).fill(10);
    const bottom = new Float64Array(140).fill(4);
    expect(() => backtestHierarchy(total, bottom, 2, options)).toThrow(
      'the bottom series do not add up to the total on period 0 (8 vs 10)',
    );
    expect(() => backtestHierarchy(total, new Float64Array(70 * 1001), 1001, options)).toThrow(
      'a hierarchy backtest takes at most 1000 bottom series',
    );
  });
});
