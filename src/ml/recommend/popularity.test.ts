import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import {
  loadCategoryPopularity,
  loadPopularity,
  trainCategoryPopularity,
  trainPopularity,
} from './popularity.js';
import { trainingData } from './training-data.js';

const DAY = 86_400_000;
// u0 bought 0 then 1, u1 bought 1 then 2; one day apart each.
const data = {
  ...trainingData({
    users: 2,
    items: 3,
    offsets: Int32Array.of(0, 2, 4),
    itemIds: Int32Array.of(0, 1, 1, 2),
    times: Float64Array.of(0, DAY, DAY, 2 * DAY),
  }),
  itemCategories: Int32Array.of(0, 0, 1),
};
const out = new Float32Array(3);
const roundTrip = <T>(
  load: (a: ReturnType<typeof decodeArtifact>) => T,
  a: Parameters<typeof encodeArtifact>[0],
) => load(decodeArtifact(encodeArtifact(a)));

describe('popularity', () => {
  it('all-time: interaction counts', () => {
    const s = trainPopularity(data);
    s.score(0, Int32Array.of(), out);
    expect([...out]).toEqual([1, 2, 1]);
    roundTrip(loadPopularity, s.toArtifact!()).score(-1, Int32Array.of(), out);
    expect([...out]).toEqual([1, 2, 1]);
  });

  it('recent: a one-day half-life halves per day before the latest interaction', () => {
    const s = trainPopularity(data, { halfLifeDays: 1 });
    s.score(0, Int32Array.of(), out);
    // item 0: 2 days old -> 0.25; item 1: 1 day old twice -> 1; item 2: today -> 1
    expect([...out]).toEqual([0.25, 1, 1]);
  });

  it('per category: (share of the history in the category + 0.1) x popularity', () => {
    const s = trainCategoryPopularity(data);
    s.score(0, Int32Array.of(0), out);
    expect(out[0]).toBeCloseTo(1.1, 6);
    expect(out[1]).toBeCloseTo(2.2, 6);
    expect(out[2]).toBeCloseTo(0.1, 6);
    const loaded = roundTrip(loadCategoryPopularity, s.toArtifact!());
    const again = new Float32Array(3);
    loaded.score(0, Int32Array.of(0), again);
    expect([...again]).toEqual([...out]);
  });
});
