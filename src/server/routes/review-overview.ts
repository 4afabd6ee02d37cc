/**
 * @module server/routes/review-overview
 * Review insight above one product (the dashboard's Reviews page; docs/reviews.md#insight):
 * - `GET /v1/reviews/insight` (read): the insight of a category, or of the whole store without one:
 *   sentiment by month, top aspects with examples, what turned negative, rising products
 *   (tasks/reviews/insight.ts over the stored scores, as `shopsight reviews --category C`).
 * - `GET /v1/reviews/categories` (read): the categories reviews fall in, most reviewed first.
 *
 * Reading only, like the product route (./review-insight.ts): no text model runs here; reviews
 * without a stored score are counted in `unscored` and `note` says what scores them. Both routes,
 * and the product route, run on a ClickHouse server too (the reads choose their engine's SQL).
 */
import { storeReviewInsight } from '../../registry/review-scoring.js';
import { categoryExists, reviewCategories } from '../../warehouse/review-categories.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { unmaskAllowed } from '../unmask.js';
import { int, str } from './analytics-schemas.js';
import { INSIGHT, INSIGHT_QUERY, insightBody, unscoredNote } from './review-insight.js';
import type { RoutePlugin } from './route-plugin.js';

const CATEGORIES = {
  type: 'object',
  required: ['categories'],
  properties: {
    categories: {
      type: 'array',
      items: {
        type: 'object',
        required: ['category', 'reviews'],
        properties: { category: str, reviews: int },
      },
    },
  },
} as const;

export const reviewOverviewRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/reviews/insight',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['reviews'],
        summary: "What a category's reviews (or the whole store's) say: sentiment by month, top aspects",
        description:
          'As GET /v1/products/{id}/reviews/insight, over every review of `category` (the review’s own ' +
          'category, else its product’s), or of the whole store without it; `comparison.products` lists the ' +
          'products whose negative share rose. 404 for a category no product or review carries.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            category: {
              type: 'string',
              minLength: 1,
              description: 'the category (default: every review of the store)',
              examples: ['home'],
            },
            ...INSIGHT_QUERY,
          },
        },
        response: { 200: INSIGHT, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const q = req.query as {
        category?: string;
        month?: string;
        alpha?: number;
        top?: number;
        unmask?: boolean;
      };
      const unmasked = unmaskAllowed(req, q.unmask);
      return ctx.db.read(async (wh) => {
        if (q.category !== undefined && !(await categoryExists(wh, q.category)))
          throw httpError(
            404,
            'unknown_category',
            `category: no product or review in category '${q.category}' (GET /v1/reviews/categories lists them)`,
          );
        const insight = await storeReviewInsight(wh, {
          scope: q.category !== undefined ? { category: q.category } : {},
          ...(q.month !== undefined ? { month: q.month } : {}),
          ...(q.alpha !== undefined ? { alpha: q.alpha } : {}),
          ...(q.top !== undefined ? { topAspects: q.top } : {}),
        });
        const note = unscoredNote(
          insight,
          `npx shopsight reviews${q.category !== undefined ? ` --category '${q.category}'` : ''}`,
        );
        return insightBody(insight, unmasked, note);
      });
    },
  );

  app.get(
    '/v1/reviews/categories',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['reviews'],
        summary: 'Categories with reviews, most reviewed first (at most 200)',
        response: { 200: CATEGORIES },
      },
    },
    async () => ({ categories: await ctx.db.read((wh) => reviewCategories(wh)) }),
  );
};
