/**
 * @module features/review-texts-clickhouse
 * review-texts.ts's loadReviewTexts on a ClickHouse cluster: the reviews in scope as
 * warehouse/review-scores-store-clickhouse.ts reads them (same text, target and category rules as
 * DuckDB's, the same order).
 *
 * @example
 *   const r = await chLoadReviewTexts(ch, { asOf: new Date('2024-06-01') });
 */
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import {
  CH_REVIEW_TARGET,
  CH_REVIEW_TEXT,
  chReviewsWithProducts,
} from '../warehouse/review-scores-store-clickhouse.js';
import type { ReviewTextOptions, ReviewTexts } from './review-texts.js';

/** review-texts.ts's loadReviewTexts on ClickHouse. */
export async function chLoadReviewTexts(
  ch: ClickHouseStore,
  options: ReviewTextOptions = {},
): Promise<ReviewTexts> {
  const c = await ch.columns(
    `SELECT review_id, ${CH_REVIEW_TEXT} AS text, ${CH_REVIEW_TARGET} AS target, rating, product_id, category, customer_id,
            created_at
     FROM ${chReviewsWithProducts(ch, options)}
     ORDER BY created_at ASC NULLS LAST, review_id`,
    {
      review_id: 'str',
      text: 'str',
      target: 'f64',
      rating: 'f64',
      product_id: 'str',
      category: 'str',
      customer_id: 'str',
      created_at: 'ts',
    },
  );
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
