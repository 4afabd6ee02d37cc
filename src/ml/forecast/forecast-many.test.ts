import { describe, expect, it } from 'vitest';
import { forecastSeries } from './forecast-series.js';
import { forecastMany, MIN_SERIES_PER_THREAD } from './forecast-many.js';

describe('forecastMany', () => {
  it('on two worker threads: the same forecasts as one by one, in the input order, and the reasons of series it cannot use', async () => {
    const length = 60;
    const count = 2 * MIN_SERIES_PER_THREAD + 3;
    const values = new Float64Array(count * length);
    for (let i = 0; i < count; i++) {
      for (let t = 0; t < length; t++)
        values[i * length + t] = ((i * 31 + t * 7) % 11) + (t % 7 === 3 ? 5 : 0);
    }
    values[5 * length + 9] = NaN; // series 5 cannot be forecast
    const options = { model: 'auto', season: 7, horizon: 5 };
    let progress = 0;
    const out = await forecastMany(values, length, count, options, {
      threads: 2,
      onSeries: (d) => (progress = d),
    });
    expect(progress).toBe(count);
    expect(out[5]).toEqual({ ok: false, reason: 'value 9 of the series is not a finite number (NaN)' });
    for (const i of [0, 1, 2, 64, 130]) {
      const one = forecastSeries(values.subarray(i * length, (i + 1) * length), options);
      expect(out[i]).toEqual({ ok: true, forecast: one });
    }
  }, 60_000);
});
