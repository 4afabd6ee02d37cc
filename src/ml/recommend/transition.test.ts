import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { trainingData } from './training-data.js';
import { loadTransition, trainTransition, transitionCounts } from './transition.js';

// u0 [0, 1], u1 [0, 1, 2], u2 [1, 2], u3 [2, 3]: T[0,1] = 2, T[1,2] = 2, T[2,3] = 1.
const data = trainingData({
  users: 4,
  items: 4,
  offsets: Int32Array.of(0, 2, 5, 7, 9),
  itemIds: Int32Array.of(0, 1, 0, 1, 2, 1, 2, 2, 3),
});

describe('transition', () => {
  it('counts direct successors, and decayed ones within a window', () => {
    const t = transitionCounts(data);
    expect([...t.indptr]).toEqual([0, 1, 2, 3, 3]);
    expect([...t.indices]).toEqual([1, 2, 3]);
    expect([...t.values]).toEqual([2, 2, 1]);
    const w = transitionCounts(data, 2, 0.5); // adds u1's 0 -> 2 at two steps: 0.5
    expect([...w.indices]).toEqual([1, 2, 2, 3]);
    expect([...w.values]).toEqual([2, 0.5, 2, 1]);
  });

  it('last-item transitions plus 0.1 x cosine item-kNN', () => {
    const s = trainTransition(data);
    const out = new Float32Array(4);
    s.score(0, Int32Array.of(0, 1), out);
    // T[1, :] = {2: 2}; kNN over history {0, 1}: item 0 gets cos(1,0) = 2/sqrt 6, item 1 gets
    // cos(0,1) = 2/sqrt 6, item 2 gets cos(0,2) + cos(1,2) = 1/sqrt 6 + 2/3.
    const c = 2 / Math.sqrt(6);
    expect(out[0]).toBeCloseTo(0.1 * c, 6);
    expect(out[1]).toBeCloseTo(0.1 * c, 6);
    expect(out[2]).toBeCloseTo(2 + 0.1 * (1 / Math.sqrt(6) + 2 / 3), 6);
    expect(out[3]).toBe(0);
    const loaded = loadTransition(decodeArtifact(encodeArtifact(s.toArtifact())));
    const again = new Float32Array(4);
    loaded.score(0, Int32Array.of(0, 1), again);
    expect([...again]).toEqual([...out]);
  });

  it('several last items, decayed', () => {
    const s = trainTransition(data, { knnWeight: 0, lastItems: 2, lastDecay: 0.5 });
    const out = new Float32Array(4);
    s.score(0, Int32Array.of(0, 1), out); // T[1,:] + 0.5 T[0,:]
    expect([...out]).toEqual([0, 1, 2, 0]);
  });
});
