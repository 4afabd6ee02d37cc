import { describe, expect, it } from 'vitest';
import { applyBins, binOf, fitBins } from './binning.js';

describe('binning', () => {
  it('gives each of few distinct values its own bin, cut half-way, and NaN bin 0', () => {
    // One feature: 1, 2, 2, 4, NaN -> cuts 1.5 and 3; bins 1, 2, 2, 3, 0.
    const x = Float32Array.of(1, 2, 2, 4, NaN);
    const cuts = fitBins(x, 5, 1, 255, 1);
    expect(Array.from(cuts.thresholds[0]!)).toEqual([1.5, 3]);
    expect(Array.from(applyBins(cuts, x, 5))).toEqual([1, 2, 2, 3, 0]);
  });

  it('cuts many values at quantiles: at most maxBins bins of about equal size', () => {
    const n = 10_000;
    const x = Float32Array.from({ length: n }, (_, i) => (i * 7919) % n); // a permutation of 0..n-1
    const cuts = fitBins(x, n, 1, 16, 1);
    expect(cuts.thresholds[0]!.length).toBe(15);
    const counts = new Array(17).fill(0);
    for (const b of applyBins(cuts, x, n)) counts[b]++;
    expect(counts[0]).toBe(0);
    for (let b = 1; b <= 16; b++) expect(Math.abs(counts[b] - n / 16)).toBeLessThanOrEqual(1);
  });

  it('a bin boundary is a value threshold: bin(v) <= b exactly when v <= thresholds[b - 1]', () => {
    const thr = Float64Array.of(-1, 0.5, 2);
    for (const v of [-3, -1, -0.99, 0.5, 0.51, 2, 2.01, 1e30, -Infinity, Infinity]) {
      for (let b = 1; b <= 3; b++) expect(binOf(thr, v) <= b).toBe(v <= thr[b - 1]!);
    }
    expect(binOf(thr, NaN)).toBe(0);
  });

  it('stores bins column-major', () => {
    // Two rows x two features, row-major in: [[1, 10], [2, 20]].
    const x = Float32Array.of(1, 10, 2, 20);
    const cuts = fitBins(x, 2, 2, 255, 1);
    expect(Array.from(applyBins(cuts, x, 2))).toEqual([1, 2, 1, 2]);
  });
});
