import { describe, expect, it } from 'vitest';
import { withNumericParams } from './numeric-params.js';

describe('numeric hyper-parameters', () => {
  it('overrides known names and refuses unknown names or non-numbers', () => {
    expect(withNumericParams({ factors: 64, reg: 0.01 }, { reg: 0.1 }, 'als')).toEqual({
      factors: 64,
      reg: 0.1,
    });
    expect(withNumericParams({ factors: 64 }, undefined, 'als')).toEqual({ factors: 64 });
    expect(() => withNumericParams({ factors: 64 }, { factor: 8 }, 'als')).toThrow(
      "als: unknown hyper-parameter 'factor' (known: factors)",
    );
    expect(() => withNumericParams({ factors: 64 }, { factors: 'x' }, 'als')).toThrow(
      /must be a finite number, got x/,
    );
  });
});
