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
import { closestName } from '../../ingest/suggest.js';
import type { ModelArtifact } from '../../ml/artifact.js';
import { ALS_DEFAULTS, loadAls, trainAlsScorer } from '../../ml/recommend/als.js';
import { BPR_DEFAULTS, loadBpr, trainBpr } from '../../ml/recommend/bpr.js';
import { EASE_MAX_ITEMS, loadEase, trainEase } from '../../ml/recommend/ease.js';
import { loadItemKnn, trainItemKnn, type ItemKnnOptions } from '../../ml/recommend/item-knn.js';
import {
  loadCategoryPopularity,
  loadPopularity,
  trainCategoryPopularity,
  trainPopularity,
} from '../../ml/recommend/popularity.js';
import {
  loadSasrec,
  loadSasrecBlend,
  SASREC_DEFAULTS,
  trainSasrecBlend,
  trainSasrecScorer,
} from '../../ml/recommend/sasrec/index.js';
import { loadTransition, trainTransition, type TransitionOptions } from '../../ml/recommend/transition.js';
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
  /** What the training data must carry; evaluation skips the model (and says so) otherwise. */
  readonly needs?: readonly ('times' | 'categories')[];
  /** Why the model will not train on data of this size (checked before any fit), or undefined. */
  readonly refuses?: (size: { readonly users: number; readonly items: number }) => string | undefined;
  /**
   * The hyper-parameter a time budget may lower (training time is about linear in it), its default
   * and the least value worth training with: below it the model is skipped instead.
   */
  readonly shorten?: { readonly param: string; readonly default: number; readonly min: number };
  /**
   * How serving words the reason of an item this model picked (recommender.ts), so a reason always
   * describes the model that produced the item; without it: "picked by <name> from your history".
   */
  readonly explains?: ReasonStyle;
}

/**
 * popular: the same bestsellers for everyone. recent: bestsellers of late. category: bestsellers of
 * the categories you buy. neighbours: items similar (shared customers) to ones in your history.
 * sequence: what usually comes next after your last items.
 */
export type ReasonStyle = 'popular' | 'recent' | 'category' | 'neighbours' | 'sequence';

/**
 * Neighbours kept per item by the kNN models here. On Beauty's validation split NDCG@10 rises with K
 * (0.0393 at 100, 0.0400 at 300, 0.0406 at 1000, 0.0407 keeping all): 1000 keeps nearly all of it
 * while the neighbour table stays bounded (items x 1000 at most).
 */
export const NEIGHBOURS = 1000;

// The asymmetric and BM25 settings below were chosen on Beauty's VALIDATION split (NDCG@10):
// cosine 0.0406; asymmetric alpha 0.6 0.0432, 0.7 0.0447, 0.85 0.0450, 0.95 0.0435; BM25 with the
// `implicit` defaults k1 100, b 0.8 0.0283, k1 1.2 b 0.75 0.0425, k1 1.2 b 0.3 0.0503, k1 0.5
// b 0.3 0.0509, k1 0.2 b 0.3 0.0496, k1 0.5 b 0.5 0.0503.

/**
 * Chosen on Beauty's VALIDATION split only (NDCG@10 0.0637 for plain last-item transitions; 0.0646
 * with the last 3 items; 0.0671 adding pairs 2 steps apart; 0.0676 with 3 steps at 0.7; 5 steps
 * 0.0678, within noise, so the shorter window stays).
 */
const MULTISTEP: TransitionOptions = { window: 3, windowDecay: 0.7, lastItems: 3, lastDecay: 0.5 };

export const RECOMMENDERS: Readonly<Record<string, RecommenderEntry>> = {
  popularity: {
    description: 'most interacted items, the same for everyone',
    train: (data) => trainPopularity(data),
    load: loadPopularity,
    explains: 'popular',
  },
  'recent-popularity': {
    description: 'popularity with a 30-day half-life time decay',
    train: (data, o) => trainPopularity(data, { halfLifeDays: 30, ...o.params }),
    load: loadPopularity,
    needs: ['times'],
    explains: 'recent',
  },
  'category-popularity': {
    description: 'popularity tilted to the categories the user buys',
    train: (data, o) => trainCategoryPopularity(data, o.params),
    load: loadCategoryPopularity,
    needs: ['categories'],
    explains: 'category',
  },
  'item-knn': {
    description: "item-item cosine over users' item sets",
    train: (data, o) => trainItemKnn(data, { neighbours: NEIGHBOURS, ...(o.params as ItemKnnOptions) }),
    load: loadItemKnn,
    explains: 'neighbours',
  },
  'item-knn-asym': {
    description: 'item-item asymmetric cosine, alpha 0.85',
    train: (data, o) =>
      trainItemKnn(data, {
        similarity: 'asymmetric',
        alpha: 0.85,
        neighbours: NEIGHBOURS,
        ...(o.params as ItemKnnOptions),
      }),
    load: loadItemKnn,
    explains: 'neighbours',
  },
  'item-knn-bm25': {
    description: 'item-item dot product of BM25-weighted vectors, k1 0.5, b 0.3',
    train: (data, o) =>
      trainItemKnn(data, {
        similarity: 'bm25',
        k1: 0.5,
        b: 0.3,
        neighbours: NEIGHBOURS,
        ...(o.params as ItemKnnOptions),
      }),
    load: loadItemKnn,
    explains: 'neighbours',
  },
  transition: {
    description: 'last-item transition counts + 0.1 x item-kNN',
    train: (data, o) =>
      trainTransition(data, { knn: { neighbours: NEIGHBOURS }, ...(o.params as TransitionOptions) }),
    load: loadTransition,
    explains: 'sequence',
  },
  'transition-multistep': {
    description:
      'transitions up to 3 steps apart (x0.7 a step) from the last 3 items (x0.5 a step back) + 0.1 x item-kNN',
    train: (data, o) =>
      trainTransition(data, {
        ...MULTISTEP,
        knn: { neighbours: NEIGHBOURS },
        ...(o.params as TransitionOptions),
      }),
    load: loadTransition,
    explains: 'sequence',
  },
  als: {
    description: 'implicit ALS (conjugate gradient)',
    train: trainAlsScorer,
    load: loadAls,
    shorten: { param: 'iterations', default: ALS_DEFAULTS.iterations, min: 3 },
  },
  bpr: {
    description: 'BPR matrix factorisation (SGD, uniform negatives)',
    train: trainBpr,
    load: loadBpr,
    shorten: { param: 'epochs', default: BPR_DEFAULTS.epochs, min: 5 },
  },
  ease: {
    description: 'EASE item-item, closed form (<= 20k items)',
    train: trainEase,
    load: loadEase,
    refuses: ({ items }) =>
      items > EASE_MAX_ITEMS
        ? `${items.toLocaleString('en-US')} items, EASE is limited to ${EASE_MAX_ITEMS.toLocaleString('en-US')} (a dense items x items inverse)`
        : undefined,
  },
  sasrec: {
    description: 'SASRec self-attention (last 50)',
    train: trainSasrecScorer,
    load: loadSasrec,
    shorten: { param: 'epochs', default: SASREC_DEFAULTS.epochs, min: 4 },
    explains: 'sequence',
  },
  'sasrec-transition': {
    description: 'SASRec mixed with multi-step transitions, weight tuned on held-out items',
    train: (d, o) =>
      trainSasrecBlend(d, { ...o, transition: { ...MULTISTEP, knn: { neighbours: NEIGHBOURS } } }),
    load: loadSasrecBlend,
    shorten: { param: 'epochs', default: SASREC_DEFAULTS.epochs, min: 4 },
    explains: 'sequence',
  },
};

export function getRecommender(name: string): RecommenderEntry {
  const entry = RECOMMENDERS[name];
  if (!entry) throw new Error(unknownRecommender([name]));
  return entry;
}

/** Throws one message naming every unknown name (with a did-you-mean each) before any work starts. */
export function checkRecommenderNames(names: readonly string[]): void {
  const unknown = names.filter((n) => !(n in RECOMMENDERS));
  if (unknown.length) throw new Error(unknownRecommender(unknown));
}

function unknownRecommender(names: readonly string[]): string {
  const known = Object.keys(RECOMMENDERS);
  const each = names.map((n) => {
    const hint = closestName(n, known);
    return `'${n}'${hint ? ` (did you mean '${hint}'?)` : ''}`;
  });
  return `unknown recommender ${each.join(', ')}: one of ${known.join(', ')}`;
}
