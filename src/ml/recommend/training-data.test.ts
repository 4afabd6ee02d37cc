import { describe, expect, it } from 'vitest';
import { sequencesFromLists, trainingData } from './training-data.js';

describe('trainingData', () => {
  it('the matrix sums repeated interactions, weight by weight', () => {
    // user 0 views item 1 twice (0.1 each); user 1: items 0, 1 bought (1), 2 viewed (0.1);
    // user 2: item 2 bought (1), then item 0 added to a cart (0.5).
    const m = trainingData({
      users: 3,
      items: 3,
      offsets: Int32Array.of(0, 2, 5, 7),
      itemIds: Int32Array.of(1, 1, 0, 1, 2, 2, 0),
      weights: Float32Array.of(0.1, 0.1, 1, 1, 0.1, 1, 0.5),
    }).matrix;
    expect([...m.indptr]).toEqual([0, 1, 4, 6]);
    expect([...m.indices]).toEqual([1, 0, 1, 2, 0, 2]);
    expect([...m.values].map((v) => Math.round(v * 100) / 100)).toEqual([0.2, 1, 1, 0.1, 0.5, 1]);
  });

  it('counts each occurrence as 1 when the sequences carry no weights', () => {
    const d = trainingData(sequencesFromLists([[0, 2, 0], [2]], 3));
    expect([...d.matrix.indptr]).toEqual([0, 2, 3]);
    expect([...d.matrix.indices]).toEqual([0, 2, 2]);
    expect([...d.matrix.values]).toEqual([2, 1, 1]);
  });
});
