/**
 * @module ml/iforest/serialise
 * An isolation forest packed as a ModelArtifact for the registry and back (arrays byte for byte).
 */
import type { ModelArtifact } from '../artifact.js';
import type { IsolationForest } from './model.js';

const VERSION = 1;

export function isolationForestToArtifact(m: IsolationForest): ModelArtifact {
  return {
    kind: 'iforest',
    version: VERSION,
    meta: { cols: m.cols, sampleSize: m.sampleSize, seed: m.seed },
    arrays: {
      roots: m.roots,
      feature: m.feature,
      threshold: m.threshold,
      left: m.left,
      right: m.right,
      size: m.size,
    },
  };
}

export function isolationForestFromArtifact(a: ModelArtifact): IsolationForest {
  if (a.kind !== 'iforest' || a.version !== VERSION) {
    throw new Error(`expected an iforest artifact version ${VERSION}, got '${a.kind}' version ${a.version}`);
  }
  const num = (name: string): number => {
    const v = a.meta[name];
    if (typeof v !== 'number') throw new Error(`iforest artifact lacks '${name}'`);
    return v;
  };
  const i32 = (name: string): Int32Array => {
    const v = a.arrays[name];
    if (!(v instanceof Int32Array)) throw new Error(`iforest artifact lacks array '${name}'`);
    return v;
  };
  const threshold = a.arrays['threshold'];
  if (!(threshold instanceof Float64Array)) throw new Error(`iforest artifact lacks array 'threshold'`);
  return {
    cols: num('cols'),
    sampleSize: num('sampleSize'),
    seed: num('seed'),
    roots: i32('roots'),
    feature: i32('feature'),
    threshold,
    left: i32('left'),
    right: i32('right'),
    size: i32('size'),
  };
}
