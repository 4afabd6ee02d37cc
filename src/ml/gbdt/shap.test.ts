import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { predictMargin, type GbdtModel } from './model.js';
import { gbdtContributions, topContributions } from './shap.js';
import { trainGbdt } from './train.js';
import type { Tree } from './tree.js';

/**
 * Brute-force Shapley values of the cover-weighted conditional expectation that TreeSHAP defines:
 * v(S) follows x at splits on features in S and averages the branches by cover otherwise. Sums
 * over all 2^M subsets, independent of the path algebra in shap.ts.
 */
function bruteForce(model: GbdtModel, x: Float32Array): Float64Array {
  const m = model.cols;
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const value = (t: Tree, node: number, mask: number): number => {
    const l = t.left[node]!;
    if (l < 0) return t.value[node]!;
    const r = t.right[node]!;
    const f = t.feature[node]!;
    if (mask & (1 << f)) {
      const v = x[f]!;
      const goLeft = v !== v ? t.defaultLeft[node] === 1 : v <= t.threshold[node]!;
      return value(t, goLeft ? l : r, mask);
    }
    return (t.cover[l]! * value(t, l, mask) + t.cover[r]! * value(t, r, mask)) / (t.cover[l]! + t.cover[r]!);
  };
  const v = (mask: number): number => model.trees.reduce((s, t) => s + value(t, 0, mask), model.baseScore);
  const phi = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) {
    for (let mask = 0; mask < 1 << m; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let j = 0; j < m; j++) if (mask & (1 << j)) size++;
      const w = (fact(size) * fact(m - size - 1)) / fact(m);
      phi[i]! += w * (v(mask | (1 << i)) - v(mask));
    }
  }
  phi[m] = v(0);
  return phi;
}

describe('gbdtContributions (TreeSHAP)', () => {
  it('a stump, by hand: the split feature gets leaf - expected value', () => {
    // Regression, x = 1..4, y = 0 0 0 8, one split at 3.5 (lambda 0, eta 1): base = 2,
    // leaves -2 (cover 3) and +6 (cover 1); expected tree value = (3(-2) + 6) / 4 = 0.
    const m = trainGbdt({
      features: Float32Array.of(1, 2, 3, 4),
      rows: 4,
      cols: 1,
      labels: Float32Array.of(0, 0, 0, 8),
      params: {
        objective: 'regression',
        rounds: 1,
        maxDepth: 1,
        learningRate: 1,
        lambda: 0,
        minChildHessian: 0,
      },
    });
    const c = gbdtContributions(m, Float32Array.of(4, 1), 2);
    // Row x = 4: contribution 6 - 0 = 6, bias 2 (margin 8). Row x = 1: -2, bias 2 (margin 0).
    expect(Array.from(c)).toEqual([6, 2, -2, 2].map((v) => expect.closeTo(v, 6)));
  });

  it('equals brute-force Shapley values and sums to the margin (4 features, repeats, missing)', () => {
    const rng = new Rng(5);
    const n = 300;
    const d = 4;
    const x = new Float32Array(n * d);
    const y = new Float32Array(n);
    for (let r = 0; r < n; r++) {
      for (let f = 0; f < d; f++) x[r * d + f] = rng.chance(0.1) ? NaN : rng.normal();
      const a = x[r * d]! || 0;
      const b = x[r * d + 1]! || 0;
      y[r] =
        rng.float() < 1 / (1 + Math.exp(-(2 * a * b + Math.abs(a) - (x[r * d + 2]! > 0 ? 1 : 0)))) ? 1 : 0;
    }
    const model = trainGbdt({
      features: x,
      rows: n,
      cols: d,
      labels: y,
      params: { objective: 'binary', rounds: 5, maxDepth: 4, learningRate: 0.5, minChildHessian: 0.5 },
    });
    // The trees reuse features along a path, which is the case the unwind step exists for.
    const reuses = (t: Tree, node: number, seen: number[]): boolean =>
      t.left[node]! >= 0 &&
      (seen.includes(t.feature[node]!) ||
        reuses(t, t.left[node]!, [...seen, t.feature[node]!]) ||
        reuses(t, t.right[node]!, [...seen, t.feature[node]!]));
    expect(model.trees.some((t) => reuses(t, 0, []))).toBe(true);
    const rows = 25;
    const contribs = gbdtContributions(model, x.subarray(0, rows * d), rows);
    const margin = predictMargin(model, x.subarray(0, rows * d), rows);
    for (let r = 0; r < rows; r++) {
      const brute = bruteForce(model, x.subarray(r * d, (r + 1) * d));
      let sum = 0;
      for (let j = 0; j <= d; j++) {
        expect(contribs[r * (d + 1) + j]).toBeCloseTo(brute[j]!, 9);
        sum += contribs[r * (d + 1) + j]!;
      }
      expect(sum).toBeCloseTo(margin[r]!, 9);
    }
  });

  it('lists the top reasons by absolute contribution', () => {
    const c = Float64Array.of(0.1, -0.9, 0.4, 1.5, /* bias */ -2);
    expect(topContributions(c, 4, 0, 2)).toEqual([
      { feature: 3, contribution: 1.5 },
      { feature: 1, contribution: -0.9 },
    ]);
  });
});
