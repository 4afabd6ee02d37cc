/**
 * @module features/review-texts
 * Reviews as the sentiment and aspect models read them: one text per review (title and body
 * joined, either may be missing), its sentiment target, product, category, author and time.
 *
 * The target: the label the source gives (1 positive, 0 negative) when there is one, else from the
 * stars: 4-5 positive, 1-2 negative, 3 left out (null) as neither. Category: the one given with the
 * review, else the product's. Reviews with no text at all are left out (nothing to read).
 *
 * On a ClickHouse cluster the same reads run in its SQL (review-texts-clickhouse.ts).
 *
 * `asOf` (point in time): only reviews created strictly before it; reviews without a time are left
 * out then, since nobody can say they were written before the cutoff.
 *
 * @example
 *   const r = await loadReviewTexts(wh);
 *   r.text[0]; r.target[0]; // '拆开一看还有烂的，跟描述的不一样', 0
 */
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { chReviewTextColumns } from './review-texts-clickhouse.js';

export interface ReviewTexts {
  readonly reviewId: string[];
  readonly text: string[];
  /** 1 positive, 0 negative, NaN neither (3 stars) or unknown. */
  readonly target: Float64Array;
  /** Stars (NaN when the source gives none). */
  readonly rating: Float64Array;
  readonly productId: (string | null)[];
  readonly category: (string | null)[];
  readonly customerId: (string | null)[];
  /** Epoch milliseconds, NaN when unknown. */
  readonly createdAt: Float64Array;
  readonly length: number;
}

export interface ReviewTextOptions {
  readonly asOf?: Date;
  readonly productId?: string;
  readonly category?: string;
  /** Only reviews with no stored score (review_scores) by this model id: what is left to score. */
  readonly notScoredBy?: string;
}

/** The SQL of a review's sentiment target (see the module comment). */
export const REVIEW_TARGET_SQL = `CASE WHEN r.label IS NOT NULL THEN r.label
  WHEN r.rating >= 4 THEN 1 WHEN r.rating <= 2 THEN 0 END`;

/** The result columns of the reviews query, on either engine. */
const REVIEW_TEXT_COLUMNS = {
  review_id: 'str',
  text: 'str',
  target: 'f64',
  rating: 'f64',
  product_id: 'str',
  category: 'str',
  customer_id: 'str',
  created_at: 'ts',
} as const;

export async function loadReviewTexts(wh: Warehouse, options: ReviewTextOptions = {}): Promise<ReviewTexts> {
  const c =
    wh instanceof ClickHouseStore
      ? await chReviewTextColumns(wh, options, REVIEW_TEXT_COLUMNS)
      : await reviewTextColumns(wh, options);
  return {
    reviewId: c.review_id.map((s) => s ?? ''),
    text: c.text.map((s) => s ?? ''),
    target: c.target,
    rating: c.rating,
    productId: c.product_id,
    category: c.category,
    customerId: c.customer_id,
    createdAt: c.created_at,
    length: c.length,
  };
}

/** loadReviewTexts's query on DuckDB. */
function reviewTextColumns(wh: Warehouse, options: ReviewTextOptions) {
  const where: string[] = ["coalesce(r.title, '') <> '' OR coalesce(r.body, '') <> ''"];
  const params: (string | Date)[] = [];
  if (options.asOf) {
    where.push('r.created_at < ?');
    params.push(options.asOf);
  }
  if (options.productId !== undefined) {
    where.push('r.product_id = ?');
    params.push(options.productId);
  }
  if (options.category !== undefined) {
    where.push('coalesce(r.category, p.category) = ?');
    params.push(options.category);
  }
  if (options.notScoredBy !== undefined) {
    where.push(
      'NOT EXISTS (SELECT 1 FROM review_scores s WHERE s.review_id = r.review_id AND s.model_id = ?)',
    );
    params.push(options.notScoredBy);
  }
  return wh.columns(
    `SELECT r.review_id,
            concat_ws('. ', nullif(r.title, ''), nullif(r.body, '')) AS text,
            ${REVIEW_TARGET_SQL} AS target,
            r.rating, r.product_id, coalesce(r.category, p.category) AS category, r.customer_id,
            r.created_at
     FROM reviews r LEFT JOIN products p ON p.product_id = r.product_id
     WHERE ${where.map((w) => `(${w})`).join(' AND ')}
     ORDER BY r.created_at NULLS LAST, r.review_id`,
    REVIEW_TEXT_COLUMNS,
    params,
  );
}
