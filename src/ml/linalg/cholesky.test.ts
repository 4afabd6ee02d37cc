import { describe, expect, it } from 'vitest';
import { choleskyInPlace, choleskySolveInPlace } from './cholesky.js';
import { gramPlusRidge } from './gram.js';

describe('small dense Cholesky', () => {
  it('factors and solves a hand-computed 2 x 2 system', () => {
    // [[4,2],[2,3]] = L L^T with L = [[2,0],[1,sqrt 2]]; A^-1 [2,1] = [0.5, 0].
    const a = Float64Array.of(4, 2, 2, 3);
    choleskyInPlace(a, 2);
    expect(a[0]).toBe(2);
    expect(a[2]).toBe(1);
    expect(a[3]).toBeCloseTo(Math.SQRT2, 15);
    const b = Float64Array.of(2, 1);
    choleskySolveInPlace(a, 2, b);
    expect(b[0]).toBeCloseTo(0.5, 15);
    expect(b[1]).toBeCloseTo(0, 15);
  });

  it('refuses a matrix that is not positive definite', () => {
    expect(() => choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite \(pivot 1/);
  });

  it('builds Y^T Y + ridge I', () => {
    // Y = [[1,2],[3,4]]: Y^T Y = [[10,14],[14,20]].
    expect(Array.from(gramPlusRidge(Float32Array.of(1, 2, 3, 4), 2, 2, 0.5))).toEqual([10.5, 14, 14, 20.5]);
  });
});
