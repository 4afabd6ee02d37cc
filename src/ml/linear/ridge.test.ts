import { describe, expect, it } from 'vitest';
import { predictRidge, trainRidge } from './ridge.js';

describe('ridge regression', () => {
  it('recovers an exact line without penalty', () => {
    const m = trainRidge({ features: Float32Array.of(0, 1, 2), rows: 3, cols: 1, targets: [1, 3, 5], l2: 0 });
    expect(m.coef[0]).toBeCloseTo(2, 10);
    expect(m.intercept).toBeCloseTo(1, 10);
    expect([...predictRidge(m, Float32Array.of(3, NaN), 2)].map((v) => +v.toFixed(10))).toEqual([7, 3]);
  });

  it('shrinks the standardised slope by n / (n + l2), the intercept stays the mean', () => {
    // x = 0,1,2 standardised: z = (x-1)/sqrt(2/3), sum z^2 = 3; w = sum z y / (3 + l2)
    // y = 1,3,5: sum z y = (-1*1 + 1*5) / sqrt(2/3) = 4 / 0.8165 = 4.89898; l2 = 3 -> w = 0.81650
    const m = trainRidge({ features: Float32Array.of(0, 1, 2), rows: 3, cols: 1, targets: [1, 3, 5], l2: 3 });
    expect(m.coef[0]! * m.scale[0]!).toBeCloseTo(4.898979486 / 6, 8);
    expect(m.intercept + m.coef[0]! * 1).toBeCloseTo(3, 10);
  });

  it('a constant feature gets coefficient 0; bad targets are refused', () => {
    const m = trainRidge({
      features: Float32Array.of(5, 0, 5, 1, 5, 2),
      rows: 3,
      cols: 2,
      targets: [1, 3, 5],
      l2: 0,
    });
    expect(m.coef[0]).toBe(0);
    expect(m.coef[1]).toBeCloseTo(2, 10);
    expect(() => trainRidge({ features: Float32Array.of(0), rows: 1, cols: 1, targets: [NaN] })).toThrow(
      /target NaN at row 0/,
    );
  });
});
