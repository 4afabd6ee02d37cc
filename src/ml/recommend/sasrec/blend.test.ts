import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../../artifact.js';
import { Rng } from '../../../core/random.js';
import { trainingData } from '../training-data.js';
import type { Sequences } from '../types.js';
import { BLEND_WEIGHTS, loadSasrecBlend, trainSasrecBlend } from './blend.js';

/** Walks item -> item + 1 (mod items): a pure transition signal, never repeating within a user. */
function walks(users: number, items: number, seed: number): Sequences {
  const rng = new Rng(seed);
  const offsets = new Int32Array(users + 1);
  const ids: number[] = [];
  for (let u = 0; u < users; u++) {
    let item = rng.int(items);
    const length = 3 + rng.int(6);
    for (let i = 0; i < length; i++) {
      ids.push(item);
      item = (item + 1) % items;
    }
    offsets[u + 1] = ids.length;
  }
  return { users, items, offsets, itemIds: Int32Array.from(ids) };
}

describe('trainSasrecBlend', () => {
  it('picks a transition weight on the held-out items when transitions predict them and SASRec barely does', async () => {
    const seqs = walks(200, 40, 3);
    const scorer = await trainSasrecBlend(trainingData(seqs), {
      params: {
        hidden: 16,
        blocks: 1,
        maxLength: 8,
        epochs: 1,
        evalEvery: 1,
        validationUsers: 60,
        negatives: 10,
        threads: 1,
      },
      transition: { knnWeight: 0 },
    });
    expect(scorer.tuning.cases).toBe(60);
    expect(scorer.tuning.ndcg10).toHaveLength(BLEND_WEIGHTS.length);
    // the pure transition model (w = 1) ranks every held-out successor first
    expect(scorer.tuning.ndcg10[BLEND_WEIGHTS.length - 1]).toBeCloseTo(1, 6);
    // SASRec after one epoch is far from that, so some transition weight must be chosen
    expect(scorer.tuning.ndcg10[0]).toBeLessThan(0.9);
    expect(scorer.tuning.weight).toBeGreaterThan(0);
    expect(scorer.tuning.ndcg10[BLEND_WEIGHTS.indexOf(scorer.tuning.weight)]).toBeCloseTo(1, 6);
    const out = new Float32Array(40);
    scorer.score(0, Int32Array.of(5, 6, 7), out);
    let best = 0;
    for (let i = 1; i < 40; i++) if (out[i]! > out[best]!) best = i;
    expect(best).toBe(8);
    // artifact round trip: identical scores
    const loaded = loadSasrecBlend(decodeArtifact(encodeArtifact(scorer.toArtifact!()), 'sasrec-transition'));
    const again = new Float32Array(40);
    loaded.score(0, Int32Array.of(5, 6, 7), again);
    expect([...again]).toEqual([...out]);
  });
});
