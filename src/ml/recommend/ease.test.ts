import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { EASE_MAX_ITEMS, easeScorer, fitEase, loadEase, trainEase } from './ease.js';
import { sequencesFromLists, trainingData } from './training-data.js';
import type { TrainingData } from './types.js';

const data = (lists: number[][], items: number): TrainingData =>
  trainingData(sequencesFromLists(lists, items));

const LISTS = [[0, 1], [1, 2, 3], [0, 2], [0, 1, 3], [3], [1, 2]];
// numpy: P = inv(X^T X + 1 I); B = -P / diag(P)[None, :]; fill_diagonal(B, 0).
const B = [
  0.0, 0.3333333333, 0.0588235294, 0.0588235294, 0.3529411765, 0.0, 0.3529411765, 0.3529411765, 0.0588235294,
  0.3333333333, 0.0, 0.0588235294, 0.0588235294, 0.3333333333, 0.0588235294, 0.0,
];

describe('EASE', () => {
  it('matches the closed form computed with numpy', () => {
    const m = fitEase(data(LISTS, 4), { lambda: 1 });
    for (let i = 0; i < 16; i++) expect(m.weights[i]).toBeCloseTo(B[i]!, 6);
  });

  it('scores a history as the sum of its rows, and round-trips through an artifact', () => {
    const scorer = trainEase(data(LISTS, 4), { params: { lambda: 1 } });
    const out = new Float32Array(4);
    scorer.score(-1, Int32Array.of(0, 3), out);
    // numpy: B[0] + B[3]
    [0.0588235294, 0.6666666667, 0.1176470588, 0.0588235294].forEach((v, i) =>
      expect(out[i]).toBeCloseTo(v, 6),
    );
    const back = loadEase(decodeArtifact(encodeArtifact(scorer.toArtifact!()), 'ease'));
    const again = new Float32Array(4);
    back.score(2, Int32Array.of(0, 3), again);
    expect(again).toEqual(out);
  });

  it('refuses a catalogue above the item limit with a message that names the alternatives', () => {
    const n = EASE_MAX_ITEMS + 1;
    const big: TrainingData = {
      sequences: { users: 0, items: n, offsets: Int32Array.of(0), itemIds: new Int32Array(0) },
      matrix: {
        rows: 0,
        cols: n,
        indptr: Int32Array.of(0),
        indices: new Int32Array(0),
        values: new Float32Array(0),
      },
    };
    expect(() => fitEase(big)).toThrow(/limited to 20000 items\. Use item-kNN or ALS/);
    expect(() => easeScorer(fitEase(data(LISTS, 4), { lambda: 0 }))).toThrow(/lambda must be > 0/);
  });
});
