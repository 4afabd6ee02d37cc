import { describe, expect, it } from 'vitest';
import { bottomUp, reconcileMinT, shrunkCovariance } from './reconcile.js';

const total = { bottom: 2, aggregates: [Int32Array.of(0, 1)] };

describe('reconciliation', () => {
  it('bottom-up: the aggregates are the sums of the bottom forecasts', () => {
    const out = bottomUp(total, [Float64Array.of(6, 5), Float64Array.of(3, 6)]);
    expect(out.map((f) => Array.from(f))).toEqual([
      [9, 11],
      [6, 5],
      [3, 6],
    ]);
  });

  it('MinT with a diagonal W, by hand: the incoherence is shared in proportion to the variances', () => {
    // Base: total 10, bottom 6 and 3: incoherence d = 10 - 9 = 1. W = diag(1, 2, 3): C W C' = 6, and
    // y~ = y^ - W C' d / 6 = [10 - 1/6, 6 + 2/6, 3 + 3/6].
    const w = Float64Array.of(1, 0, 0, 0, 2, 0, 0, 0, 3);
    const out = reconcileMinT(total, [Float64Array.of(10), Float64Array.of(6), Float64Array.of(3)], w);
    expect(out[0]![0]).toBeCloseTo(10 - 1 / 6, 12);
    expect(out[1]![0]).toBeCloseTo(6 + 2 / 6, 12);
    expect(out[2]![0]).toBeCloseTo(3.5, 12);
  });

  it('two aggregates (total and a group of two of three bottoms): every constraint holds after MinT', () => {
    const h = { bottom: 3, aggregates: [Int32Array.of(0, 1, 2), Int32Array.of(0, 1)] };
    // An SPD W: B B' + I for a fixed B.
    const n = 5;
    const b = [0.3, -0.2, 0.5, 0.1, 0.4, 0.2, -0.3, 0.6, 0.1, -0.1];
    const w = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) w[i * n + j] = b[i]! * b[j]! + b[i + 5]! * b[j + 5]! + (i === j ? 1 : 0);
    }
    const base = [
      Float64Array.of(20, 22),
      Float64Array.of(12, 9),
      Float64Array.of(5, 4),
      Float64Array.of(4, 6),
      Float64Array.of(7, 8),
    ];
    const out = reconcileMinT(h, base, w);
    for (let k = 0; k < 2; k++) {
      expect(out[0]![k]).toBeCloseTo(out[2]![k]! + out[3]![k]! + out[4]![k]!, 10);
      expect(out[1]![k]).toBeCloseTo(out[2]![k]! + out[3]![k]!, 10);
    }
    // Already coherent forecasts are left alone.
    const coherent = bottomUp(h, [Float64Array.of(5), Float64Array.of(4), Float64Array.of(7)]);
    expect(reconcileMinT(h, coherent, w).map((f) => f[0])).toEqual(coherent.map((f) => f[0]));
  });

  it("MinT-shrink equals hts' shrink.estim and the S form (fixtures/mint_shrink.py)", () => {
    const x = Float64Array.of(
      1.0,
      0.6,
      0.5,
      -0.5,
      -0.2,
      -0.4,
      2.0,
      1.1,
      0.7,
      -1.5,
      -0.9,
      -0.4,
      0.3,
      0.4,
      -0.2,
      -0.8,
      -0.5,
      -0.1,
    );
    const { cov, lambda } = shrunkCovariance(x, 3);
    expect(lambda).toBeCloseTo(REF.lambda, 12);
    REF.W.flat().forEach((v, i) => expect(cov[i]).toBeCloseTo(v, 12));
    const out = reconcileMinT(
      total,
      [Float64Array.of(10, 12), Float64Array.of(6, 5), Float64Array.of(3, 6)],
      cov,
    );
    REF.reconciled.forEach((row, i) => row.forEach((v, k) => expect(out[i]![k]).toBeCloseTo(v, 10)));
  });
});

/** Output of `/usr/bin/python3 src/ml/forecast/fixtures/mint_shrink.py` (numpy). */
const REF = {
  lambda: 0.2153283649160577,
  W: [
    [1.3716666666666668, 0.6238139498917342, 0.3557178079047205],
    [0.6238139498917342, 0.4716666666666667, 0.19355233665403912],
    [0.3557178079047205, 0.19355233665403912, 0.18500000000000005],
  ],
  reconciled: [
    [9.140760676677399, 11.140760676677399],
    [6.090726046790752, 5.090726046790752],
    [3.0500346298866465, 6.050034629886647],
  ],
};
