/**
 * @module tasks/recommend/models
 * The recommender registry: model name -> how to train it and how to load its artifact. Evaluation,
 * `--model auto` and the CLI enumerate this table; adding a model is ONE line here, e.g.
 *
 *   als: { description: 'implicit ALS (conjugate gradient)', train: trainAls, load: loadAls },
 *
 * where `trainAls(data: TrainingData, options: TrainOptions): ItemScorer | Promise<ItemScorer>`
 * lives in src/ml/recommend/als.ts. `options.params` carries that model's hyper-parameters
 * (defaults belong in the model's file); `options.seed` makes stochastic models repeatable.
 *
 * @example
 *   const scorer = await RECOMMENDERS['item-knn']!.train(trainingData(seqs), { seed: 1 });
 *   scorer.score(user, history, out); // one score per item
 */
import type { ModelArtifact } from '../../ml/artifact.js';
import { loadPopularity, trainPopularity } from '../../ml/recommend/popularity.js';
import type { ItemScorer, TrainingData } from '../../ml/recommend/types.js';

export interface TrainOptions {
  /** Seed for anything random (initialisation, sampling, shuffling). */
  readonly seed?: number;
  /** Model-specific hyper-parameters overriding the model's defaults. */
  readonly params?: Readonly<Record<string, number | string | boolean>>;
}

export interface RecommenderEntry {
  /** One line for tables and `--help`. */
  readonly description: string;
  readonly train: (data: TrainingData, options: TrainOptions) => ItemScorer | Promise<ItemScorer>;
  /** Reads back what the scorer's toArtifact() wrote. */
  readonly load?: (artifact: ModelArtifact) => ItemScorer;
}

export const RECOMMENDERS: Readonly<Record<string, RecommenderEntry>> = {
  popularity: {
    description: 'most interacted items, the same for everyone',
    train: (data) => trainPopularity(data),
    load: loadPopularity,
  },
};

export function getRecommender(name: string): RecommenderEntry {
  const entry = RECOMMENDERS[name];
  if (!entry) {
    throw new Error(`unknown recommender '${name}': one of ${Object.keys(RECOMMENDERS).join(', ')}`);
  }
  return entry;
}
