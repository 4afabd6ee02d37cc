import { describe, expect, it } from 'vitest';
import { addLeafRows, labelSegments, leafIdArray, SEGMENT, sumLeafRows } from './leaf-rows.js';

describe('leaf rows', () => {
  // Positions [0, 2) = rows 4, 1: one leaf (id 0). Positions [2, 5) = rows 3, 0, 2: a split on
  // feature 1 at bin 2, missing to the right, into leaves 1 (left) and 2 (right).
  const rowIndex = Uint32Array.of(4, 1, 3, 0, 2);
  const segments = Int32Array.of(0, 2, -1, 0, 0, 0, 0, 2, 5, 1, 2, 0, 1, 2);
  // Feature 0's bins, then feature 1's: rows 0..4 of feature 1 are bins 2, 3, 0, 1, 3.
  const bins = Uint8Array.of(5, 5, 5, 5, 5, 2, 3, 0, 1, 3);
  const input = { rowIndex, bins, rows: 5 };

  it('labels a leaf range whole and a split from the bins, over any split of the positions', () => {
    expect(segments.length).toBe(2 * SEGMENT);
    const leafOf = new Uint16Array(5).fill(9);
    const side = new Uint8Array(256);
    labelSegments(segments, 2, input, leafOf, side, 0, 3);
    labelSegments(segments, 2, input, leafOf, side, 3, 5);
    // Row 0: bin 2 <= 2, left (1); row 2: missing, right (2); row 3: bin 1, left (1).
    expect(Array.from(leafOf)).toEqual([1, 0, 2, 1, 0]);
    // Missing to the left: row 2 moves to leaf 1.
    const missingLeft = segments.slice();
    missingLeft[SEGMENT + 4] = 1;
    labelSegments(missingLeft, 2, input, leafOf, side, 0, 5);
    expect(Array.from(leafOf)).toEqual([1, 0, 1, 1, 0]);
  });

  it('adds each row its leaf value, in row order', () => {
    const leafOf = Uint16Array.of(1, 0, 2, 1, 0);
    const values = Float64Array.of(1, 10, 100);
    const margin = Float64Array.of(0, 0.5, 0, 0, -1);
    addLeafRows(values, leafOf, margin, 0, 2);
    addLeafRows(values, leafOf, margin, 2, 5);
    expect(Array.from(margin)).toEqual([10, 1.5, 100, 10, 0]);
  });

  it('sums the exact pairs of each leaf, the rows outside the tree into the spare id', () => {
    const gh = Float32Array.of(0.5, 0.25, -1, 0.125, 2, 0.5, -0.75, 0.25, 4, 1);
    // Rows 4, 1 in leaf 0, rows 3, 0 in leaf 1, row 2 left out of the tree (id 2).
    const leafOf = Uint16Array.of(1, 0, 2, 1, 0);
    const sums = new Float64Array(6).fill(7);
    sumLeafRows(leafOf, gh, sums, 3, 0, 5);
    expect(Array.from(sums)).toEqual([4 - 1, 1 + 0.125, -0.75 + 0.5, 0.25 + 0.25, 2, 0.5]);
    // Two ranges into two regions add up to the whole.
    const a = new Float64Array(6);
    const b = new Float64Array(6);
    sumLeafRows(leafOf, gh, a, 3, 0, 2);
    sumLeafRows(leafOf, gh, b, 3, 2, 5);
    expect(Array.from(a, (v, i) => v + b[i]!)).toEqual(Array.from(sums));
  });

  it('takes 32-bit ids once a tree may hold 65,535 leaves', () => {
    expect(leafIdArray(64, new ArrayBuffer(10), 5)).toBeInstanceOf(Uint16Array);
    expect(leafIdArray(70_000, new ArrayBuffer(20), 5)).toBeInstanceOf(Uint32Array);
  });
});
