/**
 * @module ml/recommend/types
 * The shapes every recommender shares. Users and items are dense integer indices (0..n-1); the
 * string ids of the store are mapped to them outside ml/.
 */
import type { ModelArtifact } from '../artifact.js';
import type { Csr } from '../sparse/csr.js';

/**
 * Each user's interactions in time order: user u's items are items[offsets[u] .. offsets[u+1]).
 * Repeats are allowed (a customer can buy an item twice).
 */
export interface Sequences {
  readonly users: number;
  readonly items: number;
  readonly offsets: Int32Array;
  readonly itemIds: Int32Array;
  /** Optional, parallel to itemIds: event time in epoch ms (recency weighting, time decay). */
  readonly times?: Float64Array;
  /** Optional, parallel to itemIds: interaction weight (purchase > add_to_cart > view); 1 if absent. */
  readonly weights?: Float32Array;
}

/**
 * A trained model, asked for scores over the whole catalogue. `history` is the user's time-ordered
 * items known at prediction time (for leave-last-out testing it includes the validation item, which
 * a factor model may fold in); `user` is the dense user index, or -1 for a visitor the model never
 * saw. Writes one score per item into `out` (length = item count); higher is better. Must not
 * allocate per call beyond small scratch it keeps.
 */
export interface ItemScorer {
  readonly name: string;
  readonly items: number;
  score(user: number, history: Int32Array, out: Float32Array): void;
  /** The trained state as a ModelArtifact (the registry's load function reads it back). */
  toArtifact?(): ModelArtifact;
}

/** What a training function gets: the training interactions both as sequences and as a matrix. */
export interface TrainingData {
  readonly sequences: Sequences;
  /** users x items, summed weights. */
  readonly matrix: Csr;
  /** Optional: each item's category index (0..categories-1), -1 when it has none. */
  readonly itemCategories?: Int32Array;
}
