/**
 * @module warehouse/review-scores-store
 * The SQL behind the `review_scores` table (migration 16): each review's sentiment and aspects as a
 * model scored them, written when reviews are scored (`shopsight reviews`), read back by the
 * review insight (CLI and `GET /v1/products/:id/reviews/insight`), so no request scores text.
 *
 * @example
 *   await storeReviewScores(wh, [{ reviewId: 'r1', modelId: 'sentiment@2', probability: 0.91, label: 1, reason: null, aspects: [] }]);
 *   const rows = await readScoredReviews(wh, { productId: '85123A' });
 *
 * On a ClickHouse cluster the same reads and the write run in its SQL
 * (review-scores-store-clickhouse.ts: the scores on every node, no transaction).
 */
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { chScoredReviewColumns, chStoreReviewScores } from './review-scores-store-clickhouse.js';
import type { SqlValue, Warehouse } from './warehouse.js';

export interface ReviewScoreRow {
  readonly reviewId: string;
  /** The sentiment model's registry id, or 'lexicon'. */
  readonly modelId: string;
  /** Calibrated p(positive); null when the text cannot be scored. */
  readonly probability: number | null;
  readonly label: 0 | 1 | null;
  /** Why the text cannot be scored. */
  readonly reason: string | null;
  readonly aspects: readonly { aspect: string; polarity: 1 | -1; opinion: string }[];
}

/** Rows per INSERT statement (7 placeholders each). */
const BATCH = 500;

/**
 * Inserts or replaces the scores of these reviews, and drops scores whose review is gone (erased
 * by privacy forget, or replaced by an import), in one transaction.
 */
export async function storeReviewScores(
  wh: Warehouse,
  rows: readonly ReviewScoreRow[],
  scoredAt = new Date(),
): Promise<void> {
  if (wh instanceof ClickHouseStore) return chStoreReviewScores(wh, rows, scoredAt);
  await wh.transaction(async () => {
    for (let i = 0; i < rows.length; i += BATCH) {
      const part = rows.slice(i, i + BATCH);
      const params: SqlValue[] = [];
      for (const r of part) {
        params.push(
          r.reviewId,
          r.modelId,
          r.probability,
          r.label,
          r.reason,
          JSON.stringify(r.aspects),
          scoredAt,
        );
      }
      await wh.exec(
        `INSERT OR REPLACE INTO review_scores (review_id, model_id, probability, label, reason, aspects, scored_at)
         VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?::JSON, ?)').join(', ')}`,
        params,
      );
    }
    await wh.exec('DELETE FROM review_scores WHERE review_id NOT IN (SELECT review_id FROM reviews)');
  });
}

export interface ScoredReviewFilter {
  readonly productId?: string;
  readonly category?: string;
}

/** Reviews with text (title and body joined), their product and category, and their stored score if any. */
export interface ScoredReviews {
  readonly reviewId: string[];
  readonly productId: (string | null)[];
  readonly title: (string | null)[];
  readonly category: (string | null)[];
  readonly text: string[];
  /** Epoch milliseconds, NaN when unknown. */
  readonly createdAt: Float64Array;
  /** Stars, NaN when none. */
  readonly rating: Float64Array;
  /** Null when the review has no stored score. */
  readonly modelId: (string | null)[];
  /** NaN when not scored or cannot be scored. */
  readonly probability: Float64Array;
  readonly reason: (string | null)[];
  /** The aspects JSON as stored (null when not scored). */
  readonly aspects: (string | null)[];
  readonly length: number;
}

export async function readScoredReviews(
  wh: Warehouse,
  filter: ScoredReviewFilter = {},
): Promise<ScoredReviews> {
  const c =
    wh instanceof ClickHouseStore
      ? await chScoredReviewColumns(wh, filter, SCORED_REVIEW_COLUMNS)
      : await scoredReviewColumns(wh, filter);
  return {
    reviewId: c.review_id.map((s) => s ?? ''),
    productId: c.product_id,
    title: c.product_title,
    category: c.category,
    text: c.text.map((s) => s ?? ''),
    createdAt: c.created_at,
    rating: c.rating,
    modelId: c.model_id,
    probability: c.probability,
    reason: c.reason,
    aspects: c.aspects,
    length: c.length,
  };
}

/** The result columns of the scored-reviews query, on either engine. */
const SCORED_REVIEW_COLUMNS = {
  review_id: 'str',
  product_id: 'str',
  product_title: 'str',
  category: 'str',
  text: 'str',
  created_at: 'ts',
  rating: 'f64',
  model_id: 'str',
  probability: 'f64',
  reason: 'str',
  aspects: 'str',
} as const;

/** readScoredReviews's columns on DuckDB. */
function scoredReviewColumns(wh: Warehouse, filter: ScoredReviewFilter) {
  const where: string[] = ["coalesce(r.title, '') <> '' OR coalesce(r.body, '') <> ''"];
  const params: SqlValue[] = [];
  if (filter.productId !== undefined) {
    where.push('r.product_id = ?');
    params.push(filter.productId);
  }
  if (filter.category !== undefined) {
    where.push('coalesce(r.category, p.category) = ?');
    params.push(filter.category);
  }
  return wh.columns(
    `SELECT r.review_id, r.product_id, p.title AS product_title,
            coalesce(r.category, p.category) AS category,
            concat_ws('. ', nullif(r.title, ''), nullif(r.body, '')) AS text,
            r.created_at, r.rating, s.model_id, s.probability, s.reason, CAST(s.aspects AS VARCHAR) AS aspects
     FROM reviews r
     LEFT JOIN products p ON p.product_id = r.product_id
     LEFT JOIN review_scores s ON s.review_id = r.review_id
     WHERE ${where.map((w) => `(${w})`).join(' AND ')}
     ORDER BY r.created_at NULLS LAST, r.review_id`,
    SCORED_REVIEW_COLUMNS,
    params,
  );
}

/**
 * Whether a product is in the catalogue (the insight route answers 404 otherwise). The same SQL on
 * both engines: on ClickHouse `products` is the entry node's whole copy.
 */
export async function productExists(wh: Warehouse, productId: string): Promise<boolean> {
  const rows = await wh.rows('SELECT 1 AS one FROM products WHERE product_id = ? LIMIT 1', [productId]);
  return rows.length > 0;
}
