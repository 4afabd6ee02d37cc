import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { etsVariance, fitEts, type EtsSpec } from './ets.js';
import { withIntervals } from './intervals.js';

/** statsmodels' ETSModel fits, produced by fixtures/ets_airline.py (Debian's python3-statsmodels). */
interface Reference {
  readonly source: string;
  readonly y: number[];
  readonly fits: {
    readonly error: 'add' | 'mul';
    readonly trend: 'add' | null;
    readonly damped: boolean;
    readonly seasonal: 'add' | 'mul' | null;
    readonly params: Record<string, number>;
    readonly llf: number;
    readonly forecast: number[];
    readonly lo95: number[] | null;
    readonly hi95: number[] | null;
  }[];
}

const ref = JSON.parse(
  readFileSync(new URL('./fixtures/ets_airline.json', import.meta.url), 'utf8'),
) as Reference;
const y = Float64Array.from(ref.y);

function specOf(f: Reference['fits'][number]): EtsSpec {
  return {
    error: f.error === 'add' ? 'A' : 'M',
    trend: f.trend === null ? 'N' : f.damped ? 'Ad' : 'A',
    season: f.seasonal === null ? 'N' : f.seasonal === 'add' ? 'A' : 'M',
  };
}

describe('ETS reproduces statsmodels ETSModel on the airline passengers series', () => {
  it('the fixture is the airline series (144 months, total 40,363)', () => {
    expect(y.length).toBe(144);
    expect(y.reduce((a, b) => a + b, 0)).toBe(40363);
  });
  for (const f of ref.fits) {
    const spec = specOf(f);
    it(`ets(${spec.error},${spec.trend},${spec.season}): likelihood, parameters, initial states, forecasts`, () => {
      const fit = fitEts(y, 12, spec);
      // Same likelihood maximum (statsmodels' optimum is the reference; ours may not be below it).
      expect(fit.logLikelihood).toBeGreaterThan(f.llf - 1e-3);
      expect(fit.logLikelihood).toBeLessThan(f.llf + 1e-2);
      expect(fit.params.alpha).toBeCloseTo(f.params['smoothing_level']!, 3);
      if (spec.trend !== 'N') expect(fit.params.beta).toBeCloseTo(f.params['smoothing_trend']!, 3);
      if (spec.season !== 'N') expect(fit.params.gamma).toBeCloseTo(f.params['smoothing_seasonal']!, 3);
      if (spec.trend === 'Ad') expect(fit.params.phi).toBeCloseTo(f.params['damping_trend']!, 3);
      const level = f.params['initial_level']!;
      expect(Math.abs(fit.params.level - level) / level).toBeLessThan(1e-3);
      if (spec.season !== 'N') {
        // statsmodels' initial_seasonal.k is s_{-1-k}; ours are by slot: seasonals[i] = s_{i-12}.
        for (let k = 0; k < 12; k++) {
          const theirs = f.params[`initial_seasonal.${k}`]!;
          expect(Math.abs(fit.params.seasonals[11 - k]! - theirs)).toBeLessThan(
            spec.season === 'M' ? 1e-3 : 0.05,
          );
        }
      }
      const mean = fit.forecast(24);
      for (let h = 0; h < 24; h++)
        expect(Math.abs(mean[h]! - f.forecast[h]!) / f.forecast[h]!).toBeLessThan(5e-4);
      if (f.lo95 && f.hi95) {
        const fc = withIntervals(fit, y, 24);
        expect(fc.intervals).toBe('analytic');
        for (let h = 0; h < 24; h++) {
          expect(Math.abs(fc.lo95[h]! - f.lo95[h]!) / f.forecast[h]!).toBeLessThan(2e-3);
          expect(Math.abs(fc.hi95[h]! - f.hi95[h]!) / f.forecast[h]!).toBeLessThan(2e-3);
        }
      }
    });
  }
});

describe('ETS variances (Hyndman et al. 2008, table 6.1), hand-computed', () => {
  const params = {
    alpha: 0.5,
    beta: 0.1,
    gamma: 0.2,
    phi: 0.9,
    level: 0,
    trend: 0,
    seasonals: new Float64Array(4),
  };
  it('ETS(A,N,N): sigma^2 (1 + (h-1) alpha^2)', () => {
    const v = etsVariance({ error: 'A', trend: 'N', season: 'N' }, params, 2, 1, 3)!;
    expect(Array.from(v)).toEqual([2, 2 * 1.25, 2 * 1.5]);
  });
  it('ETS(A,Ad,A): c_j = alpha + beta (phi + ... + phi^j) + gamma [j mod m = 0]', () => {
    const v = etsVariance({ error: 'A', trend: 'Ad', season: 'A' }, params, 1, 2, 3)!;
    const c1 = 0.5 + 0.1 * 0.9;
    const c2 = 0.5 + 0.1 * (0.9 + 0.81) + 0.2;
    expect(v[0]).toBe(1);
    expect(v[1]).toBeCloseTo(1 + c1 * c1, 12);
    expect(v[2]).toBeCloseTo(1 + c1 * c1 + c2 * c2, 12);
  });
  it('has none for multiplicative error', () => {
    expect(etsVariance({ error: 'M', trend: 'N', season: 'N' }, params, 1, 1, 3)).toBeNull();
  });
});

describe('ETS refuses what it cannot fit', () => {
  it('a multiplicative model on a series with a zero', () => {
    expect(() => fitEts(Float64Array.of(1, 0, 2, 3, 4), 1, { error: 'M', trend: 'N', season: 'N' })).toThrow(
      /strictly positive series \(value 1 is 0\)/,
    );
  });
  it('a seasonal model on less than two seasons', () => {
    expect(() => fitEts(new Float64Array(13).fill(1), 7, { error: 'A', trend: 'N', season: 'A' })).toThrow(
      /needs at least 14 values, got 13/,
    );
  });
});
