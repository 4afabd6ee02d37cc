/**
 * @module ml/uplift/artifact
 * A multi-treatment uplift model as one ModelArtifact for the registry and back: each treatment's
 * parts are stored as `<j>_<role>` parts (packArtifacts), the method, treated shares and treatment
 * names in meta. Exact: the base models' arrays are copied byte for byte.
 */
import { packArtifacts, unpackArtifacts, type ModelArtifact } from '../artifact.js';
import { baseFromArtifact, baseToArtifact, type FittedBase } from './base-learner.js';
import { UPLIFT_METHODS, type UpliftMethod } from './learners.js';
import type { MultiUpliftModel } from './multi-treatment.js';

const KIND = 'uplift';
const VERSION = 1;

export function upliftToArtifact(m: MultiUpliftModel, meta: Record<string, unknown> = {}): ModelArtifact {
  const parts: Record<string, ModelArtifact> = {};
  m.models.forEach((model, j) => {
    for (const [role, fitted] of Object.entries(model.parts)) parts[`${j}_${role}`] = baseToArtifact(fitted);
  });
  return packArtifacts(
    KIND,
    VERSION,
    {
      ...meta,
      treatments: m.treatments,
      models: m.models.map((model) => ({
        method: model.method,
        cols: model.cols,
        treatedShare: model.treatedShare,
      })),
    },
    parts,
  );
}

export function upliftFromArtifact(a: ModelArtifact): MultiUpliftModel {
  if (a.kind !== KIND || a.version !== VERSION) {
    throw new Error(`expected an uplift artifact version ${VERSION}, got '${a.kind}' version ${a.version}`);
  }
  const treatments = a.meta['treatments'] as string[];
  const heads = a.meta['models'] as { method: UpliftMethod; cols: number; treatedShare: number }[];
  if (!Array.isArray(treatments) || !Array.isArray(heads) || heads.length !== treatments.length) {
    throw new Error('uplift artifact: treatments and models do not match');
  }
  const parts = unpackArtifacts(a);
  const models = heads.map((h, j) => {
    if (!UPLIFT_METHODS.includes(h.method)) throw new Error(`uplift artifact: unknown method '${h.method}'`);
    const own: Record<string, FittedBase> = {};
    for (const [name, part] of Object.entries(parts)) {
      const [index, role] = name.split('_') as [string, string];
      if (Number(index) === j) own[role] = baseFromArtifact(part);
    }
    return { method: h.method, cols: h.cols, treatedShare: h.treatedShare, parts: own };
  });
  return { treatments, models };
}
