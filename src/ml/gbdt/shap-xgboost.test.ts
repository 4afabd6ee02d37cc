import { describe, expect, it } from 'vitest';
import { resolveParams } from './params.js';
import type { GbdtModel } from './model.js';
import { predictMargin } from './model.js';
import { gbdtContributions } from './shap.js';

// Three trees of depth 3 trained by XGBoost 1.7.4 (python: binary:logistic, hist, eta 0.5,
// base_score 0.5 so the base margin is 0; 400 seeded normal rows, 15% of feature 1 missing), read
// from its JSON model: children, split features and conditions, default directions, leaf values and
// sum_hessian (the cover). XGBoost sends x < condition left where we send x <= threshold left; no
// test value equals a condition, so the trees are the same. CONTRIBS and MARGIN are XGBoost's own
// `predict(pred_contribs=True)` and `predict(output_margin=True)` on the rows of X (float32 outputs, printed to 9 significant digits).
const TREES = [
  {
    left: [1, 3, 5, 7, 9, -1, 11, -1, -1, -1, -1, -1, -1],
    right: [2, 4, 6, 8, 10, -1, 12, -1, -1, -1, -1, -1, -1],
    feature: [2, 2, 0, 1, 0, -1, 2, -1, -1, -1, -1, -1, -1],
    threshold: [0.5142872, -0.37517792, -1.6523231, 1.0547764, -0.81338316, 0, 0.747408, 0, 0, 0, 0, 0, 0],
    value: [0, 0, 0, 0, 0, -0.27272728, 0, -0.62903225, -0.1, -0.4054054, 0.018867925, 0.21212122, 0.7113402],
    defaultLeft: [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    cover: [100.0, 67.75, 32.25, 34.0, 33.75, 1.75, 30.5, 30.0, 4.0, 8.25, 25.5, 7.25, 23.25],
  },
  {
    left: [1, 3, 5, 7, 9, -1, 11, -1, -1, -1, -1, -1, -1],
    right: [2, 4, 6, 8, 10, -1, 12, -1, -1, -1, -1, -1, -1],
    feature: [2, 2, 0, 1, 0, -1, 1, -1, -1, -1, -1, -1, -1],
    threshold: [0.48250493, -0.37517792, -1.6523231, -1.5109804, 1.4426312, 0, 1.0683899, 0, 0, 0, 0, 0, 0],
    value: [
      0, 0, 0, 0, 0, -0.24099818, 0, 0.14310044, -0.36793253, -0.0036079423, -0.47361565, 0.4179921,
      -0.14594088,
    ],
    defaultLeft: [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0],
    cover: [
      94.05262, 64.13552, 29.9171, 31.207678, 32.927845, 1.9578607, 27.95924, 2.0413246, 29.166353, 30.17809,
      2.7497554, 25.450714, 2.5085258,
    ],
  },
  {
    left: [1, 3, 5, 7, 9, 11, -1, -1, -1, -1, -1, -1, -1],
    right: [2, 4, 6, 8, 10, 12, -1, -1, -1, -1, -1, -1, -1],
    feature: [2, 0, 1, 1, 1, 0, -1, -1, -1, -1, -1, -1, -1],
    threshold: [0.747408, 0.106431015, 1.0683899, 0.20858622, 0.15541781, 0.83066636, 0, 0, 0, 0, 0, 0, 0],
    value: [
      0, 0, 0, 0, 0, 0, -0.19337927, 0.35397106, -0.6296311, -0.41926193, 0.4685985, 0.42969626, -0.06973006,
    ],
    defaultLeft: [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    cover: [
      86.83933, 68.1282, 18.71114, 35.4065, 32.721695, 16.862831, 1.8483076, 15.071054, 20.335445, 16.548532,
      16.173164, 13.53986, 3.322971,
    ],
  },
];
const X = [
  [0.300000012, -1.20000005, 0.699999988],
  [-0.800000012, null, 1.5],
  [1.89999998, 0.400000006, -0.200000003],
  [-0.100000001, 2.20000005, null],
  [0.0500000007, -0.300000012, -1.10000002],
];
const CONTRIBS = [
  [-0.0526738465, -0.145948648, 0.495043725, -0.0855698586],
  [0.0457302257, -0.00384529866, 1.60271335, -0.0855698586],
  [0.0684754848, 0.203292787, -0.172347575, -0.0855698586],
  [-0.00486785918, -0.63069582, 1.0931536, -0.0855698586],
  [0.173301518, 0.247306228, -0.978031576, -0.0855698586],
];
const MARGIN = [0.210851371, 1.55902863, 0.0138507783, 0.372020006, -0.642993748];

const model: GbdtModel = {
  objective: 'binary',
  cols: 3,
  baseScore: 0,
  trees: TREES.map((t) => ({
    feature: Int32Array.from(t.feature),
    threshold: Float64Array.from(t.threshold),
    bin: new Uint8Array(t.feature.length),
    defaultLeft: Uint8Array.from(t.defaultLeft),
    left: Int32Array.from(t.left),
    right: Int32Array.from(t.right),
    value: Float64Array.from(t.value),
    cover: Float64Array.from(t.cover),
    gain: new Float64Array(t.feature.length),
  })),
  bestIteration: 2,
  validLoss: new Float64Array(0),
  params: resolveParams(),
};

describe('gbdtContributions vs XGBoost pred_contribs', () => {
  const x = Float32Array.from(X.flat(), (v) => (v === null ? NaN : v));
  const rows = X.length;

  it('predicts XGBoost margins from its trees', () => {
    const m = predictMargin(model, x, rows);
    MARGIN.forEach((v, r) => expect(m[r]).toBeCloseTo(v, 5));
  });

  it('gives the same Shapley values and bias, missing values included', () => {
    const c = gbdtContributions(model, x, rows);
    CONTRIBS.forEach((row, r) => row.forEach((v, j) => expect(c[r * 4 + j]).toBeCloseTo(v, 5)));
  });
});
