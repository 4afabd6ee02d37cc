/**
 * @module server/routes/review-insight
 * `GET /v1/products/:id/reviews/insight`: what a product's reviews say (tasks/reviews/insight.ts,
 * the object `shopsight reviews --product <id> --json` prints under `insight`, in snake_case):
 * sentiment, months, the top aspects with example sentences, aspects turned negative, and whether
 * the product's negative share rose significantly.
 *
 * Reading only: the route reads the scores stored in review_scores and never runs a text model on
 * the server's thread. Reviews without a stored score are counted in `unscored` and named in
 * `note` with what scores them. 404 for a product not in the catalogue.
 */
import { maskPii } from '../../ml/text/pii.js';
import { storeReviewInsight } from '../../registry/review-scoring.js';
import type { ReviewInsight } from '../../tasks/reviews/insight.js';
import { productExists } from '../../warehouse/review-scores-store.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { snakeKeys } from '../snake-case.js';
import { UNMASK_QUERY, unmaskAllowed } from '../unmask.js';
import { int, num, numOrNull, str, strOrNull } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const strList = { type: 'array', items: str } as const;
const COUNTS = {
  type: 'object',
  properties: { reviews: int, positive: int, negative: int, negative_share: numOrNull },
} as const;

export const INSIGHT = {
  type: 'object',
  required: ['scope', 'reviews', 'scored', 'unscored', 'sentiment', 'months', 'aspects', 'comparison'],
  properties: {
    scope: { type: 'object', properties: { product_id: str, category: str } },
    reviews: { ...int, description: 'reviews of the product with text' },
    scored: { ...int, description: 'reviews with a stored sentiment label' },
    cannot_score: {
      ...int,
      description: 'reviews whose text cannot be scored (empty, emoji only, unknown script)',
    },
    unscored: { ...int, description: 'reviews with no stored score yet (see note)' },
    models: { type: 'object', additionalProperties: int, description: 'model id -> reviews it scored' },
    sentiment: COUNTS,
    average_rating: numOrNull,
    months: {
      type: 'array',
      items: { type: 'object', properties: { month: str, ...COUNTS.properties } },
    },
    aspects: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          aspect: str,
          reviews: int,
          positive: int,
          negative: int,
          negative_share: num,
          examples: { type: 'object', properties: { positive: strList, negative: strList } },
        },
      },
    },
    comparison: {
      type: 'object',
      properties: {
        month: strOrNull,
        before: strList,
        alpha: num,
        turned_negative: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              aspect: str,
              month: { type: 'object', properties: { mentions: int, negative: int, negative_share: num } },
              before: {
                type: 'object',
                properties: { mentions: int, negative: int, negative_share: numOrNull },
              },
            },
          },
        },
        products: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              product_id: str,
              title: strOrNull,
              month: COUNTS,
              before: COUNTS,
              difference: numOrNull,
              p_value: numOrNull,
              verdict: {
                type: 'string',
                enum: ['higher', 'lower', 'no_significant_difference', 'too_small'],
              },
              reason: str,
            },
          },
        },
        rising: strList,
      },
    },
    note: strOrNull,
  },
} as const;

/** The query fields of every insight route (a product's, a category's): month, alpha, top. */
export const INSIGHT_QUERY = {
  month: {
    type: 'string',
    pattern: '^\\d{4}-(0[1-9]|1[0-2])$',
    description: 'the month compared with the three before it (default: the latest with reviews)',
    examples: ['2011-11'],
  },
  alpha: {
    type: 'number',
    // minimum/maximum, not exclusive bounds: the document is OpenAPI 3.0 (boolean exclusive
    // bounds) while the validator is JSON Schema draft 7 (numeric ones).
    minimum: 0.0001,
    maximum: 0.5,
    description: 'significance level of the test, 0.0001 to 0.5 (default 0.05)',
    examples: [0.05],
  },
  top: {
    type: 'integer',
    minimum: 1,
    maximum: 100,
    description: 'aspects listed, most mentioned first (default 10)',
    examples: [10],
  },
  unmask: UNMASK_QUERY,
} as const;

/**
 * The insight as a route answers it: example sentences are customers' own words, so personal data
 * in them (e-mails, phone numbers, ID and card numbers, addresses) is masked unless an admin asks
 * for them as written (`?unmask=true`, server/unmask.ts), as on every other output of free text.
 */
export function insightBody(
  insight: ReviewInsight,
  unmasked: boolean,
  note: string | null,
): Record<string, unknown> {
  const shown = unmasked
    ? insight
    : {
        ...insight,
        aspects: insight.aspects.map((a) => ({
          ...a,
          examples: {
            positive: a.examples.positive.map((t) => maskPii(t)),
            negative: a.examples.negative.map((t) => maskPii(t)),
          },
        })),
      };
  return { ...(snakeKeys(shown) as Record<string, unknown>), note };
}

/** What `note` says when some reviews in scope have no stored score yet (null when all have one). */
export function unscoredNote(insight: { unscored: number; reviews: number }, command: string): string | null {
  return insight.unscored
    ? `${insight.unscored} of ${insight.reviews} reviews have no stored score yet: ` +
        'POST /v1/admin/train/sentiment scores every review after training (or, with the server ' +
        `stopped, \`${command}\`)`
    : null;
}

export const reviewInsightRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/products/:id/reviews/insight',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['reviews'],
        summary:
          "What a product's reviews say: sentiment by month, top aspects with examples, what turned negative",
        description:
          'From the review scores stored by `shopsight reviews` (docs/reviews.md): the share of negative ' +
          'reviews overall and per month, the most mentioned aspects with positive and negative mentions ' +
          'and example sentences, the aspects mostly negative in `month` that were not over the three ' +
          'months before, and a two-proportion z-test (at `alpha`) of the negative share in `month` ' +
          'against the three months before.',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, examples: ['85123A'] } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...INSIGHT_QUERY,
          },
        },
        response: { 200: INSIGHT, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const q = req.query as { month?: string; alpha?: number; top?: number; unmask?: boolean };
      const unmasked = unmaskAllowed(req, q.unmask);
      return ctx.db.read(async (wh) => {
        if (!(await productExists(wh, id)))
          throw httpError(404, 'unknown_product', `id: no product '${id}' in this store's catalogue`);
        const insight = await storeReviewInsight(wh, {
          scope: { productId: id },
          ...(q.month !== undefined ? { month: q.month } : {}),
          ...(q.alpha !== undefined ? { alpha: q.alpha } : {}),
          ...(q.top !== undefined ? { topAspects: q.top } : {}),
        });
        return insightBody(insight, unmasked, unscoredNote(insight, `npx shopsight reviews --product ${id}`));
      });
    },
  );
};
