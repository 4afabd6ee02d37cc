/**
 * @module ml/recommend/sasrec/scorer
 * A trained SASRec as an ItemScorer: runs the network on the last `maxLength` items of the history
 * and scores every item by the dot product of the final position's output with its embedding. The
 * user index is not used (SASRec is history-only, so it serves visitors it never saw). Saved as a
 * ModelArtifact: hyper-parameters in meta, the flat weight vector as one array.
 *
 * @example
 *   const scorer = sasrecScorer(await trainSasrec(seqs, SASREC_DEFAULTS));
 *   scorer.score(-1, Int32Array.of(12, 7, 301), out); // out[i] = score of item i
 *   loadSasrec(scorer.toArtifact()); // identical scores
 */
import type { ModelArtifact } from '../../artifact.js';
import type { ItemScorer } from '../types.js';
import { PackedBatch } from './batches.js';
import { parameterCount, SasrecNetwork } from './network.js';
import type { SasrecModel } from './train.js';

export const SASREC_ARTIFACT_KIND = 'sasrec';

export function sasrecScorer(
  model: SasrecModel,
  name = 'sasrec',
): ItemScorer & { readonly model: SasrecModel } {
  const { shape } = model;
  const d = shape.hidden;
  const net = new SasrecNetwork(shape, shape.maxLength, false, shape.items + 64);
  net.params.set(model.weights);
  const scores = net.ws.f32(shape.items);
  const batch = new PackedBatch(shape.maxLength);
  return {
    name,
    items: shape.items,
    model,
    score(_user: number, history: Int32Array, out: Float32Array): void {
      if (history.length === 0) {
        out.fill(0);
        return;
      }
      batch.clear();
      batch.append(history, Math.max(0, history.length - shape.maxLength), history.length, false);
      net.forward(batch, 0, null);
      const last = batch.tokens - 1;
      net.ws.gemmAt(
        false,
        true,
        1,
        d,
        shape.items,
        net.h,
        last * d,
        d,
        net.itemEmbeddings,
        0,
        d,
        scores,
        0,
        shape.items,
        false,
      );
      out.set(scores);
    },
    toArtifact: () => sasrecToArtifact(model),
  };
}

export function sasrecToArtifact(m: SasrecModel): ModelArtifact {
  return {
    kind: SASREC_ARTIFACT_KIND,
    version: 1,
    meta: { shape: m.shape, params: m.params, epochs: m.epochs, bestEpoch: m.bestEpoch },
    arrays: { weights: m.weights },
  };
}

export function sasrecFromArtifact(a: ModelArtifact): SasrecModel {
  if (a.kind !== SASREC_ARTIFACT_KIND || a.version !== 1) {
    throw new Error(`not a SASRec v1 artifact ('${a.kind}' v${a.version})`);
  }
  const meta = a.meta as Omit<SasrecModel, 'weights'>;
  const weights = a.arrays['weights'];
  if (!(weights instanceof Float32Array) || weights.length !== parameterCount(meta.shape)) {
    throw new Error('SASRec artifact: weight vector missing or of the wrong size for its shape');
  }
  return { ...meta, weights };
}

/** The registry's loader. */
export function loadSasrec(a: ModelArtifact): ItemScorer {
  return sasrecScorer(sasrecFromArtifact(a));
}
