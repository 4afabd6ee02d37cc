import { describe, expect, it } from 'vitest';
import {
  buildHistogram,
  histogramLength,
  packRowWords,
  SLOTS,
  SPARSE_NODE,
  subtractHistogram,
  wordGroups,
} from './histogram.js';

describe('buildHistogram', () => {
  // 13 features exercise the 8-at-a-time, 4-at-a-time and single-feature passes.
  const rows = 100;
  const cols = 13;
  const bins = Uint8Array.from({ length: rows * cols }, (_, i) => (i * 37) % 5);
  const gh = Float32Array.from({ length: rows * 2 }, (_, i) => (i % 2 ? 0.25 : (i % 7) - 3));
  const features = Int32Array.from({ length: cols }, (_, i) => i);
  const words = new Uint32Array(rows * wordGroups(cols));
  packRowWords(bins, rows, cols, words, 0, rows);
  /** The gradient pairs by position, as the partition keeps them (ordered[2k] = gh[2 rowIndex[k]]). */
  const input = (rowIndex: Uint32Array) => {
    const ordered = new Float32Array(rowIndex.length * 2);
    rowIndex.forEach((r, k) => ordered.set([gh[2 * r]!, gh[2 * r + 1]!], 2 * k));
    return { rows, cols, bins, words, ordered, rowIndex };
  };

  /** Sums by hand: for each listed row, add its gradient pair to its bin of every feature. */
  function naive(rowList: number[]): Float64Array {
    const h = new Float64Array(histogramLength(cols));
    for (const r of rowList) {
      for (let f = 0; f < cols; f++) {
        const b = (f * SLOTS + bins[f * rows + r]!) * 2;
        h[b]! += gh[2 * r]!;
        h[b + 1]! += gh[2 * r + 1]!;
      }
    }
    return h;
  }

  it('sums gradients and hessians per feature and bin over the node rows', () => {
    const index = Uint32Array.from([3, 4, 9, 17, 20, 21, 33, 48]);
    const h = new Float64Array(histogramLength(cols)).fill(99); // stale values must be cleared
    buildHistogram(h, input(index), 2, 7, features);
    const real = cols * SLOTS * 2; // the spare feature after them holds padding
    expect(Array.from(h.subarray(0, real))).toEqual(Array.from(naive([9, 17, 20, 21, 33]).subarray(0, real)));
  });

  it('every remainder of a pass of eight (padded passes, single features) leaves others untouched', () => {
    const index = Uint32Array.from({ length: rows }, (_, i) => i);
    const want = naive(Array.from({ length: rows }, (_, i) => i));
    // 1..13 features: remainders 1 (single), 2-4 (a pass of four), 5-7 (a padded pass of eight).
    for (let n = 1; n <= cols; n++) {
      const listed = Int32Array.from({ length: n }, (_, i) => (i * 5) % cols).sort();
      const h = new Float64Array(histogramLength(cols)).fill(99);
      buildHistogram(h, input(index), 0, rows, listed);
      for (let f = 0; f < cols; f++) {
        const slice = (a: Float64Array) => Array.from(a.subarray(f * SLOTS * 2, (f + 1) * SLOTS * 2));
        if (listed.includes(f)) expect(slice(h)).toEqual(slice(want));
        else expect(slice(h).every((v) => v === 99)).toBe(true);
      }
    }
  });

  it('parent minus one child is the other child, exactly when the gradients sit on a grid', () => {
    // Gradients -3..3 and hessians 0.25 are multiples of 2^-2: every sum is exact.
    const all = Uint32Array.from({ length: rows }, (_, i) => i);
    const parent = new Float64Array(histogramLength(cols));
    buildHistogram(parent, input(all), 0, rows, features);
    const left = new Float64Array(histogramLength(cols));
    buildHistogram(left, input(all), 0, 20, features);
    subtractHistogram(parent, left, features);
    const right = naive(Array.from({ length: rows - 20 }, (_, i) => i + 20));
    const real = cols * SLOTS * 2;
    expect(Array.from(parent.subarray(0, real))).toEqual(Array.from(right.subarray(0, real)));
  });

  it('a small node is read from the row-major words: the same sums, and every listed feature right', () => {
    // One row of 100 is under 1/SPARSE_NODE of them, so these take the words.
    expect(1 * SPARSE_NODE).toBeLessThan(rows);
    const index = Uint32Array.from([7, 31, 2]); // position 1 holds row 31
    for (let n = 1; n <= cols; n++) {
      const listed = Int32Array.from({ length: n }, (_, i) => (i * 5) % cols).sort();
      const h = new Float64Array(histogramLength(cols)).fill(99);
      buildHistogram(h, input(index), 1, 2, listed);
      const want = naive([31]);
      for (const f of listed) {
        const slice = (a: Float64Array) => Array.from(a.subarray(f * SLOTS * 2, (f + 1) * SLOTS * 2));
        expect(slice(h)).toEqual(slice(want));
      }
    }
  });

  it('packs four features to a word, the first in the low byte, unused bytes 0', () => {
    expect(wordGroups(13)).toBe(4);
    const r = 9;
    const w = words[r * 4 + 3]!; // features 12 (and padding 13-15)
    expect(w & 255).toBe(bins[12 * rows + r]);
    expect(w >>> 8).toBe(0);
    const w0 = words[r * 4]!;
    expect([w0 & 255, (w0 >>> 8) & 255, (w0 >>> 16) & 255, w0 >>> 24]).toEqual(
      [0, 1, 2, 3].map((f) => bins[f * rows + r]),
    );
  });
});
