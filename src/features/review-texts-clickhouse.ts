/**
 * @module features/review-texts-clickhouse
 * The query of review-texts.ts's loadReviewTexts on a ClickHouse cluster: the reviews in scope as
 * warehouse/review-scores-store-clickhouse.ts reads them (same text, target and category rules as
 * DuckDB's, the same order).
 *
 * @example
 *   const c = await chReviewTextColumns(ch, { asOf: new Date('2024-06-01') }, kinds);
 */
import type { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import {
  CH_REVIEW_TARGET,
  CH_REVIEW_TEXT,
  chReviewsWithProducts,
} from '../warehouse/review-scores-store-clickhouse.js';
import type { ColumnKind } from '../warehouse/warehouse.js';
import type { ReviewTextOptions } from './review-texts.js';

/** The columns of review-texts.ts's loadReviewTexts on ClickHouse (`kinds`: review-texts.ts's). */
export function chReviewTextColumns<S extends Record<string, ColumnKind>>(
  ch: ClickHouseStore,
  options: ReviewTextOptions,
  kinds: S,
) {
  return ch.columns(
    `SELECT review_id, ${CH_REVIEW_TEXT} AS text, ${CH_REVIEW_TARGET} AS target, rating, product_id, category,
            customer_id, created_at
     FROM ${chReviewsWithProducts(ch, options)}
     ORDER BY created_at ASC NULLS LAST, review_id`,
    kinds,
  );
}
