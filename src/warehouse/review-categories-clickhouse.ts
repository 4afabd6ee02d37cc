/**
 * @module warehouse/review-categories-clickhouse
 * review-categories.ts's reviewCategories on a ClickHouse cluster (the reviews with text and their
 * category as review-scores-store-clickhouse.ts scopes them).
 */
import type { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { chReviewsWithProducts } from './review-scores-store-clickhouse.js';

/** review-categories.ts's reviewCategories on ClickHouse: categories with reviews, most reviewed first. */
export async function chReviewCategoryCounts(
  ch: ClickHouseStore,
  limit: number,
): Promise<{ category: string; n: number }[]> {
  const rows = await ch.rows<{ category: string; n: string | number }>(
    `SELECT category, count() AS n FROM ${chReviewsWithProducts(ch)}
     WHERE isNotNull(category) GROUP BY category ORDER BY n DESC, category LIMIT ${Math.trunc(limit)}`,
  );
  return rows.map((r) => ({ category: r.category, n: Number(r.n) }));
}
