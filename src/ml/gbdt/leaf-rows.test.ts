import { describe, expect, it } from 'vitest';
import { addLeafRows, labelRows, leafIdArray, sumLeafRows } from './leaf-rows.js';

describe('leaf rows', () => {
  // Leaves: positions [0, 2) = rows 4, 1 (value 1); [2, 5) = rows 3, 0, 2 (value 10).
  const rowIndex = Uint32Array.of(4, 1, 3, 0, 2);
  const leaves = Float64Array.of(0, 2, 1, 2, 5, 10);

  it('labels each row with the leaf whose range holds its position, over any split of the positions', () => {
    const leafOf = new Uint16Array(5).fill(9);
    labelRows(leaves, 2, rowIndex, leafOf, 0, 3);
    labelRows(leaves, 2, rowIndex, leafOf, 3, 5);
    expect(Array.from(leafOf)).toEqual([1, 0, 1, 1, 0]);
  });

  it('adds each row its leaf value, in row order', () => {
    const leafOf = Uint16Array.of(1, 0, 1, 1, 0);
    const margin = Float64Array.of(0, 0.5, 0, 0, -1);
    addLeafRows(leaves, leafOf, margin, 0, 2);
    addLeafRows(leaves, leafOf, margin, 2, 5);
    expect(Array.from(margin)).toEqual([10, 1.5, 10, 10, 0]);
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
