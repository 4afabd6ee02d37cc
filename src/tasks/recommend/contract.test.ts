/**
 * The contract every registered recommender keeps, run against each one: one finite score per item,
 * the same seed gives the same scores, and save -> load gives identical scores.
 */
import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../../ml/artifact.js';
import { trainingData } from '../../ml/recommend/training-data.js';
import { RECOMMENDERS } from './models.js';

// 30 users over 12 items in two loose groups (0-5 and 6-11), each user walking up their group.
const offsets = new Int32Array(31);
const ids: number[] = [];
for (let u = 0; u < 30; u++) {
  const base = u % 2 ? 6 : 0;
  for (let s = 0; s < 4; s++) ids.push(base + ((u + s) % 6));
  offsets[u + 1] = ids.length;
}
const times = Float64Array.from(ids, (_, k) => k * 3_600_000);
const data = {
  ...trainingData({ users: 30, items: 12, offsets, itemIds: Int32Array.from(ids), times }),
  itemCategories: Int32Array.from({ length: 12 }, (_, j) => (j < 6 ? 0 : 1)),
};
const history = Int32Array.of(0, 1, 2);

describe.each(Object.keys(RECOMMENDERS))('recommender contract: %s', (name) => {
  const entry = RECOMMENDERS[name]!;
  it('scores every item, deterministically, and round-trips its artifact', async () => {
    const a = await entry.train(data, { seed: 7 });
    const b = await entry.train(data, { seed: 7 });
    const outA = new Float32Array(12);
    const outB = new Float32Array(12);
    a.score(0, history, outA);
    b.score(0, history, outB);
    expect(a.items).toBe(12);
    expect(outA.every(Number.isFinite)).toBe(true);
    expect([...outB]).toEqual([...outA]);
    if (entry.load && a.toArtifact) {
      const loaded = entry.load(decodeArtifact(encodeArtifact(a.toArtifact())));
      const outC = new Float32Array(12);
      loaded.score(0, history, outC);
      expect([...outC]).toEqual([...outA]);
    }
  }, 60_000);
});
