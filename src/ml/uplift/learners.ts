/**
 * @module ml/uplift/learners
 * Uplift (conditional average treatment effect) models for one treatment against a control,
 * built on a base learner (GBDT or the linear family). The uplift of x is
 * P(y = 1 | x, treated) - P(y = 1 | x, control), estimated four ways:
 *
 *   't-learner'             two classifiers, one per group; uplift = m1(x) - m0(x)
 *   's-learner'             one classifier on [x, t]; uplift = m(x, 1) - m(x, 0) (sklift SoloModel)
 *   'x-learner'             Kunzel et al. 2019: T-learner first, then imputed effects
 *                           D1 = y - m0(x) on the treated and D0 = m1(x) - y on the controls, each
 *                           regressed on x (tau1, tau0), blended g tau0 + (1 - g) tau1 with g the
 *                           treated share (the propensity of a randomised test, constant)
 *   'class-transformation'  Jaskowski & Jaroszewicz 2012: z = 1 when (t = 1, y = 1) or (t = 0, y = 0);
 *                           uplift = 2 P(z = 1 | x) - 1. Exact when half the rows are treated; with
 *                           another share it ranks as if the groups were reweighted to half each
 *                           (sklift ClassTransformation makes the same assumption)
 *
 * Outcomes are 0/1 (visit, conversion). The response model that uplift is compared with (who
 * buys when treated) is a plain classifier on the treated rows: `fitClassifier` in base-learner.
 *
 * @example
 *   const m = fitUplift({ features, rows, cols }, y, t, { method: 't-learner', base: { kind: 'logistic' } });
 *   predictUplift(m, features, rows); // one uplift per row
 */
import {
  fitClassifier,
  fitRegressor,
  predictBase,
  type BaseLearnerSpec,
  type FittedBase,
  type Matrix,
} from './base-learner.js';

export const UPLIFT_METHODS = ['t-learner', 's-learner', 'x-learner', 'class-transformation'] as const;
export type UpliftMethod = (typeof UPLIFT_METHODS)[number];

export interface UpliftSpec {
  readonly method: UpliftMethod;
  readonly base: BaseLearnerSpec;
}

export interface UpliftModel {
  readonly method: UpliftMethod;
  readonly cols: number;
  /** The fitted parts by role: m0, m1 (T, X), m (S), z (class transformation), tau0, tau1 (X). */
  readonly parts: Readonly<Record<string, FittedBase>>;
  /** Treated share of the training rows (the X-learner's blend weight g). */
  readonly treatedShare: number;
}

/** The rows of a matrix whose flag equals `value`, as a new matrix, with their outcomes. */
function subset(
  x: Matrix,
  flags: ArrayLike<number>,
  value: number,
  y: Float32Array,
): { m: Matrix; y: Float32Array } {
  let n = 0;
  for (let i = 0; i < x.rows; i++) if (flags[i] === value) n++;
  const f = new Float32Array(n * x.cols);
  const out = new Float32Array(n);
  let k = 0;
  for (let i = 0; i < x.rows; i++) {
    if (flags[i] !== value) continue;
    f.set(x.features.subarray(i * x.cols, (i + 1) * x.cols), k * x.cols);
    out[k++] = y[i]!;
  }
  return { m: { features: f, rows: n, cols: x.cols }, y: out };
}

/** The matrix with one more column holding `t` (a constant, or one value per row). */
function withTreatmentColumn(x: Matrix, t: number | ArrayLike<number>): Float32Array {
  const c = x.cols + 1;
  const out = new Float32Array(x.rows * c);
  for (let i = 0; i < x.rows; i++) {
    out.set(x.features.subarray(i * x.cols, (i + 1) * x.cols), i * c);
    out[i * c + x.cols] = typeof t === 'number' ? t : t[i]!;
  }
  return out;
}

function checkInput(x: Matrix, y: Float32Array, t: ArrayLike<number>): number {
  if (x.features.length !== x.rows * x.cols) {
    throw new Error(`uplift: ${x.features.length} values is not ${x.rows} rows x ${x.cols} features`);
  }
  if (y.length !== x.rows || t.length !== x.rows) {
    throw new Error(`uplift: ${x.rows} rows but ${y.length} outcomes and ${t.length} treatment flags`);
  }
  let treated = 0;
  for (let i = 0; i < x.rows; i++) {
    if (t[i] !== 0 && t[i] !== 1) throw new Error(`uplift: treatment flag ${t[i]} at row ${i} (need 0 or 1)`);
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`uplift: outcome ${y[i]} at row ${i} (need 0 or 1)`);
    treated += t[i]!;
  }
  if (treated === 0 || treated === x.rows) {
    throw new Error(`uplift: needs treated and control rows (got ${treated} treated of ${x.rows})`);
  }
  return treated / x.rows;
}

export function fitUplift(x: Matrix, y: Float32Array, t: ArrayLike<number>, spec: UpliftSpec): UpliftModel {
  const treatedShare = checkInput(x, y, t);
  const base = spec.base;
  const done = (parts: Record<string, FittedBase>): UpliftModel => ({
    method: spec.method,
    cols: x.cols,
    parts,
    treatedShare,
  });
  switch (spec.method) {
    case 't-learner': {
      const c = subset(x, t, 0, y);
      const tr = subset(x, t, 1, y);
      return done({ m0: fitClassifier(base, c.m, c.y), m1: fitClassifier(base, tr.m, tr.y) });
    }
    case 's-learner': {
      const m = { features: withTreatmentColumn(x, t), rows: x.rows, cols: x.cols + 1 };
      return done({ m: fitClassifier(base, m, y) });
    }
    case 'class-transformation': {
      const z = Float32Array.from(y, (v, i) => (v === t[i] ? 1 : 0));
      return done({ z: fitClassifier(base, x, z) });
    }
    case 'x-learner': {
      const c = subset(x, t, 0, y);
      const tr = subset(x, t, 1, y);
      const m0 = fitClassifier(base, c.m, c.y);
      const m1 = fitClassifier(base, tr.m, tr.y);
      const m0OnTreated = predictBase(m0, tr.m.features, tr.m.rows);
      const m1OnControl = predictBase(m1, c.m.features, c.m.rows);
      const d1 = Float32Array.from(tr.y, (v, i) => v - m0OnTreated[i]!);
      const d0 = Float32Array.from(c.y, (v, i) => m1OnControl[i]! - v);
      return done({ m0, m1, tau1: fitRegressor(base, tr.m, d1), tau0: fitRegressor(base, c.m, d0) });
    }
  }
}

function part(m: UpliftModel, name: string): FittedBase {
  const p = m.parts[name];
  if (!p) throw new Error(`uplift ${m.method} model lacks its part '${name}'`);
  return p;
}

/** One uplift estimate per row of `features` (rows x model.cols). */
export function predictUplift(m: UpliftModel, features: Float32Array, rows: number): Float64Array {
  if (features.length !== rows * m.cols) {
    throw new Error(`uplift: ${features.length} values is not ${rows} rows x ${m.cols} features`);
  }
  const x = { features, rows, cols: m.cols };
  switch (m.method) {
    case 't-learner': {
      const p1 = predictBase(part(m, 'm1'), features, rows);
      const p0 = predictBase(part(m, 'm0'), features, rows);
      return p1.map((v, i) => v - p0[i]!);
    }
    case 's-learner': {
      const p1 = predictBase(part(m, 'm'), withTreatmentColumn(x, 1), rows);
      const p0 = predictBase(part(m, 'm'), withTreatmentColumn(x, 0), rows);
      return p1.map((v, i) => v - p0[i]!);
    }
    case 'class-transformation':
      return predictBase(part(m, 'z'), features, rows).map((p) => 2 * p - 1);
    case 'x-learner': {
      const g = m.treatedShare;
      const tau0 = predictBase(part(m, 'tau0'), features, rows);
      const tau1 = predictBase(part(m, 'tau1'), features, rows);
      return tau0.map((v, i) => g * v + (1 - g) * tau1[i]!);
    }
  }
}
