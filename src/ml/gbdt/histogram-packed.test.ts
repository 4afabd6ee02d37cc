import { describe, expect, it } from 'vitest';
import { histogramLength, packRowWords, SLOTS, SPARSE_NODE, wordGroups } from './histogram.js';
import { buildPackedHistogram } from './histogram-packed.js';
import { CHUNK } from './quantize.js';

/** Rows of `cols` features with bins (r * 37 + f * 11) % 7 and a row's (gq, hq) = (r % 9 - 4, r % 5). */
function data(rows: number, cols: number) {
  const bins = new Uint8Array(rows * cols);
  for (let f = 0; f < cols; f++) for (let r = 0; r < rows; r++) bins[f * rows + r] = (r * 37 + f * 11) % 7;
  const words = new Uint32Array(rows * wordGroups(cols));
  packRowWords(bins, rows, cols, words, 0, rows);
  const gq = (r: number) => (r % 9) - 4;
  const hq = (r: number) => r % 5;
  const input = (rowIndex: Uint32Array) => ({
    rows,
    cols,
    bins,
    words,
    rowIndex,
    codes: Int16Array.from(rowIndex, (r) => gq(r) * 256 + hq(r)),
  });
  /** The integer sums by hand, in histogram.ts's layout. */
  const naive = (rowList: ArrayLike<number>) => {
    const h = new Float64Array(histogramLength(cols));
    for (let i = 0; i < rowList.length; i++) {
      const r = rowList[i]!;
      for (let f = 0; f < cols; f++) {
        const b = (f * SLOTS + bins[f * rows + r]!) * 2;
        h[b]! += gq(r);
        h[b + 1]! += hq(r);
      }
    }
    return h;
  };
  return { input, naive };
}

const slice = (a: Float64Array, f: number) => Array.from(a.subarray(f * SLOTS * 2, (f + 1) * SLOTS * 2));

describe('buildPackedHistogram', () => {
  const rows = 100;
  const cols = 13;
  const { input, naive } = data(rows, cols);

  it('columns: every remainder of a pass of eight, the integer sums of gq and hq, others untouched', () => {
    const index = Uint32Array.from({ length: rows }, (_, i) => i);
    const want = naive(index.subarray(10, 90));
    for (let n = 1; n <= cols; n++) {
      const listed = Int32Array.from({ length: n }, (_, i) => (i * 5) % cols).sort();
      const h = new Float64Array(histogramLength(cols)).fill(99);
      buildPackedHistogram(h, input(index), 10, 90, listed);
      for (let f = 0; f < cols; f++) {
        if (listed.includes(f)) expect(slice(h, f)).toEqual(slice(want, f));
        else expect(slice(h, f).every((v) => v === 99)).toBe(true);
      }
    }
  });

  it('words (a node under 1/SPARSE_NODE of the rows): the same sums for every listed feature', () => {
    expect(1 * SPARSE_NODE).toBeLessThan(rows);
    const index = Uint32Array.from([7, 31, 2]); // position 1 holds row 31: (gq, hq) = (0, 1)
    for (let n = 1; n <= cols; n++) {
      const listed = Int32Array.from({ length: n }, (_, i) => (i * 5) % cols).sort();
      const h = new Float64Array(histogramLength(cols)).fill(99);
      buildPackedHistogram(h, input(index), 1, 2, listed);
      for (const f of listed) expect(slice(h, f)).toEqual(slice(naive([31]), f));
    }
  });

  it('a node over CHUNK rows is summed chunk by chunk: the hessian sum passes 2^26 and still decodes', () => {
    // 300,000 rows of (gq, hq) = (-127, 255), one feature, bin 3: G = -38,100,000 and
    // H = 76,500,000 > 2^26 = 67,108,864, which one packed sum could not hold.
    const n = 300_000;
    expect(n).toBeGreaterThan(CHUNK);
    const bins = new Uint8Array(n).fill(3);
    const words = new Uint32Array(n);
    packRowWords(bins, n, 1, words, 0, n);
    const rowIndex = Uint32Array.from({ length: n }, (_, i) => i);
    const codes = new Int16Array(n).fill(-127 * 256 + 255);
    const h = new Float64Array(histogramLength(1)).fill(99);
    buildPackedHistogram(h, { rows: n, cols: 1, bins, words, rowIndex, codes }, 0, n, Int32Array.of(0));
    expect(h[6]).toBe(-38_100_000);
    expect(h[7]).toBe(76_500_000);
    // Every other bin of the feature is cleared.
    expect(Array.from(h.subarray(0, SLOTS * 2)).filter((v) => v !== 0).length).toBe(2);
  });
});
