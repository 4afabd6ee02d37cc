import { describe, expect, it } from 'vitest';
import { buildHistogram, histogramLength, SLOTS, subtractHistogram } from './histogram.js';

describe('buildHistogram', () => {
  // 13 features exercise the 8-at-a-time, 4-at-a-time and single-feature passes.
  const rows = 50;
  const cols = 13;
  const bins = Uint8Array.from({ length: rows * cols }, (_, i) => (i * 37) % 5);
  const gh = Float32Array.from({ length: rows * 2 }, (_, i) => (i % 2 ? 0.25 : (i % 7) - 3));
  const features = Int32Array.from({ length: cols }, (_, i) => i);

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
    buildHistogram(h, bins, rows, gh, index, 2, 7, features);
    expect(Array.from(h)).toEqual(Array.from(naive([9, 17, 20, 21, 33])));
  });

  it('parent minus one child is the other child', () => {
    const all = Uint32Array.from({ length: rows }, (_, i) => i);
    const parent = new Float64Array(histogramLength(cols));
    buildHistogram(parent, bins, rows, gh, all, 0, rows, features);
    const left = new Float64Array(histogramLength(cols));
    buildHistogram(left, bins, rows, gh, all, 0, 20, features);
    subtractHistogram(parent, left, features);
    const right = naive(Array.from({ length: 30 }, (_, i) => i + 20));
    parent.forEach((v, i) => expect(v).toBeCloseTo(right[i]!, 9));
  });
});
