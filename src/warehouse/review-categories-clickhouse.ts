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

/**
 * review-categories.ts's categoryExists on ClickHouse: the entry node's catalogue, then the reviews
 * (18.16 refuses the UNION ALL of constants over a Distributed table that DuckDB's query is).
 */
export async function chCategoryExists(ch: ClickHouseStore, category: string): Promise<boolean> {
  for (const table of ['products', 'reviews']) {
    const rows = await ch.rows(`SELECT 1 AS one FROM ${table} WHERE category = ? LIMIT 1`, [category]);
    if (rows.length > 0) return true;
  }
  return false;
}
