/**
 * @module warehouse/review-scores-store-clickhouse
 * The review reads of review-scores-store.ts (and, through chReviewsWithProducts, of
 * features/review-texts.ts and review-categories.ts) on a ClickHouse cluster, and the scores'
 * write, in SQL 18.16 runs, one JOIN per level: the Distributed `reviews` (sharded by author), and
 * `products` and `review_scores`, which every node holds whole. The reviews in scope are filtered on
 * each shard and joined on the entry node to its copy of the catalogue and of the scores. The same
 * rules as DuckDB's: text is title and body joined by '. ' (either may be missing), the target the
 * label, else 4-5 stars 1 and 1-2 stars 0, the category the review's own, else its product's; rows
 * come in DuckDB's order (created_at, NULLs last, then review_id).
 *
 * 18.16's ANY LEFT JOIN fills a missing right row with defaults, not NULLs: a marker column
 * (`p_found`, `s_found`) tells a missing product or score from an empty one.
 *
 * Scores: one row per review in `review_scores` (ReplacingMergeTree by review_id, read with FINAL),
 * written to every node. DuckDB also deletes the scores of reviews that are gone; here they stay
 * (18.16's DELETE is an asynchronous mutation) and are never read, since every read starts from
 * the reviews.
 *
 * @example
 *   await chStoreReviewScores(ch, rows, new Date());
 *   const c = await chScoredReviewColumns(ch, { productId: 'P1' }, kinds);
 */
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { chDateTime, chLiteral, tsvField } from './clickhouse/format-value.js';
import type { ReviewScoreRow } from './review-scores-store.js';
import type { ColumnKind } from './warehouse.js';

/** A review's text, as DuckDB's `concat_ws('. ', nullif(title, ''), nullif(body, ''))`. */
export const CH_REVIEW_TEXT = `multiIf(ifNull(r_title, '') = '', ifNull(body, ''), ifNull(body, '') = '', ifNull(r_title, ''),
  concat(ifNull(r_title, ''), '. ', ifNull(body, '')))`;

/** The sentiment target (review-texts.ts REVIEW_TARGET_SQL): label, else stars; NaN for neither. */
export const CH_REVIEW_TARGET = `ifNull(toFloat64(label), multiIf(ifNull(rating, 3) >= 4, 1, ifNull(rating, 3) <= 2, 0, nan))`;

export interface ChReviewScope {
  readonly asOf?: Date;
  readonly productId?: string;
  readonly category?: string;
  readonly notScoredBy?: string;
}

/**
 * The reviews with text in scope, with their category and their product's title: the columns review_id,
 * product_id, customer_id, rating, label, created_at, r_title, body, category, p_title.
 */
export function chReviewsWithProducts(ch: ClickHouseStore, scope: ChReviewScope = {}): string {
  const where = ["(ifNull(title, '') <> '' OR ifNull(body, '') <> '')"];
  if (scope.asOf) where.push(`created_at < ${chLiteral(scope.asOf)}`);
  if (scope.productId !== undefined) where.push(`product_id = ${chLiteral(scope.productId)}`);
  if (scope.notScoredBy !== undefined) {
    where.push(
      `review_id NOT IN (SELECT review_id FROM ${ch.nodeTable('review_scores')} FINAL ` +
        `WHERE model_id = ${chLiteral(scope.notScoredBy)})`,
    );
  }
  const inner = `(
    SELECT review_id, product_id, customer_id, rating, label, created_at, title AS r_title, body,
           category AS r_category, ifNull(product_id, '') AS pid
    FROM reviews FINAL
    WHERE ${where.join(' AND ')}
  ) ANY LEFT JOIN (
    SELECT product_id AS pid, category AS p_category, title AS p_title, toUInt8(1) AS p_found
    FROM ${ch.nodeTable('products')} FINAL
  ) USING pid`;
  const category = `if(isNotNull(r_category), r_category, if(p_found = 1, p_category, NULL))`;
  return `(
    SELECT review_id, product_id, customer_id, rating, label, created_at, r_title, body,
           ${category} AS category, if(p_found = 1, p_title, NULL) AS p_title
    FROM ${inner}
    ${scope.category !== undefined ? `WHERE ${category} = ${chLiteral(scope.category)}` : ''}
  )`;
}

/** The columns of review-scores-store.ts's readScoredReviews on ClickHouse (`kinds`: that file's). */
export function chScoredReviewColumns<S extends Record<string, ColumnKind>>(
  ch: ClickHouseStore,
  scope: { productId?: string; category?: string },
  kinds: S,
) {
  return ch.columns(
    `SELECT review_id, product_id, p_title AS product_title, category, ${CH_REVIEW_TEXT} AS text, created_at, rating,
            if(s_found = 1, model_id, NULL) AS model_id, if(s_found = 1, probability, NULL) AS probability,
            if(s_found = 1, reason, NULL) AS reason, if(s_found = 1, aspects, NULL) AS aspects
     FROM ${chReviewsWithProducts(ch, scope)} ANY LEFT JOIN (
       SELECT review_id, model_id, probability, reason, aspects, toUInt8(1) AS s_found
       FROM ${ch.nodeTable('review_scores')} FINAL
     ) USING review_id
     ORDER BY created_at ASC NULLS LAST, review_id`,
    kinds,
  );
}

/** Inserts or replaces these reviews' scores, on every node. */
export async function chStoreReviewScores(
  ch: ClickHouseStore,
  rows: readonly ReviewScoreRow[],
  scoredAt: Date,
): Promise<void> {
  if (!rows.length) return;
  const at = chDateTime(scoredAt);
  const num = (v: number | null): string => (v === null ? '\\N' : String(v));
  await ch.insertTsv(
    'review_scores',
    ['review_id', 'model_id', 'probability', 'label', 'reason', 'aspects', 'scored_at'],
    () =>
      rows.map(
        (r) =>
          [
            tsvField(r.reviewId),
            tsvField(r.modelId),
            num(r.probability),
            num(r.label),
            tsvField(r.reason),
            tsvField(JSON.stringify(r.aspects)),
            at,
          ].join('\t') + '\n',
      ),
    { everyNode: true },
  );
}
