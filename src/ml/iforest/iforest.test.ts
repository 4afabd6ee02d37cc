import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { decodeArtifact, encodeArtifact } from '../artifact.js';
import {
  averagePathLength,
  harmonic,
  isolationForestFromArtifact,
  isolationForestToArtifact,
  meanPathLengths,
  pathContributions,
  scoreWithContributions,
  scoreIsolationForest,
  trainIsolationForest,
} from './index.js';

/** n points from a standard normal in `cols` dimensions, then the extra rows given. */
function gaussian(n: number, cols: number, seed: number, extra: number[][] = []): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array((n + extra.length) * cols);
  for (let i = 0; i < n * cols; i++) out[i] = rng.normal();
  extra.forEach((row, k) => row.forEach((v, j) => (out[(n + k) * cols + j] = v)));
  return out;
}

function median(xs: Float64Array): number {
  const s = Float64Array.from(xs).sort();
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

describe('average path length c(n)', () => {
  it('matches the hand-computed small cases', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    // c(3) = 2 H(2) - 4/3 = 3 - 4/3; c(4) = 2 H(3) - 6/4 = 11/3 - 3/2.
    expect(averagePathLength(3)).toBeCloseTo(5 / 3, 12);
    expect(averagePathLength(4)).toBeCloseTo(13 / 6, 12);
  });

  it('uses an accurate harmonic number on both sides of the exact-sum cut-off', () => {
    let exact = 0;
    for (let k = 1; k <= 1000; k++) exact += 1 / k;
    expect(harmonic(1000)).toBeCloseTo(exact, 10);
    expect(harmonic(10)).toBeCloseTo(7381 / 2520, 14); // H(10) as a fraction
  });

  it('c(256) agrees with scikit-learn, which uses H(i) ~ ln(i) + gamma (10.2448), to that approximation', () => {
    // sklearn _average_path_length(256) = 2 (ln 255 + 0.5772) - 2 * 255 / 256 = 10.24477; the exact H
    // adds about 2 / (2 * 255) = 0.0039.
    expect(averagePathLength(256)).toBeCloseTo(10.24477 + 1 / 255, 4);
  });
});

describe('isolation forest', () => {
  const cols = 2;
  const n = 2000;
  const data = gaussian(n, cols, 7, [[8, 8]]);
  const rows = n + 1;
  const model = trainIsolationForest({ features: data, rows, cols, params: { seed: 3 } });

  it('scores an obvious outlier above 0.7 and the bulk near 0.5', () => {
    const s = scoreIsolationForest(model, data, rows);
    expect(s[n]!).toBeGreaterThan(0.7);
    const bulk = s.subarray(0, n);
    expect(median(bulk)).toBeGreaterThan(0.4);
    expect(median(bulk)).toBeLessThan(0.55);
    // The outlier is the single highest score.
    expect(Math.max(...bulk)).toBeLessThan(s[n]!);
  });

  it('s(x) = 2^(-E[h(x)] / c(psi))', () => {
    const h = meanPathLengths(model, data, rows);
    const s = scoreIsolationForest(model, data, rows);
    const c = averagePathLength(256);
    for (const r of [0, 17, n]) expect(s[r]!).toBeCloseTo(2 ** (-h[r]! / c), 12);
  });

  it('path contributions add up to c(psi) - E[h(x)] and name the feature that isolates the row', () => {
    const outlierOnSecond = gaussian(n, cols, 9, [[0, 9]]);
    const m = trainIsolationForest({ features: outlierOnSecond, rows, cols, params: { seed: 5 } });
    const contribs = pathContributions(m, outlierOnSecond, rows);
    const h = meanPathLengths(m, outlierOnSecond, rows);
    for (const r of [0, 1, n]) {
      const o = r * (cols + 1);
      expect(contribs[o + cols]! - contribs[o]! - contribs[o + 1]!).toBeCloseTo(h[r]!, 9);
    }
    const o = n * (cols + 1);
    expect(contribs[o + 1]!).toBeGreaterThan(contribs[o]!);
    expect(contribs[o + 1]!).toBeGreaterThan(2); // isolated several splits sooner than a typical point
  });

  it('contributions equal the credit computed at every step, (c(n_k) - 1 - c(n_k+1)) / trees, bit for bit', () => {
    // The walk as it was before the credits were computed once per node (issue 10's speed work).
    const trees = model.roots.length;
    const expected = new Float64Array(rows * (cols + 1));
    for (let t = 0; t < trees; t++) {
      for (let r = 0; r < rows; r++) {
        let node = model.roots[t]!;
        for (;;) {
          const f = model.feature[node]!;
          if (f < 0) break;
          const next = data[r * cols + f]! < model.threshold[node]! ? model.left[node]! : model.right[node]!;
          const saved = averagePathLength(model.size[node]!) - 1 - averagePathLength(model.size[next]!);
          expected[r * (cols + 1) + f] = expected[r * (cols + 1) + f]! + saved / trees;
          node = next;
        }
      }
    }
    for (let r = 0; r < rows; r++) expected[r * (cols + 1) + cols] = averagePathLength(256);
    const got = scoreWithContributions(model, data, rows).contributions;
    expect(got.length).toBe(expected.length);
    expect(got.every((v, i) => Object.is(v, expected[i]))).toBe(true);
  });

  it('scores and contributions in one walk equal the two separate walks bit for bit', () => {
    const both = scoreWithContributions(model, data, rows);
    expect(both.scores).toEqual(scoreIsolationForest(model, data, rows));
    expect(both.contributions).toEqual(pathContributions(model, data, rows));
    // A row's contributions are what it saved against c(psi), tree by tree, in the same units.
    const o = n * (cols + 1);
    let saved = 0;
    for (let j = 0; j < cols; j++) saved += both.contributions[o + j]!;
    expect(both.scores[n]!).toBeCloseTo(2 ** (-(averagePathLength(256) - saved) / averagePathLength(256)), 9);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const again = trainIsolationForest({ features: data, rows, cols, params: { seed: 3 } });
    const other = trainIsolationForest({ features: data, rows, cols, params: { seed: 4 } });
    const s = scoreIsolationForest(model, data, rows);
    expect(scoreIsolationForest(again, data, rows)).toEqual(s);
    expect(scoreIsolationForest(other, data, rows)).not.toEqual(s);
  });

  it('limits depth to ceil(log2 psi) and draws psi rows per tree', () => {
    expect(model.roots.length).toBe(100);
    expect(model.sampleSize).toBe(256);
    for (const root of model.roots) expect(model.size[root]).toBe(256);
    const depth = (node: number): number =>
      model.feature[node]! < 0 ? 0 : 1 + Math.max(depth(model.left[node]!), depth(model.right[node]!));
    expect(Math.max(...Array.from(model.roots, depth))).toBe(8);
  });

  it('round-trips through a model artifact exactly', () => {
    const back = isolationForestFromArtifact(
      decodeArtifact(encodeArtifact(isolationForestToArtifact(model))),
    );
    expect(scoreIsolationForest(back, data, rows)).toEqual(scoreIsolationForest(model, data, rows));
  });

  it('routes missing values right without letting them isolate a row', () => {
    const withNan = Float32Array.from(data);
    withNan[0] = NaN;
    const m = trainIsolationForest({ features: withNan, rows, cols, params: { seed: 3 } });
    const s = scoreIsolationForest(m, Float32Array.of(NaN, 0), 1);
    expect(Number.isFinite(s[0]!)).toBe(true);
    expect(s[0]!).toBeLessThan(0.7);
  });

  it('cannot tell identical rows apart: every score is 2^(-c(n)/c(n)) = 0.5', () => {
    const same = new Float32Array(40).fill(3);
    const m = trainIsolationForest({ features: same, rows: 20, cols: 2, params: { trees: 10 } });
    for (const v of scoreIsolationForest(m, same, 20)) expect(v).toBeCloseTo(0.5, 12);
  });

  it('rejects bad input with the reason', () => {
    expect(() => trainIsolationForest({ features: new Float32Array(0), rows: 0, cols: 2 })).toThrow(
      /no rows/,
    );
    expect(() => trainIsolationForest({ features: new Float32Array(5), rows: 3, cols: 2 })).toThrow(
      /5 values for 3 rows x 2 features/,
    );
    expect(() => scoreIsolationForest(model, new Float32Array(3), 1)).toThrow(/3 values for 1 rows x 2/);
  });
});
