/**
 * @module tasks/risk/tail
 * Turns the unsupervised model's evidence into one score a merchant can read: 1 - p, where p is the
 * share of the training orders at least as unusual. Two kinds of evidence, each as such a share:
 *   - the isolation forest score (unusual in a combination of features);
 *   - the order's rarest single risky feature, compared with how rare the training orders' rarest
 *     features are (unusual on one feature alone: a burst of six orders in an hour is extreme on
 *     velocity and ordinary on everything else, and a forest splitting on 13 features reaches it
 *     only slowly). Comparing with the training orders' own rarest features, rather than
 *     multiplying by the number of features, needs no independence between them.
 * The score is 1 - min of the two shares, so "0.995" reads "rarer than 99.5% of orders".
 * Each distribution is kept as QUANTILES sorted values (4,096), so a model stays small.
 */
import type { ModelArtifact } from '../../ml/artifact.js';
import type { AnomalyView } from './anomaly-view.js';

export const QUANTILES = 4096;

export interface TailModel {
  /** Sorted forest scores of the training orders (QUANTILES evenly spaced order statistics). */
  readonly forest: Float32Array;
  /** Per view column, its sorted training values (QUANTILES each, NaN left out; empty = all NaN). */
  readonly features: Float32Array;
  /** Values per column in `features` (QUANTILES, or 0 for a column with no values). */
  readonly counts: Int32Array;
  /** Sorted shares of the training orders' rarest features: how rare "rarest" usually is. */
  readonly rarest: Float32Array;
}

/** QUANTILES evenly spaced order statistics of the non-NaN values (all of them when fewer). */
function quantiles(values: Float32Array): Float32Array {
  const kept = values.filter((v) => !Number.isNaN(v)).sort();
  if (kept.length <= QUANTILES) return kept;
  const out = new Float32Array(QUANTILES);
  for (let i = 0; i < QUANTILES; i++) out[i] = kept[Math.floor(((i + 0.5) * kept.length) / QUANTILES)]!;
  return out;
}

/** Share of sorted[from, to) that is >= x (no subarray: this runs per feature per order). */
function shareAtLeast(sorted: Float32Array, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return (to - lo) / (to - from);
}

/** Share of sorted[from, to) that is <= x. */
function shareAtMost(sorted: Float32Array, x: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return (lo - from) / (to - from);
}

/** `viewValues`: rows x view.columns.length (the forest's input); `scores`: its forest scores. */
export function fitTail(
  view: AnomalyView,
  viewValues: Float32Array,
  rows: number,
  scores: Float64Array,
): TailModel {
  const d = view.columns.length;
  const parts: Float32Array[] = [];
  const counts = new Int32Array(d);
  const col = new Float32Array(rows);
  for (let k = 0; k < d; k++) {
    for (let r = 0; r < rows; r++) col[r] = viewValues[r * d + k]!;
    const q = quantiles(col);
    parts.push(q);
    counts[k] = q.length;
  }
  const features = new Float32Array(counts.reduce((a, b) => a + b, 0));
  let at = 0;
  for (const q of parts) {
    features.set(q, at);
    at += q.length;
  }
  const rarestShares = new Float32Array(rows);
  for (let r = 0; r < rows; r++)
    rarestShares[r] = rarestFeature({ features, counts }, view, viewValues, r * d).share;
  return { forest: quantiles(Float32Array.from(scores)), features, counts, rarest: quantiles(rarestShares) };
}

export interface TailScore {
  readonly score: number;
  /** View column of the rarest feature when it decided the score, else -1. */
  readonly rarest: number;
  /** That feature's share (before the Bonferroni factor). */
  readonly share: number;
}

/** The combined score of one row (`x` at `offset`, view columns) with forest score `s`. */
export function tailScore(
  tail: TailModel,
  view: AnomalyView,
  x: Float32Array,
  offset: number,
  s: number,
): TailScore {
  // The distributions are stored as float32: compare float32 with float32, or an order of the
  // training set could land above its own stored score.
  const pForest = shareAtLeast(tail.forest, Math.fround(s));
  const { rarest, share } = rarestFeature(tail, view, x, offset);
  const pTail = shareAtMost(tail.rarest, Math.fround(share));
  return pTail <= pForest ? { score: 1 - pTail, rarest, share } : { score: 1 - pForest, rarest: -1, share };
}

/** The row's rarest risky feature (view column, -1 if none has a value) and its share. */
function rarestFeature(
  tail: Pick<TailModel, 'features' | 'counts'>,
  view: AnomalyView,
  x: Float32Array,
  offset: number,
): { rarest: number; share: number } {
  const d = view.columns.length;
  let rarest = -1;
  let share = 1;
  let start = 0;
  for (let k = 0; k < d; k++) {
    const n = tail.counts[k]!;
    const v = x[offset + k]!;
    if (n > 0 && !Number.isNaN(v)) {
      const q =
        view.direction[k]! > 0
          ? shareAtLeast(tail.features, v, start, start + n)
          : shareAtMost(tail.features, v, start, start + n);
      if (q < share) {
        share = q;
        rarest = k;
      }
    }
    start += n;
  }
  return { rarest, share };
}

export function tailToArtifact(t: TailModel): ModelArtifact {
  return {
    kind: 'risk-tail',
    version: 1,
    meta: {},
    arrays: { forest: t.forest, features: t.features, counts: t.counts, rarest: t.rarest },
  };
}

export function tailFromArtifact(a: ModelArtifact): TailModel {
  const { forest, features, counts, rarest } = a.arrays;
  if (
    a.kind !== 'risk-tail' ||
    !(rarest instanceof Float32Array) ||
    !(forest instanceof Float32Array) ||
    !(features instanceof Float32Array) ||
    !(counts instanceof Int32Array)
  ) {
    throw new Error(`expected a risk-tail artifact, got '${a.kind}'`);
  }
  return { forest, features, counts, rarest };
}
