/**
 * @module tasks/reviews/score-reviews
 * A store's reviews scored for keeping (review_scores): sentiment from the promoted model, or from
 * the lexicon fallback when the store has none (a shop with no labels and no stars), and the
 * aspects each review talks about. The same checks as every other scoring path: a text that cannot
 * be scored keeps its row with the reason and no aspects.
 *
 * @example
 *   const rows = scoreReviews(modelScorer(model, 'sentiment@2'), ['r1'], ['质量很好，物流太慢']);
 *   rows[0]; // { reviewId: 'r1', modelId: 'sentiment@2', probability: 0.8, label: 1, reason: null,
 *            //   aspects: [{ aspect: '质量', polarity: 1, ... }, { aspect: '物流', polarity: -1, ... }] }
 */
import type { ReviewScoreRow } from '../../warehouse/review-scores-store.js';
import { extractAspects } from './aspects.js';
import { lexiconScore } from './lexicon.js';
import { scoreSentiment, type SentimentModel, type SentimentScore } from './sentiment-model.js';
import { checkReviewText, DEFAULT_MAX_CHARS } from './text-check.js';

/** The model id stored for scores of the lexicon fallback. */
export const LEXICON_MODEL_ID = 'lexicon';
/** The scripts the lexicon has words for. */
const LEXICON_SCRIPTS = ['Han', 'Latin'];

export interface ReviewScorer {
  /** A registry model id ('sentiment@3') or LEXICON_MODEL_ID. */
  readonly modelId: string;
  score(texts: readonly string[]): SentimentScore[];
}

export function modelScorer(model: SentimentModel, modelId: string): ReviewScorer {
  return { modelId, score: (texts) => scoreSentiment(model, texts) };
}

/**
 * The lexicon fallback: p = sigmoid(positive - negative opinion words). A text with no opinion
 * word the lexicon knows gets no label (p would be exactly 0.5): "cannot score" with that reason.
 */
export function lexiconScorer(): ReviewScorer {
  return {
    modelId: LEXICON_MODEL_ID,
    score: (texts) =>
      texts.map((t): SentimentScore => {
        const c = checkReviewText(t, LEXICON_SCRIPTS);
        if (!c.ok) return { label: null, probability: null, reason: c.reason };
        const s = lexiconScore(c.text);
        if (s.positive === s.negative)
          return {
            label: null,
            probability: null,
            reason:
              s.positive === 0
                ? 'no opinion word the lexicon knows (train a sentiment model for text like this)'
                : `as many positive as negative opinion words (${s.positive} each)`,
          };
        return { label: s.probability > 0.5 ? 1 : 0, probability: s.probability };
      }),
  };
}

export function scoreReviews(
  scorer: ReviewScorer,
  reviewIds: readonly string[],
  texts: readonly string[],
): ReviewScoreRow[] {
  if (reviewIds.length !== texts.length)
    throw new Error(`scoreReviews: ${reviewIds.length} ids for ${texts.length} texts`);
  const scores = scorer.score(texts);
  return scores.map((s, i) => ({
    reviewId: reviewIds[i]!,
    modelId: scorer.modelId,
    probability: s.probability,
    label: s.label,
    reason: s.reason ?? null,
    // Aspects of the part scored (a long text's beginning); none for a text that cannot be scored.
    aspects: s.reason === undefined ? extractAspects(texts[i]!.slice(0, DEFAULT_MAX_CHARS)) : [],
  }));
}
