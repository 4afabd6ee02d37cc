import { describe, expect, it } from 'vitest';
import { croston, crostonForecast } from './croston.js';

// y = 0, 2, 0, 0, 4 with alpha = beta = 0.1, by hand:
// first demand at t=1: z = 2, p = 2 (periods up to and including it), d = 1/2.
// t=2, t=3 no demand: TSB d = 0.5 - 0.1*0.5 = 0.45, then 0.45 - 0.045 = 0.405.
// t=4 demand 4 after 3 periods: z = 2 + 0.1*(4-2) = 2.2, p = 2 + 0.1*(3-2) = 2.1, d = 0.405 + 0.1*(1-0.405) = 0.4645.
const y = Float64Array.of(0, 2, 0, 0, 4);

describe('Croston, SBA and TSB against hand-computed values', () => {
  it('Croston: z/p = 2.2/2.1', () => expect(crostonForecast(y, 'croston')).toBeCloseTo(2.2 / 2.1, 12));
  it('SBA: (1 - alpha/2) z/p', () => expect(crostonForecast(y, 'sba')).toBeCloseTo(0.95 * (2.2 / 2.1), 12));
  it('TSB: d z = 0.4645 * 2.2', () => expect(crostonForecast(y, 'tsb')).toBeCloseTo(0.4645 * 2.2, 12));
  it('TSB decays after demand stops, Croston does not', () => {
    const stopped = Float64Array.of(3, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(crostonForecast(stopped, 'croston')).toBeCloseTo(3, 12);
    expect(crostonForecast(stopped, 'tsb')).toBeCloseTo(3 * 0.9 ** 10, 12);
  });
  it('an all-zero series forecasts 0 (documented), never NaN', () => {
    const fit = croston('croston').fit(new Float64Array(10), 7);
    expect(Array.from(fit.forecast(3))).toEqual([0, 0, 0]);
  });
  it('forecastFrom(t) uses only y[0..t)', () => {
    const fit = croston('croston').fit(y, 1);
    const out = new Float64Array(2);
    fit.forecastFrom(2, 2, out);
    expect(Array.from(out)).toEqual([1, 1]); // z 2, p 2
  });
});
