/**
 * @module warehouse/review-categories
 * The categories reviews fall in (the review's own category, else its product's, as
 * review-scores-store.ts scopes them), with how many reviews with text each has: the choices of the
 * dashboard's Reviews page (`GET /v1/reviews/categories`). On a ClickHouse cluster:
 * review-categories-clickhouse.ts.
 */
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import { chCategoryExists, chReviewCategoryCounts } from './review-categories-clickhouse.js';
import type { Warehouse } from './warehouse.js';

export interface ReviewCategory {
  readonly category: string;
  readonly reviews: number;
}

/** Categories with at least one review with text, most reviewed first. */
export async function reviewCategories(wh: Warehouse, limit = 200): Promise<ReviewCategory[]> {
  if (wh instanceof ClickHouseStore) {
    return (await chReviewCategoryCounts(wh, limit)).map((r) => ({ category: r.category, reviews: r.n }));
  }
  const rows = await wh.rows<{ category: string; n: bigint | number }>(
    `SELECT coalesce(r.category, p.category) AS category, count(*) AS n
     FROM reviews r LEFT JOIN products p USING (product_id)
     WHERE coalesce(r.category, p.category) IS NOT NULL
       AND (coalesce(r.title, '') <> '' OR coalesce(r.body, '') <> '')
     GROUP BY 1 ORDER BY n DESC, category LIMIT ?`,
    [limit],
  );
  return rows.map((r) => ({ category: r.category, reviews: Number(r.n) }));
}

/** A category some product or review carries (a category with no reviews yet still exists). */
export async function categoryExists(wh: Warehouse, category: string): Promise<boolean> {
  if (wh instanceof ClickHouseStore) return chCategoryExists(wh, category);
  const rows = await wh.rows(
    `SELECT 1 AS one FROM products WHERE category = ?
     UNION ALL SELECT 1 AS one FROM reviews WHERE category = ? LIMIT 1`,
    [category, category],
  );
  return rows.length > 0;
}
