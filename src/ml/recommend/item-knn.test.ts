import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { transpose } from '../sparse/csr.js';
import { topKNeighbours } from './item-neighbours.js';
import { loadItemKnn, trainItemKnn } from './item-knn.js';
import { trainingData } from './training-data.js';
import type { Sequences } from './types.js';

// Four users' item sets: u0 {0, 1}, u1 {0, 1, 2}, u2 {1, 2}, u3 {2, 3}.
// Item users: 0 {u0, u1}, 1 {u0, u1, u2}, 2 {u1, u2, u3}, 3 {u3}; co-occurrences (0,1) 2, (0,2) 1,
// (1,2) 2, (2,3) 1.
const FOUR_USERS: Sequences = {
  users: 4,
  items: 4,
  offsets: Int32Array.of(0, 2, 5, 7, 9),
  itemIds: Int32Array.of(0, 1, 0, 1, 2, 1, 2, 2, 3),
};
const data = trainingData(FOUR_USERS);

function dense(s: ReturnType<typeof trainItemKnn>): number[][] {
  const m = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  const { indptr, indices, values } = s.neighbours;
  for (let i = 0; i < 4; i++)
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) m[i]![indices[p]!] = values[p]!;
  return m;
}

function expectMatrix(actual: number[][], expected: number[][]): void {
  actual.forEach((row, i) =>
    row.forEach((v, j) => expect(v, `(${i}, ${j})`).toBeCloseTo(expected[i]![j]!, 6)),
  );
}

describe('item-kNN similarities (hand-computed / numpy)', () => {
  it('cosine: co-occurrences over the root of both counts', () => {
    const c = 2 / Math.sqrt(6);
    const h = 1 / Math.sqrt(6);
    const t = 1 / Math.sqrt(3);
    expectMatrix(dense(trainItemKnn(data)), [
      [0, c, h, 0],
      [c, 0, 2 / 3, 0],
      [h, 2 / 3, 0, t],
      [0, 0, t, 0],
    ]);
  });

  it('asymmetric cosine, alpha 0.75 (numpy reference)', () => {
    expectMatrix(dense(trainItemKnn(data, { similarity: 'asymmetric', alpha: 0.75 })), [
      [0, 0.903602, 0.451801, 0],
      [0.7377879, 0, 0.6666667, 0],
      [0.368894, 0.6666667, 0, 0.4386913],
      [0, 0, 0.7598357, 0],
    ]);
  });

  it('BM25 weights, k1 100, b 0.8 (numpy reference; u1 touched 3 of 4 items: idf 0)', () => {
    expectMatrix(dense(trainItemKnn(data, { similarity: 'bm25' })), [
      [0, 0.0717925, 0, 0],
      [0.0717925, 0, 0.051798, 0],
      [0, 0.051798, 0, 0.1169272],
      [0, 0, 0.1169272, 0],
    ]);
  });
});

describe('item-kNN neighbours and scoring', () => {
  it('keeps the top K per item, best first', () => {
    const s = trainItemKnn(data, { neighbours: 2 });
    const { indptr, indices } = s.neighbours;
    expect([...indices.subarray(indptr[2]!, indptr[3]!)]).toEqual([1, 3]); // 2/3 and 1/sqrt 3 beat 1/sqrt 6
  });

  it('block size does not change the result', () => {
    const a = topKNeighbours(transpose(data.matrix), data.matrix, { k: 2, blockSize: 1 });
    const b = topKNeighbours(transpose(data.matrix), data.matrix, { k: 2, blockSize: 4096 });
    expect(a).toEqual(b);
  });

  it('scores sum neighbour similarities over the history, optionally recency-weighted', () => {
    const out = new Float32Array(4);
    trainItemKnn(data, { neighbours: 2 }).score(0, Int32Array.of(0, 3), out);
    // neighbours of 0: 1 (2/sqrt 6), 2 (1/sqrt 6); of 3: 2 (1/sqrt 3)
    expect(out[1]).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(out[2]).toBeCloseTo(1 / Math.sqrt(6) + 1 / Math.sqrt(3), 6);
    const recent = trainItemKnn(data, { neighbours: 2, recency: 0.5 });
    recent.score(0, Int32Array.of(0, 3), out); // item 0 is one step back: weight 0.5
    expect(out[2]).toBeCloseTo(0.5 / Math.sqrt(6) + 1 / Math.sqrt(3), 6);
    const loaded = loadItemKnn(decodeArtifact(encodeArtifact(recent.toArtifact())));
    const again = new Float32Array(4);
    loaded.score(0, Int32Array.of(0, 3), again);
    expect([...again]).toEqual([...out]);
  });
});

describe('item-kNN neighbour tables', () => {
  it('are computed once per training matrix and settings, and shared', () => {
    const a = trainItemKnn(data, { neighbours: 2 });
    const b = trainItemKnn(data, { neighbours: 2, recency: 0.5 }); // recency only changes scoring
    expect(b.neighbours).toBe(a.neighbours);
    expect(trainItemKnn(data, { neighbours: 3 }).neighbours).not.toBe(a.neighbours);
    const copy = trainingData(FOUR_USERS); // same interactions, another matrix: computed again
    const c = trainItemKnn(copy, { neighbours: 2 });
    expect(c.neighbours).not.toBe(a.neighbours);
    expect([...c.neighbours.values]).toEqual([...a.neighbours.values]);
  });
});
