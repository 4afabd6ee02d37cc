/**
 * @module ml/forecast/simple
 * The baselines a merchant uses: the same weekday last week (seasonal naive) and the mean of the
 * last k days (moving average). Neither has parameters to fit.
 *
 * @example
 *   seasonalNaive.fit(Float64Array.of(1, 2, 3, 4), 2).forecast(3); // [3, 4, 3]
 *   movingAverage(2).fit(Float64Array.of(1, 2, 3, 5), 1).forecast(2); // [4, 4]
 */
import { statelessFit, type Fitted, type Forecaster } from './types.js';

export const seasonalNaive: Forecaster = {
  name: 'seasonal-naive',
  minLength: (m) => m,
  fit(y, m): Fitted {
    const forecastFrom = (t: number, h: number, out: Float64Array): void => {
      for (let j = 0; j < h; j++) out[j] = y[t - m + (j % m)]!;
    };
    return statelessFit('seasonal-naive', y.length, m, forecastFrom, (y2) => seasonalNaive.fit(y2, m));
  },
};

/** The mean of the last `window` values (fewer when the series is shorter), flat over the horizon. */
export function movingAverage(window: number, name = `moving-average-${window}`): Forecaster {
  const self: Forecaster = {
    name,
    minLength: () => 1,
    fit(y, m): Fitted {
      const forecastFrom = (t: number, h: number, out: Float64Array): void => {
        const from = Math.max(0, t - window);
        let sum = 0;
        for (let i = from; i < t; i++) sum += y[i]!;
        out.fill(sum / (t - from), 0, h);
      };
      return statelessFit(name, y.length, 1, forecastFrom, (y2) => self.fit(y2, m));
    },
  };
  return self;
}
