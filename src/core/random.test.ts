import { describe, expect, it } from 'vitest';
import { AliasTable, Rng, zipfWeights } from './random.js';

const N = 200_000;
function moments(draw: () => number, n = N): { mean: number; variance: number } {
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    sum += x;
    sq += x * x;
  }
  const mean = sum / n;
  return { mean, variance: sq / n - mean * mean };
}

describe('Rng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    const c = new Rng(8);
    const sa = Array.from({ length: 100 }, () => a.nextU32());
    expect(Array.from({ length: 100 }, () => b.nextU32())).toEqual(sa);
    expect(Array.from({ length: 100 }, () => c.nextU32())).not.toEqual(sa);
  });

  it('draws uniform floats in [0, 1) and integers in [0, n)', () => {
    const rng = new Rng(1);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < N; i++) {
      const u = rng.float();
      if (!(u >= 0 && u < 1)) outside++;
      else buckets[Math.floor(u * 10)]!++;
    }
    expect(outside).toBe(0);
    for (const b of buckets) expect(Math.abs(b / N - 0.1)).toBeLessThan(0.005);
    const ints = new Set(Array.from({ length: 1000 }, () => rng.int(5)));
    expect([...ints].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('samples gamma with mean shape*scale and variance shape*scale^2, also for shape < 1', () => {
    const rng = new Rng(2);
    for (const [shape, scale] of [
      [0.5, 2],
      [3, 1.5],
    ] as const) {
      const m = moments(() => rng.gamma(shape, scale));
      expect(m.mean).toBeCloseTo(shape * scale, 1);
      expect(m.variance / (shape * scale * scale)).toBeGreaterThan(0.95);
      expect(m.variance / (shape * scale * scale)).toBeLessThan(1.05);
    }
  });

  it('samples poisson with mean = variance = lambda, small and large lambda', () => {
    const rng = new Rng(3);
    for (const lambda of [0.7, 4, 35, 400]) {
      const m = moments(() => rng.poisson(lambda));
      expect(Math.abs(m.mean / lambda - 1)).toBeLessThan(0.02);
      expect(Math.abs(m.variance / lambda - 1)).toBeLessThan(0.05);
    }
  });

  it('samples lognormal with median exp(mu), beta and geometric with their means', () => {
    const rng = new Rng(4);
    const xs = Array.from({ length: 50_001 }, () => rng.lognormal(Math.log(20), 0.5)).sort((a, b) => a - b);
    expect(xs[25_000]! / 20).toBeCloseTo(1, 1);
    expect(moments(() => rng.beta(2, 6)).mean).toBeCloseTo(0.25, 2);
    expect(moments(() => rng.geometric(0.25)).mean).toBeCloseTo(3, 1);
    expect(moments(() => rng.normal()).variance).toBeCloseTo(1, 1);
  });
});

describe('AliasTable', () => {
  it('draws indices in proportion to their weights', () => {
    const rng = new Rng(5);
    const weights = [5, 0, 1, 4];
    const table = new AliasTable(weights);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < N; i++) counts[table.sample(rng)]!++;
    weights.forEach((w, k) => expect(Math.abs(counts[k]! / N - w / 10)).toBeLessThan(0.005));
  });

  it('gives Zipf popularity: rank 1 about twice rank 2 at exponent 1', () => {
    const rng = new Rng(6);
    const table = new AliasTable(zipfWeights(1000, 1));
    const counts = new Array<number>(1000).fill(0);
    for (let i = 0; i < N; i++) counts[table.sample(rng)]!++;
    expect(counts[0]! / counts[1]!).toBeCloseTo(2, 0);
    expect(counts[0]!).toBeGreaterThan(counts[9]! * 8);
  });

  it('refuses empty or invalid weights', () => {
    expect(() => new AliasTable([])).toThrow(/at least one/);
    expect(() => new AliasTable([1, -1])).toThrow(/not a finite non-negative/);
    expect(() => new AliasTable([0, 0])).toThrow(/positive total/);
  });
});
