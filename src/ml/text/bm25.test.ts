import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25.js';
import { fuseRankings } from './rank-fusion.js';

describe('Bm25Index', () => {
  // Three documents, avgdl = (2 + 2 + 4) / 3 = 8/3; k1 = 1.2, b = 0.75.
  const docs = [
    ['cancel', 'order'],
    ['track', 'order'],
    ['cancel', 'my', 'cancel', 'subscription'],
  ];
  const index = Bm25Index.build(docs);

  it('scores by hand: idf, saturation and length normalisation', () => {
    // idf(cancel) = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6); idf(order) the same.
    const idf = Math.log(1.6);
    // doc 0: |d| = 2, norm = 1.2 * (0.25 + 0.75 * 2 / (8/3)) = 1.2 * 0.8125 = 0.975; tf 1.
    const d0 = (idf * 1 * 2.2) / (1 + 0.975);
    // doc 2: |d| = 4, norm = 1.2 * (0.25 + 0.75 * 1.5) = 1.65; tf(cancel) = 2.
    const d2 = (idf * 2 * 2.2) / (2 + 1.65);
    const s = index.scores(['cancel']);
    expect(s[0]).toBeCloseTo(d0, 12);
    expect(s[1]).toBe(0);
    expect(s[2]).toBeCloseTo(d2, 12);
    expect(index.scores(['cancel', 'order'])[0]).toBeCloseTo(2 * d0, 12);
  });

  it('searches best first, leaves out documents with no shared term, ignores unknown terms', () => {
    expect(index.search(['track', 'order', 'parcel'], 5).map((h) => h.doc)).toEqual([1, 0]);
    expect(index.search(['nothing'], 5)).toEqual([]);
    expect(index.size).toBe(3);
  });

  it('refuses parameters out of range', () => {
    expect(() => Bm25Index.build(docs, { b: 2 })).toThrow(RangeError);
  });
});

describe('fuseRankings', () => {
  it('sums 1 / (60 + rank) over the rankings', () => {
    const fused = fuseRankings([
      [3, 1, 2],
      [1, 3],
    ]);
    expect(fused.map((f) => f.item)).toEqual([1, 3, 2]);
    expect(fused[0]!.score).toBeCloseTo(1 / 62 + 1 / 61, 15);
    expect(fused[1]!.score).toBeCloseTo(1 / 61 + 1 / 62, 15);
    expect(fused[2]!.score).toBeCloseTo(1 / 63, 15);
  });
});
