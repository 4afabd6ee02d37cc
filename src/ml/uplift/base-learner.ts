/**
 * @module ml/uplift/base-learner
 * The models an uplift learner is built from: the project's GBDT (ml/gbdt) or its linear models
 * (ml/linear: logistic regression for outcomes, ridge for the X-learner's continuous effects). One
 * spec names the family and its settings; `fitClassifier` / `fitRegressor` train it, `predictBase`
 * answers probabilities (classifier) or values (regressor), and the artifact functions store it.
 *
 * @example
 *   const m = fitClassifier({ kind: 'logistic' }, { features, rows, cols }, labels);
 *   predictBase(m, features, rows); // P(y = 1 | x)
 */
import type { ModelArtifact } from '../artifact.js';
import { gbdtFromArtifact, gbdtToArtifact } from '../gbdt/serialise.js';
import { predictGbdt, type GbdtModel } from '../gbdt/model.js';
import type { GbdtParams } from '../gbdt/params.js';
import { trainGbdt } from '../gbdt/train.js';
import { logisticFromArtifact, logisticToArtifact } from '../linear/logistic-artifact.js';
import { predictLogistic, trainLogistic, type LogisticModel } from '../linear/logistic.js';
import { predictRidge, trainRidge, type RidgeModel } from '../linear/ridge.js';

export type BaseLearnerSpec =
  | { readonly kind: 'logistic'; readonly l2?: number }
  | { readonly kind: 'gbdt'; readonly params?: Partial<GbdtParams> };

export type FittedBase =
  | { readonly kind: 'logistic'; readonly model: LogisticModel }
  | { readonly kind: 'gbdt'; readonly model: GbdtModel }
  | { readonly kind: 'ridge'; readonly model: RidgeModel };

export interface Matrix {
  /** Row-major rows x cols, NaN = missing. */
  readonly features: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** A model of P(y = 1 | x) on 0/1 labels. */
export function fitClassifier(spec: BaseLearnerSpec, x: Matrix, labels: Float32Array): FittedBase {
  if (spec.kind === 'logistic') {
    return { kind: 'logistic', model: trainLogistic({ ...x, labels, l2: spec.l2 ?? 1 }) };
  }
  return {
    kind: 'gbdt',
    model: trainGbdt({ ...x, labels, params: { ...spec.params, objective: 'binary' } }),
  };
}

/** A model of E[target | x] for a continuous target: GBDT regression, or ridge for the linear family. */
export function fitRegressor(spec: BaseLearnerSpec, x: Matrix, targets: Float32Array): FittedBase {
  if (spec.kind === 'logistic')
    return { kind: 'ridge', model: trainRidge({ ...x, targets, l2: spec.l2 ?? 1 }) };
  return {
    kind: 'gbdt',
    model: trainGbdt({ ...x, labels: targets, params: { ...spec.params, objective: 'regression' } }),
  };
}

export function predictBase(m: FittedBase, features: Float32Array, rows: number): Float64Array {
  if (m.kind === 'logistic') return predictLogistic(m.model, features, rows);
  if (m.kind === 'ridge') return predictRidge(m.model, features, rows);
  return predictGbdt(m.model, features, rows);
}

export function baseToArtifact(m: FittedBase): ModelArtifact {
  if (m.kind === 'logistic') return logisticToArtifact(m.model);
  if (m.kind === 'gbdt') return gbdtToArtifact(m.model);
  const r = m.model;
  return {
    kind: 'ridge',
    version: 1,
    meta: { cols: r.cols, intercept: r.intercept, l2: r.l2 },
    arrays: { coef: r.coef, mean: r.mean, scale: r.scale },
  };
}

export function baseFromArtifact(a: ModelArtifact): FittedBase {
  if (a.kind === 'logistic') return { kind: 'logistic', model: logisticFromArtifact(a) };
  if (a.kind === 'gbdt') return { kind: 'gbdt', model: gbdtFromArtifact(a) };
  if (a.kind !== 'ridge' || a.version !== 1)
    throw new Error(`unknown base model artifact '${a.kind}' v${a.version}`);
  const arr = (name: string): Float64Array => {
    const v = a.arrays[name];
    if (!(v instanceof Float64Array)) throw new Error(`ridge artifact lacks array '${name}'`);
    return v;
  };
  return {
    kind: 'ridge',
    model: {
      cols: Number(a.meta['cols']),
      intercept: Number(a.meta['intercept']),
      l2: Number(a.meta['l2']),
      coef: arr('coef'),
      mean: arr('mean'),
      scale: arr('scale'),
    },
  };
}
