import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { chooseKind, scoreClassifier, trainClassifier } from './classifier.js';
import { foldsExcept, stratifiedFolds } from './folds.js';
import { CV_FOLDS } from './params.js';
import { splitCustomers } from './split.js';
import { tuneGbdt, tuneLogistic } from './tuning.js';

// 600 rows, 4 features: the label is (x0 > 50) XOR (x1 > 50), flipped on 5% of rows; x2, x3 noise.
// No additive model (logistic, or boosted 2-leaf stumps) can rank an XOR; 4-leaf trees can.
function xor(): { values: Float32Array; labels: Float32Array; cols: number } {
  const n = 600;
  const rng = new Rng(3);
  const values = new Float32Array(n * 4);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) values[i * 4 + j] = rng.float() * 100;
    const y = values[i * 4]! > 50 !== values[i * 4 + 1]! > 50 ? 1 : 0;
    labels[i] = rng.float() < 0.05 ? 1 - y : y;
  }
  return { values, labels, cols: 4 };
}

/** A copy where every row outside `keep` has label 7 (which both trainers refuse) and NaN features. */
function poisoned(d: ReturnType<typeof xor>, keep: Int32Array): ReturnType<typeof xor> {
  const kept = new Set(keep);
  const values = d.values.slice();
  const labels = d.labels.slice();
  for (let r = 0; r < labels.length; r++) {
    if (kept.has(r)) continue;
    labels[r] = 7;
    values.fill(NaN, r * d.cols, (r + 1) * d.cols);
  }
  return { values, labels, cols: d.cols };
}

describe('stratified folds', () => {
  // Rows 1, 2, 4, 5, 7, 8, 9, 11 of twelve. Class 0 rows in order: 2, 5, 8, 11 -> folds 0, 1, 2, 0;
  // class 1 rows 1, 4, 7, 9 continue the count (4, 5, 6, 7) -> folds 1, 2, 0, 1.
  const labels = Float32Array.from([0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  const rows = Int32Array.from([1, 2, 4, 5, 7, 8, 9, 11]);

  it('deals each class in row order, by hand', () => {
    const folds = stratifiedFolds(rows, labels, 3);
    expect(folds.map((f) => Array.from(f))).toEqual([
      [2, 7, 11],
      [1, 5, 9],
      [4, 8],
    ]);
    expect(Array.from(foldsExcept(folds, 0, 1))).toEqual([4, 8]);
    expect(Array.from(foldsExcept(folds, 2))).toEqual([1, 2, 5, 7, 9, 11]);
  });

  it('refuses fewer than 3 folds and rows without a 0/1 label', () => {
    expect(() => stratifiedFolds(rows, labels, 2)).toThrow(/k must be a whole number >= 3/);
    const bad = labels.slice();
    bad[5] = NaN;
    expect(() => stratifiedFolds(rows, bad, 3)).toThrow(/labels must be 0 or 1/);
  });
});

describe('tuning inside the fitting part', () => {
  const d = xor();
  const split = splitCustomers(600, { seed: 5 });

  it('uses exactly the fitting rows: the same answer when every other row is poisoned', () => {
    const folds = stratifiedFolds(split.train, d.labels, CV_FOLDS);
    expect(Array.from(foldsExcept(folds))).toEqual(Array.from(split.train));
    const test = new Set(split.test);
    for (const f of folds) for (const r of f) expect(test.has(r)).toBe(false);
    const p = poisoned(d, split.train);
    const grid = [
      { maxLeaves: 2, minChildHessian: 5 },
      { maxLeaves: 4, minChildHessian: 5 },
    ];
    expect(tuneGbdt(p, folds, grid)).toEqual(tuneGbdt(d, folds, grid));
    expect(tuneLogistic(p, folds)).toEqual(tuneLogistic(d, folds));
  });

  it('picks 4-leaf trees over 2-leaf stumps on an XOR, with a tree count from the folds', () => {
    const folds = stratifiedFolds(split.train, d.labels, CV_FOLDS);
    const t = tuneGbdt(d, folds, [
      { maxLeaves: 2, minChildHessian: 5 },
      { maxLeaves: 4, minChildHessian: 5 },
    ]);
    expect(t.grid[0]!.cvRocAuc).toBeLessThan(0.65);
    expect(t.grid[1]!.cvRocAuc).toBeGreaterThan(0.85);
    expect(t.best).toBe(t.grid[1]);
    expect(t.best.rounds).toBeGreaterThanOrEqual(1);
  });

  it('trains without ever reading a test customer, and serves the model better on the selection part', () => {
    const clean = trainClassifier({ ...d, split });
    const blind = trainClassifier({
      ...poisoned(d, Int32Array.from([...split.train, ...split.select])),
      split,
    });
    expect(blind.tuning).toEqual(clean.tuning);
    expect(blind.selection).toEqual(clean.selection);
    expect(Array.from(scoreClassifier(blind.chosen, d.values, 600))).toEqual(
      Array.from(scoreClassifier(clean.chosen, d.values, 600)),
    );
    // On an XOR the trees win the choice clearly.
    expect(clean.selection.gbdt).toBeGreaterThan(0.85);
    expect(clean.selection.logistic).toBeLessThan(0.65);
    expect(clean.chosen).toBe(clean.gbdt);
  });

  it('chooses the higher selection ROC-AUC; a tie or NaN goes to logistic', () => {
    expect(chooseKind({ gbdt: 0.75, logistic: 0.74 })).toBe('gbdt');
    expect(chooseKind({ gbdt: 0.74, logistic: 0.75 })).toBe('logistic');
    expect(chooseKind({ gbdt: 0.75, logistic: 0.75 })).toBe('logistic');
    expect(chooseKind({ gbdt: NaN, logistic: 0.6 })).toBe('logistic');
  });
});
