/**
 * @module ml/linear/sparse-logistic-artifact
 * A sparse logistic model packed as a ModelArtifact for the registry and back (exact: the weights
 * are copied byte for byte).
 */
import type { ModelArtifact } from '../artifact.js';
import type { SparseLogisticModel } from './sparse-logistic.js';

const VERSION = 1;

export function sparseLogisticToArtifact(m: SparseLogisticModel): ModelArtifact {
  return {
    kind: 'sparse-logistic',
    version: VERSION,
    meta: {
      classes: m.classes,
      cols: m.cols,
      l2: m.l2,
      iterations: m.iterations,
      converged: m.converged,
      loss: m.loss,
    },
    arrays: { weights: m.weights, intercept: m.intercept },
  };
}

export function sparseLogisticFromArtifact(a: ModelArtifact): SparseLogisticModel {
  if (a.kind !== 'sparse-logistic' || a.version !== VERSION) {
    throw new Error(
      `expected a sparse-logistic artifact version ${VERSION}, got '${a.kind}' version ${a.version}`,
    );
  }
  const { weights, intercept } = a.arrays;
  if (!(weights instanceof Float64Array) || !(intercept instanceof Float64Array)) {
    throw new Error('sparse-logistic artifact lacks its weights or intercept');
  }
  const num = (name: string): number => {
    const v = a.meta[name];
    if (typeof v !== 'number') throw new Error(`sparse-logistic artifact lacks '${name}'`);
    return v;
  };
  const classes = num('classes');
  const cols = num('cols');
  const k = classes === 2 ? 1 : classes;
  if (weights.length !== cols * k || intercept.length !== k) {
    throw new Error(`sparse-logistic artifact: ${weights.length} weights for ${cols} features x ${k}`);
  }
  return {
    classes,
    cols,
    weights,
    intercept,
    l2: num('l2'),
    iterations: num('iterations'),
    converged: a.meta.converged === true,
    loss: num('loss'),
  };
}
