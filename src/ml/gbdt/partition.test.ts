import { describe, expect, it } from 'vitest';
import { addLeafValues, mergeParts, partitionPart, sideTable } from './partition.js';

describe('partition', () => {
  // 20 rows, one feature: bin = row % 5 (0 = missing).
  const rows = 20;
  const bins = Uint8Array.from({ length: rows }, (_, r) => r % 5);
  const node = [1, 2, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 17, 18, 19];
  const expected = (defaultLeft: boolean) => {
    const left = node.filter((r) => (r % 5 === 0 ? defaultLeft : r % 5 <= 2));
    return [...left, ...node.filter((r) => !left.includes(r))];
  };

  it('splits stably: left rows in order, then right rows in order; missing rows follow defaultLeft', () => {
    for (const defaultLeft of [false, true]) {
      const index = Uint32Array.from([99, ...node, 99]);
      const scratch = new Uint32Array(index.length);
      const left = partitionPart(index, scratch, bins, 0, sideTable(2, defaultLeft), 1, 1 + node.length);
      const mid = mergeParts(index, scratch, [1, 1 + node.length], [left]);
      expect(Array.from(index)).toEqual([99, ...expected(defaultLeft), 99]);
      expect(mid).toBe(
        1 + expected(defaultLeft).filter((r) => (r % 5 === 0 ? defaultLeft : r % 5 <= 2)).length,
      );
    }
  });

  it('parts partitioned apart and merged give the same partition', () => {
    for (const bounds of [
      [0, 7, 15],
      [0, 1, 2, 14, 15],
      [0, 5, 5, 10, 15], // an empty part
    ]) {
      const index = Uint32Array.from(node);
      const scratch = new Uint32Array(node.length);
      const side = sideTable(2, true);
      const lefts = bounds
        .slice(1)
        .map((end, i) => partitionPart(index, scratch, bins, 0, side, bounds[i]!, end));
      const mid = mergeParts(index, scratch, bounds, lefts);
      expect(Array.from(index)).toEqual(expected(true));
      expect(mid).toBe(lefts.reduce((a, b) => a + b, 0));
    }
  });

  it('adds each leaf value to the margins of the rows in its range, over any position range', () => {
    const index = Uint32Array.from([4, 0, 3, 1, 2]);
    // Leaves: positions [0, 2) value 1, [2, 5) value 10.
    const leaves = Float64Array.of(0, 2, 1, 2, 5, 10);
    const margin = new Float64Array(5);
    addLeafValues(leaves, 2, index, margin, 0, 3);
    addLeafValues(leaves, 2, index, margin, 3, 5);
    expect(Array.from(margin)).toEqual([1, 10, 10, 10, 1]);
  });
});
