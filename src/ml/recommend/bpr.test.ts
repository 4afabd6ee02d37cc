import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { bprScorer, bprStep, fitBpr, loadBpr } from './bpr.js';
import { sequencesFromLists, trainingData } from './training-data.js';
import type { TrainingData } from './types.js';

const data = (lists: number[][], items: number): TrainingData =>
  trainingData(sequencesFromLists(lists, items));

/** Two communities: users 0-11 use items 0-5, users 12-23 items 6-11; each user skips one item. */
const LISTS = Array.from({ length: 24 }, (_, u) => {
  const base = u < 12 ? 0 : 6;
  return [0, 1, 2, 3, 4, 5].filter((d) => d !== u % 6).map((d) => base + d);
});

describe('BPR', () => {
  it('takes the hand-computed SGD step', () => {
    // p_u = [0.1, 0.2], q_i = [0.3, -0.1], q_j = [0, 0.2], b_i = 0.05, b_j = -0.02, lr 0.1, reg 0.01,
    // bias reg 0.02: x_uij = 0.07 + 0.1 * 0.3 + 0.2 * -0.3 = 0.04, g = sigma(-0.04) = 0.4900013331.
    // p_u' = p_u + lr (g (q_i - q_j) - reg p_u) = [0.1146000400, 0.1850999600]
    // q_i' = q_i + lr (g p_u - reg q_i) = [0.3046000133, -0.0900999733]
    // q_j' = q_j + lr (-g p_u - reg q_j) = [-0.0049000133, 0.1899999733]
    // b_i' = 0.0989001333, b_j' = -0.0689601333 (python3, float64)
    const p = Float32Array.of(0.1, 0.2);
    const q = Float32Array.of(0.3, -0.1, 0, 0.2);
    const b = Float32Array.of(0.05, -0.02);
    const x = bprStep(p, q, b, 2, 0, 0, 1, 0.1, 0.01, 0.02);
    expect(x).toBeCloseTo(0.04, 6);
    const want = [
      0.11460004, 0.18509996, 0.30460001, -0.09009997, -0.00490001, 0.18999997, 0.09890013, -0.06896013,
    ];
    Array.from([...p, ...q, ...b]).forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
  });

  it('ranks each user’s community items (even the one they skipped) above the other community', () => {
    const m = fitBpr(data(LISTS, 12), { factors: 4, epochs: 200, lr: 0.05, reg: 0.001 });
    const s = bprScorer(m);
    const out = new Float32Array(12);
    for (const u of [0, 5, 12, 23]) {
      s.score(u, Int32Array.from(LISTS[u]!), out);
      const mine = u < 12 ? out.slice(0, 6) : out.slice(6);
      const other = u < 12 ? out.slice(6) : out.slice(0, 6);
      expect(Math.min(...mine)).toBeGreaterThan(Math.max(...other));
    }
    // A visitor with a first-community history is folded in to the same preference.
    s.score(-1, Int32Array.of(0, 1, 2), out);
    expect(Math.min(...out.slice(3, 6))).toBeGreaterThan(Math.max(...out.slice(6)));
  });

  it('is seeded and round-trips through an artifact to identical scores', () => {
    const d = data(LISTS, 12);
    const a = fitBpr(d, { factors: 3, epochs: 3, seed: 7 });
    expect(fitBpr(d, { factors: 3, epochs: 3, seed: 7 }).itemFactors).toEqual(a.itemFactors);
    expect(fitBpr(d, { factors: 3, epochs: 3, seed: 8 }).itemFactors).not.toEqual(a.itemFactors);
    const s = bprScorer(a);
    const back = loadBpr(decodeArtifact(encodeArtifact(s.toArtifact!()), 'bpr'));
    const o1 = new Float32Array(12);
    const o2 = new Float32Array(12);
    s.score(3, Int32Array.from(LISTS[3]!), o1);
    back.score(3, Int32Array.from(LISTS[3]!), o2);
    expect(o2).toEqual(o1);
  });
});
