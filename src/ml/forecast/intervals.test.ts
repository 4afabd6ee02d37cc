import { describe, expect, it } from 'vitest';
import { oneStepResiduals } from './intervals.js';
import { seasonalNaive } from './simple.js';

describe('oneStepResiduals', () => {
  it('signed y[t] - forecast from t, for the last origins; 0 before the first origin', () => {
    // Seasonal naive with period 2 forecasts y[t-2]: residuals at t = 2..5 are 2-1, 6-3, 4-2, 9-6.
    const y = Float64Array.of(1, 3, 2, 6, 4, 9);
    const fit = seasonalNaive.fit(y, 2);
    expect(Array.from(oneStepResiduals(fit, y, 3))).toEqual([3, 2, 3]);
    expect(Array.from(oneStepResiduals(fit, y, 6))).toEqual([0, 0, 1, 3, 2, 3]);
    expect(Array.from(oneStepResiduals(fit, y, 8))).toEqual([0, 0, 0, 0, 1, 3, 2, 3]);
  });
});
