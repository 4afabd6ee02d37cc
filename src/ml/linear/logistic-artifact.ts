/**
 * @module ml/linear/logistic-artifact
 * A logistic model packed as a ModelArtifact for the registry and back (exact: arrays are copied
 * byte for byte).
 */
import type { ModelArtifact } from '../artifact.js';
import type { LogisticModel } from './logistic.js';

const VERSION = 1;

export function logisticToArtifact(m: LogisticModel): ModelArtifact {
  return {
    kind: 'logistic',
    version: VERSION,
    meta: {
      cols: m.cols,
      intercept: m.intercept,
      interceptStandardised: m.interceptStandardised,
      l2: m.l2,
      iterations: m.iterations,
    },
    arrays: { coef: m.coef, mean: m.mean, scale: m.scale, coefStandardised: m.coefStandardised },
  };
}

export function logisticFromArtifact(a: ModelArtifact): LogisticModel {
  if (a.kind !== 'logistic' || a.version !== VERSION) {
    throw new Error(`expected a logistic artifact version ${VERSION}, got '${a.kind}' version ${a.version}`);
  }
  const f64 = (name: string): Float64Array => {
    const v = a.arrays[name];
    if (!(v instanceof Float64Array)) throw new Error(`logistic artifact lacks array '${name}'`);
    return v;
  };
  const num = (name: string): number => {
    const v = a.meta[name];
    if (typeof v !== 'number') throw new Error(`logistic artifact lacks '${name}'`);
    return v;
  };
  return {
    cols: num('cols'),
    intercept: num('intercept'),
    interceptStandardised: num('interceptStandardised'),
    l2: num('l2'),
    iterations: num('iterations'),
    coef: f64('coef'),
    mean: f64('mean'),
    scale: f64('scale'),
    coefStandardised: f64('coefStandardised'),
  };
}
