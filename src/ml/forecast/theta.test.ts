import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seasonalIndices } from './decompose.js';
import { fitTheta } from './theta.js';

/** statsmodels' ThetaModel(period=12, use_test=False).fit(use_mle=False), fixtures/ets_airline.py. */
const ref = JSON.parse(readFileSync(new URL('./fixtures/ets_airline.json', import.meta.url), 'utf8')) as {
  y: number[];
  theta: { b0: number; alpha: number; forecast: number[] };
};

describe('Theta reproduces statsmodels ThetaModel on the airline series', () => {
  const fit = fitTheta(Float64Array.from(ref.y), 12);
  it('slope, alpha and forecasts', () => {
    expect(fit.seasonKind).toBe('mul');
    expect(fit.b0).toBeCloseTo(ref.theta.b0, 8);
    expect(fit.alpha).toBeCloseTo(ref.theta.alpha, 4);
    const f = fit.forecast(24);
    for (let h = 0; h < 24; h++)
      expect(Math.abs(f[h]! - ref.theta.forecast[h]!) / ref.theta.forecast[h]!).toBeLessThan(1e-4);
  });
});

describe('classical decomposition, hand-computed', () => {
  it('additive, period 2: a series alternating +-1 around a line', () => {
    // y_t = t + (t even ? 1 : -1); the 2x2 centred average removes the alternation exactly.
    const y = Float64Array.from({ length: 8 }, (_, t) => t + (t % 2 === 0 ? 1 : -1));
    const s = seasonalIndices(y, 2, 'add');
    expect(s[0]).toBeCloseTo(1, 12);
    expect(s[1]).toBeCloseTo(-1, 12);
  });
});
