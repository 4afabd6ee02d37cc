import { describe, expect, it } from 'vitest';
import { fitEtsByAicc } from './ets-select.js';
import { ForecastInputError } from './types.js';

describe('fitEtsByAicc', () => {
  it('refuses a series too short for every ETS variant as input, so a level skips it with the reason', () => {
    // 4 values: fewer than any variant's parameters plus one (the 4,000-series bench met such a product).
    const fit = (): unknown => fitEtsByAicc(Float64Array.of(1, 2, 3, 4), 7);
    expect(fit).toThrow(ForecastInputError);
    expect(fit).toThrow('no ETS variant could be fitted to a series of 4 values');
  });
});
