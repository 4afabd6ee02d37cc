/**
 * @module ml/recommend/sasrec/blend
 * SASRec interpolated with last-item transition counts, the weight chosen on held-out items:
 *
 *   score(j) = (1 - w) * softmax(sasrec logits)(j) + w * transition(j) / sum(transition)
 *
 * i.e. a mixture of the two models' next-item distributions (as n-gram language models are
 * interpolated). The transitions catch strong item-to-item links (a refill, the matching
 * conditioner) that a 64-wide embedding blurs; SASRec generalises where counts are empty.
 *
 * Honest tuning: SASRec's early-stopping users had their last item held out of its training; the
 * weight w is picked on exactly those items, scored by a transition model counted WITHOUT them, by
 * NDCG@10 over the full catalogue (history excluded). The served transition model is then counted
 * on all the training data. Nothing from a caller's validation or test cases is seen.
 */
import { decodeArtifact, encodeArtifact, type ModelArtifact } from '../../artifact.js';
import { trainingData } from '../training-data.js';
import {
  loadTransition,
  trainTransition,
  type TransitionOptions,
  type TransitionScorer,
} from '../transition.js';
import type { ItemScorer, Sequences, TrainingData } from '../types.js';
import { withNumericParams } from '../numeric-params.js';
import { SASREC_DEFAULTS } from './params.js';
import { ndcgAt, rankTarget } from './rank-target.js';
import { sasrecFromArtifact, sasrecScorer, sasrecToArtifact } from './scorer.js';
import { fitSasrec } from './fit-cache.js';
import type { SasrecModel } from './train.js';

export const BLEND_ARTIFACT_KIND = 'sasrec-transition';
/** Candidate transition weights. */
export const BLEND_WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

export interface BlendTuning {
  readonly weight: number;
  /** Held-out NDCG@10 at each candidate weight, in BLEND_WEIGHTS order. */
  readonly ndcg10: readonly number[];
  readonly cases: number;
}

/** Softmax over a score vector, in place (max-shifted). */
function softmaxInPlace(x: Float32Array): void {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i]!);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    const e = Math.exp(x[i]! - max);
    x[i] = e;
    sum += e;
  }
  for (let i = 0; i < x.length; i++) x[i]! /= sum;
}

/** Scales non-negative scores to sum 1 (all zeros stay zeros: no transition evidence). */
function normaliseInPlace(x: Float32Array): void {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]!;
  if (sum > 0) for (let i = 0; i < x.length; i++) x[i]! /= sum;
}

export function blendScorer(
  sasrec: SasrecModel,
  transition: TransitionScorer,
  tuning: BlendTuning,
): ItemScorer & { readonly tuning: BlendTuning } {
  const s = sasrecScorer(sasrec);
  const t = new Float32Array(s.items);
  const w = tuning.weight;
  return {
    name: 'sasrec-transition',
    items: s.items,
    tuning,
    score(user: number, history: Int32Array, out: Float32Array): void {
      s.score(user, history, out);
      softmaxInPlace(out);
      transition.score(user, history, t);
      normaliseInPlace(t);
      for (let i = 0; i < out.length; i++) out[i] = (1 - w) * out[i]! + w * t[i]!;
    },
    toArtifact: () => ({
      kind: BLEND_ARTIFACT_KIND,
      version: 1,
      meta: { tuning },
      arrays: {
        sasrec: encodeArtifact(sasrecToArtifact(sasrec)),
        transition: encodeArtifact(transition.toArtifact()),
      },
    }),
  };
}

export function loadSasrecBlend(a: ModelArtifact): ItemScorer {
  if (a.kind !== BLEND_ARTIFACT_KIND || a.version !== 1) {
    throw new Error(`not a SASRec+transition v1 artifact ('${a.kind}' v${a.version})`);
  }
  return blendScorer(
    sasrecFromArtifact(decodeArtifact(a.arrays['sasrec'] as Uint8Array)),
    loadTransition(decodeArtifact(a.arrays['transition'] as Uint8Array)),
    a.meta['tuning'] as BlendTuning,
  );
}

/** The sequences without the last item of each `heldOut` user. */
function withoutLastOf(seqs: Sequences, heldOut: Int32Array): Sequences {
  const drop = new Uint8Array(seqs.users);
  for (const u of heldOut) drop[u] = 1;
  const offsets = new Int32Array(seqs.users + 1);
  for (let u = 0; u < seqs.users; u++) {
    offsets[u + 1] = offsets[u]! + (seqs.offsets[u + 1]! - seqs.offsets[u]! - drop[u]!);
  }
  const itemIds = new Int32Array(offsets[seqs.users]!);
  for (let u = 0; u < seqs.users; u++) {
    const from = seqs.offsets[u]!;
    itemIds.set(seqs.itemIds.subarray(from, from + offsets[u + 1]! - offsets[u]!), offsets[u]!);
  }
  return { users: seqs.users, items: seqs.items, offsets, itemIds };
}

/** Held-out NDCG@10 of each candidate weight. */
export function tuneBlend(sasrec: SasrecModel, transition: ItemScorer, seqs: Sequences): BlendTuning {
  const heldOut = sasrec.heldOut ?? new Int32Array(0);
  const n = seqs.items;
  const s = sasrecScorer(sasrec);
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const mix = new Float32Array(n);
  const seen = new Int32Array(n);
  const totals = new Float64Array(BLEND_WEIGHTS.length);
  let stamp = 0;
  for (const u of heldOut) {
    const from = seqs.offsets[u]!;
    const end = seqs.offsets[u + 1]! - 1; // the held-out item
    const history = seqs.itemIds.subarray(from, end);
    s.score(u, history, a);
    softmaxInPlace(a);
    transition.score(u, history, b);
    normaliseInPlace(b);
    BLEND_WEIGHTS.forEach((w, k) => {
      for (let i = 0; i < n; i++) mix[i] = (1 - w) * a[i]! + w * b[i]!;
      const rank = rankTarget(mix, 0, n, seqs.itemIds[end]!, seqs.itemIds, from, end, seen, ++stamp);
      totals[k]! += ndcgAt(rank, 10);
    });
  }
  const ndcg10 = [...totals].map((t) => t / Math.max(heldOut.length, 1));
  let best = 0;
  for (let k = 1; k < ndcg10.length; k++) if (ndcg10[k]! > ndcg10[best]!) best = k;
  return { weight: BLEND_WEIGHTS[best]!, ndcg10, cases: heldOut.length };
}

/**
 * The registry's entry point: SASRec hyper-parameters by name; transition options as the registry
 * sets them. The SASRec fit is shared with the plain `sasrec` entry on the same data (./fit-cache).
 */
export async function trainSasrecBlend(
  data: TrainingData,
  options: {
    readonly seed?: number;
    readonly params?: Readonly<Record<string, unknown>>;
    readonly transition?: TransitionOptions;
  } = {},
): Promise<ItemScorer & { readonly tuning: BlendTuning }> {
  const p = withNumericParams({ ...SASREC_DEFAULTS }, options.params, 'sasrec');
  const model = await fitSasrec(data.sequences, { ...p, seed: options.seed ?? p.seed });
  const inner = trainTransition(
    trainingData(withoutLastOf(data.sequences, model.heldOut!)),
    options.transition,
  );
  const tuning = tuneBlend(model, inner, data.sequences);
  return blendScorer(model, trainTransition(data, options.transition), tuning);
}
