import { describe, expect, it } from 'vitest';
import { mergeParts, orderGradients, partitionPart, sideTable } from './partition.js';

describe('partition', () => {
  // 20 rows, one feature: bin = row % 5 (0 = missing).
  const rows = 20;
  const bins = Uint8Array.from({ length: rows }, (_, r) => r % 5);
  const node = [1, 2, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 17, 18, 19];
  const expected = (defaultLeft: boolean) => {
    const left = node.filter((r) => (r % 5 === 0 ? defaultLeft : r % 5 <= 2));
    return [...left, ...node.filter((r) => !left.includes(r))];
  };

  /** The arrays of a partition over these row positions; each row's gradient pair is (row, -row). */
  const arrays = (index: number[]) => ({
    bins,
    rowIndex: Uint32Array.from(index),
    scratch: new Uint32Array(index.length),
    ordered: Float32Array.from(index.flatMap((r) => [r, -r])),
    orderedScratch: new Float32Array(2 * index.length),
  });
  const pairsOf = (rowList: number[]) => rowList.flatMap((r) => [r, -r]);

  it('splits stably: left rows in order, then right rows in order; missing rows follow defaultLeft', () => {
    for (const defaultLeft of [false, true]) {
      const a = arrays([99, ...node, 99]);
      const left = partitionPart(a, 0, sideTable(2, defaultLeft), 1, 1 + node.length);
      const mid = mergeParts(a, [1, 1 + node.length], [left]);
      expect(Array.from(a.rowIndex)).toEqual([99, ...expected(defaultLeft), 99]);
      // Each position's gradient pair moved with its row.
      expect(Array.from(a.ordered)).toEqual(pairsOf([99, ...expected(defaultLeft), 99]));
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
      const a = arrays(node);
      const side = sideTable(2, true);
      const lefts = bounds.slice(1).map((end, i) => partitionPart(a, 0, side, bounds[i]!, end));
      const mid = mergeParts(a, bounds, lefts);
      expect(Array.from(a.rowIndex)).toEqual(expected(true));
      expect(Array.from(a.ordered)).toEqual(pairsOf(expected(true)));
      expect(mid).toBe(lefts.reduce((a, b) => a + b, 0));
    }
  });

  it('moves quantized pairs (one 16-bit code a position) with their rows, as parts and merged', () => {
    // Row r's code is gq * 256 + hq with gq = r - 10 and hq = 3 r (quantize.ts).
    const codeOf = (r: number): number => (r - 10) * 256 + 3 * r;
    const a = { ...arrays(node), quantized: true };
    const codes = new Int16Array(a.ordered.buffer, 0, node.length);
    codes.set(node.map(codeOf));
    const side = sideTable(2, true);
    const bounds = [0, 6, 15];
    const lefts = bounds.slice(1).map((end, i) => partitionPart(a, 0, side, bounds[i]!, end));
    mergeParts(a, bounds, lefts);
    expect(Array.from(a.rowIndex)).toEqual(expected(true));
    expect(Array.from(codes)).toEqual(expected(true).map(codeOf));
  });

  it('without the gradients (children never histogrammed) only the row index moves', () => {
    const a = arrays(node);
    const before = Array.from(a.ordered);
    const left = partitionPart(a, 0, sideTable(2, true), 0, node.length, false);
    mergeParts(a, [0, node.length], [left], false);
    expect(Array.from(a.rowIndex)).toEqual(expected(true));
    expect(Array.from(a.ordered)).toEqual(before);
  });

  it('orders the gradient pairs by position of the row index', () => {
    const a = { ...arrays([4, 0, 3]), gh: Float32Array.of(0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5) };
    a.ordered.fill(0);
    orderGradients(a, 1, 3);
    expect(Array.from(a.ordered)).toEqual([0, 0, 0, 0.5, 3, 3.5]);
  });
});
