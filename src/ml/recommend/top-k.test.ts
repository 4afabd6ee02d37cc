import { describe, expect, it } from 'vitest';
import { TopK, topItems } from './top-k.js';

describe('TopK', () => {
  it('keeps the k best, ties to the lower index, best first', () => {
    const h = new TopK(3);
    [
      [7, 0.5],
      [3, 0.9],
      [4, 0.5],
      [1, 0.2],
      [9, 0.5],
      [2, NaN],
      [0, 0.5],
    ].forEach(([i, s]) => h.push(i!, s!));
    const { indices, scores } = h.drain();
    expect([...indices]).toEqual([3, 0, 4]);
    expect([...scores]).toEqual([Math.fround(0.9), 0.5, 0.5]);
    expect(h.size).toBe(0);
  });

  it('topItems skips excluded items and restores the scores', () => {
    const s = Float32Array.of(0.1, 0.8, 0.3, 0.8, 0.6);
    const r = topItems(s, 2, Int32Array.of(1, 1));
    expect([...r.indices]).toEqual([3, 4]);
    expect(s[1]).toBe(Math.fround(0.8));
  });
});
