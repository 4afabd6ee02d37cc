import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { contentScorer, loadContentScorer } from './content-scorer.js';
import { fitTfIdf } from './tfidf.js';

// The four documents of tfidf.test.ts: d0 "red mug", d1 "red candle", d2 "blue mug mug", d3 "".
// Cosines worked out there: cos(d0, d1) = 0.4377912, cos(d0, d2) = 0.5971469, cos(d1, d2) = 0.
describe('contentScorer', () => {
  const scorer = contentScorer(
    fitTfIdf([['red', 'mug'], ['red', 'candle'], ['blue', 'mug', 'mug'], []]).matrix,
  );
  const out = new Float32Array(4);

  it('scores each item by its cosine to the history item (itself 1)', () => {
    scorer.score(-1, Int32Array.of(0), out);
    [1, 0.4377912311, 0.5971468696, 0].forEach((s, j) => expect(out[j]).toBeCloseTo(s, 6));
  });

  it('sums over the history; an empty history scores nothing', () => {
    scorer.score(3, Int32Array.of(1, 2), out);
    // d0: 0.4377912 + 0.5971469; d1: 1 + 0; d2: 0 + 1; d3: 0
    [1.0349381007, 1, 1, 0].forEach((s, j) => expect(out[j]).toBeCloseTo(s, 6));
    scorer.score(-1, new Int32Array(0), out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('round-trips through an artifact with identical scores', () => {
    const loaded = loadContentScorer(decodeArtifact(encodeArtifact(scorer.toArtifact!())));
    const again = new Float32Array(4);
    scorer.score(-1, Int32Array.of(0, 2), out);
    loaded.score(-1, Int32Array.of(0, 2), again);
    expect(Array.from(again)).toEqual(Array.from(out));
    expect(loaded.items).toBe(4);
  });
});
