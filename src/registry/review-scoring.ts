/**
 * @module registry/review-scoring
 * Keeping the store's review scores up to date and reading the insight from them: the glue
 * `shopsight reviews` and `GET /v1/products/:id/reviews/insight` share.
 *
 * Scoring uses the promoted sentiment model, or the lexicon fallback when none is promoted, and
 * scores only the reviews that have no score by that model yet (all of them after a new model is
 * promoted). The insight reads the stored scores and never scores text, so the API answers from
 * what `shopsight reviews` stored and says how many reviews are not scored yet.
 *
 * @example
 *   const s = await scoreStoreReviews(wh); // { modelId: 'sentiment@2', scored: 50_174, ... }
 *   const i = await storeReviewInsight(wh, { scope: { productId: '85123A' } });
 */
import { loadReviewTexts } from '../features/review-texts.js';
import { reviewInsight, type InsightOptions, type ReviewInsight } from '../tasks/reviews/insight.js';
import {
  lexiconScorer,
  modelScorer,
  scoreReviews,
  type ReviewScorer,
} from '../tasks/reviews/score-reviews.js';
import { findModel } from '../warehouse/model-store.js';
import { readScoredReviews, storeReviewScores } from '../warehouse/review-scores-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadSentimentModel, SENTIMENT_TASK } from './sentiment-training.js';

/** Reviews scored and stored per step (progress between steps, bounded memory). */
const BATCH = 5_000;

/** The promoted sentiment model as a scorer, else the lexicon fallback. */
export async function promotedReviewScorer(wh: Warehouse): Promise<ReviewScorer> {
  if (!(await findModel(wh, SENTIMENT_TASK, 'promoted'))) return lexiconScorer();
  const { record, model } = await loadSentimentModel(wh);
  return modelScorer(model, record.modelId);
}

export interface StoreScoring {
  /** The model the scores are from ('lexicon' when no sentiment model is promoted). */
  readonly modelId: string;
  /** Reviews scored now (label or a reason). */
  readonly scored: number;
  /** Of those, texts that cannot be scored. */
  readonly cannotScore: number;
  readonly seconds: number;
}

export async function scoreStoreReviews(
  wh: Warehouse,
  options: { productId?: string; category?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<StoreScoring> {
  const started = performance.now();
  const scorer = await promotedReviewScorer(wh);
  const r = await loadReviewTexts(wh, {
    notScoredBy: scorer.modelId,
    ...(options.productId !== undefined ? { productId: options.productId } : {}),
    ...(options.category !== undefined ? { category: options.category } : {}),
  });
  let cannotScore = 0;
  for (let i = 0; i < r.length; i += BATCH) {
    const rows = scoreReviews(scorer, r.reviewId.slice(i, i + BATCH), r.text.slice(i, i + BATCH));
    for (const row of rows) if (row.probability === null) cannotScore++;
    await storeReviewScores(wh, rows);
    options.onProgress?.(Math.min(r.length, i + BATCH), r.length);
  }
  return {
    modelId: scorer.modelId,
    scored: r.length,
    cannotScore,
    seconds: (performance.now() - started) / 1000,
  };
}

/** The insight of a product, a category or the whole store, from the stored scores. */
export async function storeReviewInsight(wh: Warehouse, options: InsightOptions): Promise<ReviewInsight> {
  const rows = await readScoredReviews(wh, options.scope);
  return reviewInsight(rows, options);
}
