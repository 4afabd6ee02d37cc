/**
 * @module ml/gbdt/serialise
 * A trained model to plain JSON and back, and to a ModelArtifact (src/ml/artifact.ts, what the
 * registry stores) and back. Both round-trips are exact: JSON prints doubles with enough digits to
 * read back the same double, and the artifact copies the typed arrays byte for byte, so predictions
 * are identical after loading.
 *
 * @example
 *   const text = JSON.stringify(gbdtToJson(model));
 *   const again = gbdtFromJson(JSON.parse(text)); // predictGbdt(again, ...) === predictGbdt(model, ...)
 *   const bytes = encodeArtifact(gbdtToArtifact(model));
 */
import type { ModelArtifact } from '../artifact.js';
import type { GbdtModel } from './model.js';
import { resolveParams, type GbdtParams } from './params.js';
import type { Tree } from './tree.js';

const FORMAT = 'shopsight-gbdt';
const VERSION = 1;

export interface GbdtTreeJson {
  feature: number[];
  /** null stands for +Infinity (a "missing vs present" split), which JSON cannot hold. */
  threshold: (number | null)[];
  bin: number[];
  defaultLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
  gain: number[];
}

export interface GbdtJson {
  format: typeof FORMAT;
  version: number;
  objective: GbdtModel['objective'];
  cols: number;
  baseScore: number;
  bestIteration: number;
  validLoss: number[];
  params: GbdtParams;
  trees: GbdtTreeJson[];
}

export function gbdtToJson(model: GbdtModel): GbdtJson {
  return {
    format: FORMAT,
    version: VERSION,
    objective: model.objective,
    cols: model.cols,
    baseScore: model.baseScore,
    bestIteration: model.bestIteration,
    validLoss: Array.from(model.validLoss),
    params: { ...model.params },
    trees: model.trees.map((t) => ({
      feature: Array.from(t.feature),
      threshold: Array.from(t.threshold, (v) => (v === Infinity ? null : v)),
      bin: Array.from(t.bin),
      defaultLeft: Array.from(t.defaultLeft),
      left: Array.from(t.left),
      right: Array.from(t.right),
      value: Array.from(t.value),
      cover: Array.from(t.cover),
      gain: Array.from(t.gain),
    })),
  };
}

export function gbdtFromJson(json: GbdtJson): GbdtModel {
  if (json.format !== FORMAT) throw new Error(`not a Shopsight GBDT model (format '${String(json.format)}')`);
  if (json.version !== VERSION) throw new Error(`GBDT model format version ${json.version} is not supported`);
  const trees: Tree[] = json.trees.map((t) => {
    const n = t.feature.length;
    for (const k of ['threshold', 'bin', 'defaultLeft', 'left', 'right', 'value', 'cover', 'gain'] as const) {
      if (t[k].length !== n)
        throw new Error(`GBDT model: a tree's '${k}' has ${t[k].length} entries, not ${n}`);
    }
    return {
      feature: Int32Array.from(t.feature),
      threshold: Float64Array.from(t.threshold, (v) => (v === null ? Infinity : v)),
      bin: Uint8Array.from(t.bin),
      defaultLeft: Uint8Array.from(t.defaultLeft),
      left: Int32Array.from(t.left),
      right: Int32Array.from(t.right),
      value: Float64Array.from(t.value),
      cover: Float64Array.from(t.cover),
      gain: Float64Array.from(t.gain),
    };
  });
  return {
    objective: json.objective,
    cols: json.cols,
    baseScore: json.baseScore,
    trees,
    bestIteration: json.bestIteration,
    validLoss: Float64Array.from(json.validLoss),
    params: resolveParams(json.params),
  };
}

/** All trees' node arrays concatenated; `treeStart[t]` is tree t's first node (plus a final end). */
export function gbdtToArtifact(model: GbdtModel): ModelArtifact {
  const total = model.trees.reduce((s, t) => s + t.feature.length, 0);
  const treeStart = new Int32Array(model.trees.length + 1);
  const cat = {
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    bin: new Uint8Array(total),
    defaultLeft: new Uint8Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
    cover: new Float64Array(total),
    gain: new Float64Array(total),
  };
  let at = 0;
  model.trees.forEach((t, i) => {
    treeStart[i] = at;
    for (const k of Object.keys(cat) as (keyof typeof cat)[]) cat[k].set(t[k], at);
    at += t.feature.length;
  });
  treeStart[model.trees.length] = at;
  return {
    kind: 'gbdt',
    version: VERSION,
    meta: {
      objective: model.objective,
      cols: model.cols,
      baseScore: model.baseScore,
      bestIteration: model.bestIteration,
      params: { ...model.params },
    },
    arrays: { ...cat, treeStart, validLoss: model.validLoss },
  };
}

export function gbdtFromArtifact(a: ModelArtifact): GbdtModel {
  if (a.kind !== 'gbdt') throw new Error(`model artifact is a '${a.kind}' model, expected 'gbdt'`);
  if (a.version !== VERSION) throw new Error(`GBDT artifact version ${a.version} is not supported`);
  const arr = a.arrays;
  const get = <T>(name: string): T => {
    const v = arr[name];
    if (!v) throw new Error(`GBDT artifact lacks array '${name}'`);
    return v as T;
  };
  const treeStart = get<Int32Array>('treeStart');
  const trees: Tree[] = [];
  for (let i = 0; i + 1 < treeStart.length; i++) {
    const s = treeStart[i]!;
    const e = treeStart[i + 1]!;
    trees.push({
      feature: get<Int32Array>('feature').slice(s, e),
      threshold: get<Float64Array>('threshold').slice(s, e),
      bin: get<Uint8Array>('bin').slice(s, e),
      defaultLeft: get<Uint8Array>('defaultLeft').slice(s, e),
      left: get<Int32Array>('left').slice(s, e),
      right: get<Int32Array>('right').slice(s, e),
      value: get<Float64Array>('value').slice(s, e),
      cover: get<Float64Array>('cover').slice(s, e),
      gain: get<Float64Array>('gain').slice(s, e),
    });
  }
  const m = a.meta as {
    objective: GbdtModel['objective'];
    cols: number;
    baseScore: number;
    bestIteration: number;
    params: GbdtParams;
  };
  return {
    objective: m.objective,
    cols: m.cols,
    baseScore: m.baseScore,
    trees,
    bestIteration: m.bestIteration,
    validLoss: get<Float64Array>('validLoss').slice(),
    params: resolveParams(m.params),
  };
}
