import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../../ml/artifact.js';
import {
  classifierContributions,
  classifierFromArtifact,
  classifierToArtifact,
  scoreClassifier,
  trainClassifier,
} from './classifier.js';
import { logisticInputs } from './logistic-inputs.js';
import { splitCustomers } from './split.js';

// 400 rows, 3 features: x0 drives the label, x1 is noise, x2 is missing on every 5th row.
function data(): { values: Float32Array; labels: Float32Array } {
  const n = 400;
  const values = new Float32Array(n * 3);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = (i * 37) % 100;
    values[i * 3] = x0;
    values[i * 3 + 1] = (i * 53) % 17;
    values[i * 3 + 2] = i % 5 === 0 ? NaN : (i * 11) % 7;
    labels[i] = x0 + ((i * 29) % 40) > 70 ? 1 : 0;
  }
  return { values, labels };
}

describe('customer classifier', () => {
  it('signed log1p keeps signs and missing values', () => {
    expect(Array.from(logisticInputs(Float32Array.from([0, Math.E - 1, -(Math.E - 1), NaN])))).toEqual([
      0,
      expect.closeTo(1, 6),
      expect.closeTo(-1, 6),
      NaN,
    ]);
  });

  it('contributions plus bias give the margin of each row, for both kinds, and survive the artifact', () => {
    const { values, labels } = data();
    const split = splitCustomers(400, { seed: 1 });
    const t = trainClassifier({ values, cols: 3, labels, split });
    expect(t.chosen).toBe(t.selection.gbdt > t.selection.logistic ? t.gbdt : t.logistic);
    for (const c of [t.gbdt, t.logistic]) {
      const p = scoreClassifier(c, values, 400);
      const contrib = classifierContributions(c, values, 400);
      for (const r of [0, 5, 123, 399]) {
        let margin = 0;
        for (let j = 0; j <= 3; j++) margin += contrib[r * 4 + j]!;
        expect(1 / (1 + Math.exp(-margin))).toBeCloseTo(p[r]!, 9);
      }
      const back = classifierFromArtifact(
        decodeArtifact(encodeArtifact(classifierToArtifact(c, { task: 'x' }))),
      );
      expect(Array.from(scoreClassifier(back, values, 400))).toEqual(Array.from(p));
    }
    // The label follows x0: the logistic term of x0 dominates the noise feature.
    const m = t.logistic.kind === 'logistic' ? t.logistic.model : null;
    expect(Math.abs(m!.coefStandardised[0]!)).toBeGreaterThan(3 * Math.abs(m!.coefStandardised[1]!));
  });
});
