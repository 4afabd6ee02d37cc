/**
 * @module tasks/reviews/sentiment-artifact
 * The sentiment model as one registry artifact: the vectoriser's and the logistic model's own
 * artifacts side by side (their arrays prefixed `v.` and `m.`, their JSON parts under `vectoriser`
 * and `logistic`), plus the calibration and the scripts seen in training.
 */
import type { ArtifactArray, ModelArtifact } from '../../ml/artifact.js';
import {
  sparseLogisticFromArtifact,
  sparseLogisticToArtifact,
} from '../../ml/linear/sparse-logistic-artifact.js';
import {
  textVectoriserFromArtifact,
  textVectoriserToArtifact,
} from '../../ml/text/text-vectoriser-artifact.js';
import type { SentimentModel } from './sentiment-model.js';

const VERSION = 1;
export const SENTIMENT_KIND = 'review-sentiment';

export function sentimentToArtifact(m: SentimentModel): ModelArtifact {
  const v = textVectoriserToArtifact(m.vectoriser);
  const l = sparseLogisticToArtifact(m.logistic);
  const arrays: Record<string, ArtifactArray> = {};
  for (const [k, a] of Object.entries(v.arrays)) arrays[`v.${k}`] = a;
  for (const [k, a] of Object.entries(l.arrays)) arrays[`m.${k}`] = a;
  return {
    kind: SENTIMENT_KIND,
    version: VERSION,
    meta: {
      vectoriser: { kind: v.kind, version: v.version, meta: v.meta },
      logistic: { kind: l.kind, version: l.version, meta: l.meta },
      platt: m.platt,
      scripts: m.scripts,
      maxChars: m.maxChars,
      trainedRows: m.trainedRows,
    },
    arrays,
  };
}

export function sentimentFromArtifact(a: ModelArtifact): SentimentModel {
  if (a.kind !== SENTIMENT_KIND || a.version !== VERSION) {
    throw new Error(
      `expected a ${SENTIMENT_KIND} artifact version ${VERSION}, got '${a.kind}' version ${a.version}`,
    );
  }
  const part = (name: 'vectoriser' | 'logistic', prefix: string): ModelArtifact => {
    const head = a.meta[name] as { kind: string; version: number; meta: Record<string, unknown> };
    const arrays: Record<string, ArtifactArray> = {};
    for (const [k, arr] of Object.entries(a.arrays))
      if (k.startsWith(prefix)) arrays[k.slice(prefix.length)] = arr;
    return { ...head, arrays };
  };
  const platt = a.meta.platt as { a: number; b: number };
  return {
    vectoriser: textVectoriserFromArtifact(part('vectoriser', 'v.')),
    logistic: sparseLogisticFromArtifact(part('logistic', 'm.')),
    platt: { a: platt.a, b: platt.b },
    scripts: a.meta.scripts as string[],
    maxChars: a.meta.maxChars as number,
    trainedRows: a.meta.trainedRows as number,
  };
}
