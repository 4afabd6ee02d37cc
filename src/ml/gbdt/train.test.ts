import { describe, expect, it } from 'vitest';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import { featureImportance, predictGbdt, predictMargin } from './model.js';
import { gbdtFromArtifact, gbdtFromJson, gbdtToArtifact, gbdtToJson } from './serialise.js';
import { trainGbdt } from './train.js';
import { Rng } from '../../core/random.js';

const col = (...v: number[]): Float32Array => Float32Array.from(v);
const exact = { learningRate: 1, lambda: 0, minChildHessian: 0, rounds: 1 } as const;

describe('trainGbdt: hand-checked trees', () => {
  it('L2, one split, lambda 0, learning rate 1: leaf values are the mean residuals', () => {
    // x = 1..6, y = 1 1 1 5 5 9. base = mean y = 22/6 = 3.6667.
    // Squared-error reduction per cut: x <= 3.5 -> 53.33 - 10.67 = 42.67 (best),
    // x <= 4.5 -> 53.33 - 20 = 33.33, x <= 5.5 -> 53.33 - 19.2 = 34.13.
    // Left leaf = mean(1 1 1) - 3.6667 = -2.6667; right = mean(5 5 9) - 3.6667 = 2.6667.
    // Gain (XGBoost form, half the SSE drop) = 1/2 (8^2/3 + 8^2/3) = 21.333.
    const m = trainGbdt({
      features: col(1, 2, 3, 4, 5, 6),
      rows: 6,
      cols: 1,
      labels: col(1, 1, 1, 5, 5, 9),
      params: { ...exact, objective: 'regression', maxDepth: 1 },
    });
    expect(m.baseScore).toBeCloseTo(22 / 6, 12);
    const t = m.trees[0]!;
    expect(t.threshold[0]).toBe(3.5);
    expect(t.value[t.left[0]!]).toBeCloseTo(1 - 22 / 6, 6);
    expect(t.value[t.right[0]!]).toBeCloseTo(19 / 3 - 22 / 6, 6);
    expect(t.gain[0]).toBeCloseTo(64 / 3, 5);
    expect(Array.from(predictGbdt(m, col(0, 3.5, 3.6, 100), 4))).toEqual(
      [1, 1, 19 / 3, 19 / 3].map((v) => expect.closeTo(v, 6)),
    );
    expect(featureImportance(m)[0]).toBeCloseTo(64 / 3, 5);
  });

  it('minSplitGain and minChildHessian veto splits', () => {
    // Same data as above: the best gain is 64/3 = 21.33, and every child of 6 unit-hessian rows
    // has a hessian sum of at most 5.
    const fit = (p: object) =>
      trainGbdt({
        features: col(1, 2, 3, 4, 5, 6),
        rows: 6,
        cols: 1,
        labels: col(1, 1, 1, 5, 5, 9),
        params: { ...exact, objective: 'regression', maxDepth: 1, ...p },
      }).trees[0]!;
    expect(fit({ minSplitGain: 21.4 }).left[0]).toBe(-1);
    expect(fit({ minSplitGain: 21.3 }).left[0]).toBe(1);
    expect(fit({ minChildHessian: 4 }).left[0]).toBe(-1);
    // With 3 per side still allowed, the x <= 3.5 cut survives.
    expect(fit({ minChildHessian: 3 }).threshold[0]).toBe(3.5);
  });

  it('L2, depth 2: each leaf predicts its group mean', () => {
    // y = 0 0 4 4 10 10 at x = 1..6; depth 2 separates the three pairs exactly.
    const m = trainGbdt({
      features: col(1, 2, 3, 4, 5, 6),
      rows: 6,
      cols: 1,
      labels: col(0, 0, 4, 4, 10, 10),
      params: { ...exact, objective: 'regression', maxDepth: 2 },
    });
    const p = predictGbdt(m, col(1.5, 3.5, 5.5), 3);
    expect(p[0]).toBeCloseTo(0, 5);
    expect(p[1]).toBeCloseTo(4, 5);
    expect(p[2]).toBeCloseTo(10, 5);
  });

  it('log-loss, one split, lambda 1: leaves are -G / (H + lambda) from the gradient sums', () => {
    // x = 1..5, y = 0 0 1 1 1. base = logit(0.6) = ln 1.5 = 0.405465, so p = 0.6 everywhere:
    // g = p - y = 0.6 0.6 -0.4 -0.4 -0.4, h = p (1 - p) = 0.24 each.
    // Cut x <= 2.5: GL = 1.2, HL = 0.48, GR = -1.2, HR = 0.72.
    //   gain = 1/2 (1.44/1.48 + 1.44/1.72 - 0) = 0.905091 (x <= 1.5: 0.237, x <= 3.5: 0.402).
    //   left = -1.2/1.48 = -0.810811, right = 1.2/1.72 = 0.697674.
    const m = trainGbdt({
      features: col(1, 2, 3, 4, 5),
      rows: 5,
      cols: 1,
      labels: col(0, 0, 1, 1, 1),
      params: { ...exact, lambda: 1, objective: 'binary', maxDepth: 1 },
    });
    expect(m.baseScore).toBeCloseTo(Math.log(1.5), 12);
    const t = m.trees[0]!;
    expect(t.threshold[0]).toBe(2.5);
    expect(t.gain[0]).toBeCloseTo(0.5 * (1.44 / 1.48 + 1.44 / 1.72), 5);
    expect(t.value[t.left[0]!]).toBeCloseTo(-1.2 / 1.48, 6);
    expect(t.value[t.right[0]!]).toBeCloseTo(1.2 / 1.72, 6);
    const margin = predictMargin(m, col(1, 5), 2);
    expect(margin[0]).toBeCloseTo(Math.log(1.5) - 1.2 / 1.48, 6);
    expect(margin[1]).toBeCloseTo(Math.log(1.5) + 1.2 / 1.72, 6);
    expect(predictGbdt(m, col(1), 1)[0]).toBeCloseTo(1 / (1 + Math.exp(-(Math.log(1.5) - 1.2 / 1.48))), 6);
  });
});

describe('trainGbdt: quantized gradients', () => {
  it('log-loss, one split: the same cut, leaf values and covers from the exact gradients', () => {
    // The data of the log-loss test above: g = 0.6 0.6 -0.4 -0.4 -0.4, h = 0.24 each. Quantized:
    // gradUnit = 0.6/127, so gq = 127 127 and -84 or -85 (stochastic); hessUnit = 0.24/255, hq = 255.
    // Cut x <= 2.5 in those units: GL = 254, HL = 510, GR in -255..-252, HR = 765; it beats
    // x <= 1.5 and x <= 3.5 for every draw. The leaves are renewed from the exact sums:
    // -1.2/1.48 and 1.2/1.72, covers 0.48 and 0.72 (root 1.2), as without quantization.
    const m = trainGbdt({
      features: col(1, 2, 3, 4, 5),
      rows: 5,
      cols: 1,
      labels: col(0, 0, 1, 1, 1),
      params: { ...exact, lambda: 1, objective: 'binary', maxDepth: 1, quantizedGradients: true },
    });
    const t = m.trees[0]!;
    expect(t.threshold[0]).toBe(2.5);
    expect(t.value[t.left[0]!]).toBeCloseTo(-1.2 / 1.48, 6);
    expect(t.value[t.right[0]!]).toBeCloseTo(1.2 / 1.72, 6);
    expect(t.cover[t.left[0]!]).toBeCloseTo(0.48, 6);
    expect(t.cover[t.right[0]!]).toBeCloseTo(0.72, 6);
    expect(t.cover[0]).toBeCloseTo(1.2, 6);
    // The gain is the quantized sums' (GR = -1.2 +- 0.6/127 * 3): within 1% of the exact 0.905091.
    expect(Math.abs(t.gain[0]! / (0.5 * (1.44 / 1.48 + 1.44 / 1.72)) - 1)).toBeLessThan(0.01);
  });

  it('L2, depth 2: the same groups, each leaf its exact mean', () => {
    // y = 0 0 4 4 10 10 at x = 1..6 (the depth-2 test above): the cuts survive quantization and
    // the renewed leaves are the group means to the float32 grid.
    const m = trainGbdt({
      features: col(1, 2, 3, 4, 5, 6),
      rows: 6,
      cols: 1,
      labels: col(0, 0, 4, 4, 10, 10),
      params: { ...exact, objective: 'regression', maxDepth: 2, quantizedGradients: true },
    });
    expect(Array.from(predictGbdt(m, col(1.5, 3.5, 5.5), 3))).toEqual(
      [0, 4, 10].map((v) => expect.closeTo(v, 5)),
    );
  });
});

describe('trainGbdt: quantized gradients with a row sample', () => {
  it('renews each leaf from the sampled rows alone: the leaves of the exact model, to the bit', () => {
    // One clean cut (y = x > 1000), half the rows drawn: the quantized and the exact model cut at
    // the same place, and both leaves come from exact sums over the same drawn rows (the rows left
    // out carry the spare leaf id, leaf-rows.ts), so value and cover agree to the bit.
    const rows = 2000;
    const features = Float32Array.from({ length: rows }, (_, r) => r + 1);
    const labels = Float32Array.from({ length: rows }, (_, r) => (r + 1 > 1000 ? 1 : 0));
    const p = { objective: 'binary', rounds: 1, maxDepth: 1, subsample: 0.5, seed: 5 } as const;
    const q = trainGbdt({ features, rows, cols: 1, labels, params: { ...p, quantizedGradients: true } })
      .trees[0]!;
    const e = trainGbdt({ features, rows, cols: 1, labels, params: { ...p, quantizedGradients: false } })
      .trees[0]!;
    expect(q.threshold[0]).toBe(e.threshold[0]);
    for (const side of [q.left[0]!, q.right[0]!]) {
      expect(q.value[side]).toBe(e.value[side]);
      expect(q.cover[side]).toBe(e.cover[side]);
    }
    // About half the rows' hessians (0.25 each at the base score 0): the drawn rows only.
    expect(q.cover[0]).toBe(e.cover[0]);
    expect(q.cover[0]).toBeCloseTo(0.25 * rows * 0.5, 6);
  });
});

describe('trainGbdt: leaf-wise growth', () => {
  // x = 1..8, y = 0 0 1 1 10 10 30 30 (L2, lambda 0, eta 1). Root: x <= 6.5 leaves the smallest
  // squared error (121.3 vs 339.9 at 5.5 and 401 at 4.5). Then the best leaf is the left one,
  // cut at x <= 4.5 (error 121.3 -> 1); the right leaf (30, 30) cannot improve. The fourth leaf
  // comes from x <= 2.5 inside 1..4 (error 1 -> 0).
  const fit = (maxLeaves: number) =>
    trainGbdt({
      features: col(1, 2, 3, 4, 5, 6, 7, 8),
      rows: 8,
      cols: 1,
      labels: col(0, 0, 1, 1, 10, 10, 30, 30),
      params: { ...exact, objective: 'regression', growth: 'leafwise', maxLeaves, maxDepth: 10 },
    });
  const leaves = (m: ReturnType<typeof fit>) => Array.from(m.trees[0]!.left).filter((l) => l < 0).length;

  it('stops at maxLeaves, splitting the best leaf first', () => {
    const m = fit(3);
    expect(leaves(m)).toBe(3);
    expect(m.trees[0]!.threshold[0]).toBe(6.5);
    expect(Array.from(predictGbdt(m, col(1, 3, 5, 7), 4))).toEqual(
      [0.5, 0.5, 10, 30].map((v) => expect.closeTo(v, 5)),
    );
  });

  it('with one more leaf separates every group', () => {
    const m = fit(4);
    expect(leaves(m)).toBe(4);
    expect(Array.from(predictGbdt(m, col(1, 3, 5, 7), 4))).toEqual(
      [0, 1, 10, 30].map((v) => expect.closeTo(v, 5)),
    );
  });
});

describe('trainGbdt: missing values', () => {
  const fit = (y: number[]) =>
    trainGbdt({
      features: col(1, 2, 3, 4, NaN, NaN),
      rows: 6,
      cols: 1,
      labels: Float32Array.from(y),
      params: { ...exact, objective: 'regression', maxDepth: 1 },
    });

  it('learns to send missing values right when they look like the high values', () => {
    const m = fit([0, 0, 10, 10, 10, 10]);
    const t = m.trees[0]!;
    expect(t.threshold[0]).toBe(2.5);
    expect(t.defaultLeft[0]).toBe(0);
    expect(Array.from(predictGbdt(m, col(NaN, 1, 4), 3))).toEqual(
      [10, 0, 10].map((v) => expect.closeTo(v, 5)),
    );
  });

  it('learns to send missing values left when they look like the low values', () => {
    const m = fit([10, 10, 0, 0, 10, 10]);
    const t = m.trees[0]!;
    expect(t.threshold[0]).toBe(2.5);
    expect(t.defaultLeft[0]).toBe(1);
    expect(Array.from(predictGbdt(m, col(NaN, 1, 4), 3))).toEqual(
      [10, 10, 0].map((v) => expect.closeTo(v, 5)),
    );
  });

  it('can split missing from present', () => {
    const m = fit([0, 0, 0, 0, 10, 10]);
    const t = m.trees[0]!;
    expect(t.threshold[0]).toBe(Infinity);
    expect(t.defaultLeft[0]).toBe(0);
    expect(Array.from(predictGbdt(m, col(NaN, -5, 1e30), 3))).toEqual(
      [10, 0, 0].map((v) => expect.closeTo(v, 5)),
    );
  });
});

/** Noisy two-feature data: labels follow a smooth logit plus 30% noise, so deep trees overfit. */
function noisy(rows: number, seed: number): { features: Float32Array; labels: Float32Array; rows: number } {
  const rng = new Rng(seed);
  const features = new Float32Array(rows * 3);
  const labels = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const a = rng.normal();
    const b = rng.normal();
    features[r * 3] = a;
    features[r * 3 + 1] = b;
    features[r * 3 + 2] = rng.chance(0.2) ? NaN : rng.normal();
    labels[r] = rng.float() < 1 / (1 + Math.exp(-(a + 0.5 * b))) ? 1 : 0;
  }
  return { features, labels, rows };
}

describe('trainGbdt: early stopping', () => {
  it('keeps the trees up to the round with the lowest validation loss', () => {
    const train = noisy(400, 1);
    const valid = noisy(400, 2);
    const params = {
      objective: 'binary',
      maxDepth: 6,
      learningRate: 0.5,
      minChildHessian: 0,
      rounds: 200,
    } as const;
    const m = trainGbdt({ ...train, cols: 3, valid, params: { ...params, earlyStoppingRounds: 5 } });
    const losses = Array.from(m.validLoss);
    const best = losses.indexOf(Math.min(...losses));
    expect(m.bestIteration).toBe(best);
    expect(m.trees.length).toBe(best + 1);
    // It stopped 5 rounds after the best, well before 200.
    expect(losses.length).toBe(best + 1 + 5);
    // The kept model is the model trained for exactly best + 1 rounds.
    const again = trainGbdt({ ...train, cols: 3, params: { ...params, rounds: best + 1 } });
    expect(predictGbdt(m, valid.features, valid.rows)).toEqual(
      predictGbdt(again, valid.features, valid.rows),
    );
  });
});

describe('serialisation', () => {
  const train = noisy(500, 3);
  const m = trainGbdt({
    ...train,
    cols: 3,
    params: { objective: 'binary', rounds: 20, maxDepth: 4, subsample: 0.8, colsample: 0.67, seed: 9 },
  });
  const before = predictGbdt(m, train.features, train.rows);

  it('JSON round-trip predicts identically', () => {
    const again = gbdtFromJson(JSON.parse(JSON.stringify(gbdtToJson(m))));
    expect(predictGbdt(again, train.features, train.rows)).toEqual(before);
    expect(again.params).toEqual(m.params);
  });

  it('artifact round-trip predicts identically', () => {
    const again = gbdtFromArtifact(decodeArtifact(encodeArtifact(gbdtToArtifact(m)), 'gbdt'));
    expect(predictGbdt(again, train.features, train.rows)).toEqual(before);
    expect(again.trees.length).toBe(20);
  });

  it('same seed, same model; another seed, another model', () => {
    const p = { objective: 'binary', rounds: 20, maxDepth: 4, subsample: 0.8, colsample: 0.67 } as const;
    const a = trainGbdt({ ...train, cols: 3, params: { ...p, seed: 9 } });
    const b = trainGbdt({ ...train, cols: 3, params: { ...p, seed: 10 } });
    expect(predictGbdt(a, train.features, train.rows)).toEqual(before);
    expect(predictGbdt(b, train.features, train.rows)).not.toEqual(before);
  });
});

describe('trainGbdt: worker threads', () => {
  it('builds the same model to the bit with a worker as on one thread', () => {
    // 70,000 rows: above every floor below which the calling thread works alone (histograms 8,192
    // rows, partitions, gradients and margin updates 32,768) and the bin-lookup floor (50,000), so
    // each step is really split between the threads.
    const data = noisy(70_000, 4);
    const variants = [
      { objective: 'binary', rounds: 4, maxDepth: 5 },
      { objective: 'binary', rounds: 3, maxDepth: 4, subsample: 0.7, colsample: 0.67, seed: 3 },
      { objective: 'regression', rounds: 3, growth: 'leafwise', maxLeaves: 12, maxDepth: 8 },
    ] as const;
    for (const p of variants) {
      const one = trainGbdt({ ...data, cols: 3, params: { ...p, threads: 0 } });
      const two = trainGbdt({ ...data, cols: 3, params: { ...p, threads: 1 } });
      expect(two.trees).toEqual(one.trees);
      expect(predictGbdt(two, data.features, data.rows)).toEqual(predictGbdt(one, data.features, data.rows));
      expect(one.trees[0]!.left.length).toBeGreaterThan(15); // real trees, not stumps
    }
  });

  it('with quantized gradients too: the same model to the bit, close to the exact one', () => {
    // The quantization draws by (seed, round, row) and every sum is an exact integer (histograms)
    // or on the gradient grid (leaves), so no thread count can change a bit.
    const data = noisy(70_000, 4);
    const variants = [
      { objective: 'binary', rounds: 4, maxDepth: 5 },
      { objective: 'binary', rounds: 3, maxDepth: 4, subsample: 0.7, colsample: 0.67, seed: 3 },
      { objective: 'regression', rounds: 3, growth: 'leafwise', maxLeaves: 12, maxDepth: 8 },
    ] as const;
    for (const p of variants) {
      const one = trainGbdt({ ...data, cols: 3, params: { ...p, threads: 0, quantizedGradients: true } });
      const two = trainGbdt({ ...data, cols: 3, params: { ...p, threads: 1, quantizedGradients: true } });
      expect(two.trees).toEqual(one.trees);
      // Three workers: four row ranges, so four regions of leaf sums added (leaf-rows.ts).
      const four = trainGbdt({ ...data, cols: 3, params: { ...p, threads: 3, quantizedGradients: true } });
      expect(four.trees).toEqual(one.trees);
      expect(one.trees[0]!.left.length).toBeGreaterThan(15);
      // The root cut is the exact model's (a feature and a bin far ahead of the rest).
      const exactModel = trainGbdt({ ...data, cols: 3, params: { ...p, threads: 0 } });
      expect(one.trees[0]!.feature[0]).toBe(exactModel.trees[0]!.feature[0]);
      expect(one.trees[0]!.threshold[0]).toBe(exactModel.trees[0]!.threshold[0]);
    }
  });
});
