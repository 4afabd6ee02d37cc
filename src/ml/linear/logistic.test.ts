import { describe, expect, it } from 'vitest';
import { predictLogistic, trainLogistic } from './logistic.js';

// A deterministic 200 x 3 dataset (86 positives) built the same way in numpy:
//   x0 = 3 sin(0.7 i) + 1, x1 = 10 cos(1.3 i), x2 = (37 i mod 11) - 5   (rounded to float32)
//   y  = (7919 i mod 13) < 5 + 3 sin(0.7 i) + 0.2 x1
function data(): { features: Float32Array; labels: Float32Array; rows: number } {
  const rows = 200;
  const features = new Float32Array(rows * 3);
  const labels = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    features[i * 3] = Math.sin(i * 0.7) * 3 + 1;
    features[i * 3 + 1] = Math.cos(i * 1.3) * 10;
    features[i * 3 + 2] = ((i * 37) % 11) - 5;
    labels[i] = (i * 7919) % 13 < 5 + 3 * Math.sin(i * 0.7) + 0.2 * features[i * 3 + 1]! ? 1 : 0;
  }
  return { features, labels, rows };
}

// scikit-learn 1.2.1: StandardScaler, then LogisticRegression(C = 1 / l2, solver='newton-cg',
// tol=1e-12); original-unit coefficients = coef / scale, intercept - sum(coef * mean / scale).
const SKLEARN = {
  1: {
    coefStd: [0.7624012722826026, 0.40763553545008196, 0.08196726290179389],
    interceptStd: -0.33407003051079637,
    coef: [0.3600696674300504, 0.057603595858566774, 0.025882692473762802],
    intercept: -0.7033635447882893,
    p: [0.5258091954908517, 0.6179372560208172, 0.5757247114820716],
  },
  10: {
    coefStd: [0.6180450978439159, 0.3246458705967289, 0.06315030096337129],
    interceptStd: -0.3162667153395248,
    coef: [0.2918926042334071, 0.04587620043075608, 0.01994088568528661],
    intercept: -0.6156139916615089,
    p: [0.5088331280113959, 0.5849635348847997, 0.5513012602946139],
  },
} as const;

describe('trainLogistic', () => {
  const d = data();
  it('has 86 positives, as in the numpy build', () => {
    expect(d.labels.reduce((a, b) => a + b, 0)).toBe(86);
  });

  for (const l2 of [1, 10] as const) {
    it(`matches scikit-learn at l2 = ${l2} (C = ${1 / l2})`, () => {
      const ref = SKLEARN[l2];
      const m = trainLogistic({ ...d, cols: 3, l2 });
      for (let j = 0; j < 3; j++) {
        expect(m.coefStandardised[j]).toBeCloseTo(ref.coefStd[j]!, 7);
        expect(m.coef[j]).toBeCloseTo(ref.coef[j]!, 7);
      }
      expect(m.interceptStandardised).toBeCloseTo(ref.interceptStd, 7);
      expect(m.intercept).toBeCloseTo(ref.intercept, 7);
      const p = predictLogistic(m, d.features.subarray(0, 9), 3);
      for (let i = 0; i < 3; i++) expect(p[i]).toBeCloseTo(ref.p[i]!, 7);
    });
  }

  it('imputes a missing value with the training mean (it adds nothing to the margin)', () => {
    const m = trainLogistic({ ...d, cols: 3, l2: 1 });
    const row = Float32Array.of(1.5, NaN, 2);
    const imputed = Float32Array.of(1.5, m.mean[1]!, 2);
    expect(predictLogistic(m, row, 1)[0]).toBeCloseTo(predictLogistic(m, imputed, 1)[0]!, 6);
  });

  it('gives a constant feature coefficient 0', () => {
    const x = new Float32Array(d.rows * 2);
    for (let i = 0; i < d.rows; i++) {
      x[i * 2] = d.features[i * 3]!;
      x[i * 2 + 1] = 7;
    }
    const m = trainLogistic({ features: x, rows: d.rows, cols: 2, labels: d.labels, l2: 1 });
    expect(m.coef[1]).toBe(0);
  });
});
