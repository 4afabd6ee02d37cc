import { describe, expect, it } from 'vitest';
import { applyBins, binLookup, binOf, binRows, fitBins, sortFloats } from './binning.js';

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

  it('the bin lookup gives the bins of binOf, also at the edges of float32', () => {
    // Thresholds crowded into one lookup bucket (1 + k/2^20 share their top 16 bits), at 0, at the
    // ends of the range; values on, just beside and between them, signed zeros, infinities,
    // subnormals and NaN.
    const thr = Float64Array.from([
      -3e38,
      -2,
      -1e-30,
      0,
      1e-40,
      0.75,
      ...Array.from({ length: 40 }, (_, k) => 1 + k / 2 ** 20),
      5,
      3e38,
    ]);
    const edge = [
      -Infinity,
      -3.4e38,
      -3e38,
      -2,
      -1.5,
      -1e-30,
      -1e-45,
      -0,
      0,
      1e-45,
      1e-40,
      0.75,
      5,
      3e38,
      3.4e38,
    ];
    const crowded = Array.from({ length: 90 }, (_, k) => 1 + (k - 5) / 2 ** 21);
    const x = Float32Array.from([...edge, ...crowded, Infinity, NaN]);
    const lookup = binLookup([thr]);
    const out = new Uint8Array(x.length);
    binRows([thr], lookup, x, 0, out, x.length, 0, x.length);
    expect(Array.from(out)).toEqual(Array.from(x, (v) => binOf(thr, v)));
    expect(new Set(out).size).toBeGreaterThan(40); // the crowded bucket really holds many bins
  });

  it('sortFloats orders float32 values as Float32Array.prototype.sort does', () => {
    const special = [-Infinity, -3.4e38, -1, -1e-40, -0, 0, 1e-40, 1, 3.4e38, Infinity, 0.5, -0.5, 2, 2];
    let s = 7;
    const random = Array.from({ length: 5000 }, () => {
      s = (s * 1103515245 + 12345) >>> 0;
      return ((s >>> 8) / 2 ** 24 - 0.5) * 10 ** ((s % 9) - 4);
    });
    const values = Float32Array.from([...special, ...random]);
    const want = Float32Array.from(values).sort();
    const got = sortFloats(Float32Array.from(values), new Float32Array(values.length));
    expect(Array.from(got).map((v) => (Object.is(v, -0) ? '-0' : v))).toEqual(
      Array.from(want).map((v) => (Object.is(v, -0) ? '-0' : v)),
    );
  });
});
