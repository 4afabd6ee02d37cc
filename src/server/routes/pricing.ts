/**
 * @module server/routes/pricing
 * `GET /v1/pricing/:product?min_price=&max_price=&cost=`: the product's price elasticity (own, its
 * category's, the one used), the demand curve with its 95% band over the observed price range, and
 * the price with the best expected revenue (margin with `cost`) within the bounds: the object
 * `shopsight price --product P --json` prints, in snake_case (tasks/pricing/price-product.ts).
 * The category's regressions (one per product) run on a worker thread, not the server's.
 */
import { UnknownPricingProductError } from '../../features/price-observations.js';
import { categoryPriorOffThread } from '../../ml/pricing/category-prior-off-thread.js';
import { priceProduct, PricingInputError } from '../../tasks/pricing/price-product.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { snakeKeys } from '../snake-case.js';
import { int, num, numOrNull, str, strOrNull } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const pair = { type: 'array', items: num } as const;
const pairOrNull = { type: ['array', 'null'], items: num } as const;

const POINT = {
  type: 'object',
  properties: {
    price: num,
    units: num,
    units_lo95: num,
    units_hi95: num,
    revenue: num,
    revenue_lo95: num,
    revenue_hi95: num,
    margin: num,
    margin_lo95: num,
    margin_hi95: num,
  },
} as const;

const PRICING = {
  type: 'object',
  required: ['product_id', 'history', 'own', 'category', 'elasticity', 'suggestion', 'curve'],
  properties: {
    product_id: str,
    title: strOrNull,
    history: {
      type: 'object',
      properties: {
        from: strOrNull,
        to: strOrNull,
        days_with_sales: int,
        price_min: numOrNull,
        price_max: numOrNull,
        current_price: numOrNull,
        units_per_day: num,
      },
    },
    own: {
      type: 'object',
      description:
        '`status` estimated (with the estimate), or too_few_days / not_enough_price_variation with `reason`',
      properties: {
        status: { type: 'string', enum: ['estimated', 'too_few_days', 'not_enough_price_variation'] },
        reason: str,
        elasticity: num,
        se: num,
        ci95: pair,
        days: int,
        df: int,
        controls: { type: 'array', items: str },
        price_sd: num,
        price_min: numOrNull,
        price_max: numOrNull,
      },
    },
    category: {
      type: 'object',
      properties: {
        category: str,
        products: int,
        estimated: int,
        elasticity: numOrNull,
        se: numOrNull,
        ci95: pairOrNull,
        spread: numOrNull,
        note: str,
      },
    },
    elasticity: {
      type: ['object', 'null'],
      properties: {
        elasticity: num,
        se: num,
        ci95: pair,
        source: { type: 'string', enum: ['own', 'shrunk'] },
        own_weight: num,
      },
    },
    bounds: pairOrNull,
    suggestion: {
      type: ['object', 'null'],
      properties: {
        objective: { type: 'string', enum: ['revenue', 'margin'] },
        price: num,
        at: POINT,
        current: POINT,
      },
    },
    curve: { type: 'array', items: POINT },
    reason: str,
  },
} as const;

const price = (description: string, example: number) =>
  ({ type: 'number', minimum: 0, description, examples: [example] }) as const;

export const pricingRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/pricing/:product',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['pricing'],
        summary:
          'Price elasticity of a product, its demand curve and the price with the best expected revenue or margin',
        description:
          'Log-log regression of daily units on the daily price with trend and weekday controls, shrunk ' +
          "towards the category's elasticity; a product whose price did not move gets " +
          '`not_enough_price_variation` and no suggestion. Prices are kept inside the observed range ' +
          '(docs/pricing.md).',
        params: {
          type: 'object',
          required: ['product'],
          properties: { product: { type: 'string', minLength: 1, examples: ['85123A'] } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            min_price: price('lowest price to consider (cut to the observed range)', 2.5),
            max_price: price('highest price to consider (cut to the observed range)', 3.5),
            cost: {
              type: 'number',
              minimum: 0,
              description: 'unit cost: maximise margin instead of revenue',
              examples: [1.2],
            },
          },
        },
        response: { 200: PRICING, 400: ERROR_BODY_SCHEMA, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { product } = req.params as { product: string };
      const q = req.query as { min_price?: number; max_price?: number; cost?: number };
      try {
        const answer = await ctx.db.read((wh) =>
          priceProduct(
            wh,
            {
              productId: product,
              ...(q.min_price !== undefined ? { minPrice: q.min_price } : {}),
              ...(q.max_price !== undefined ? { maxPrice: q.max_price } : {}),
              ...(q.cost !== undefined ? { cost: q.cost } : {}),
            },
            (panel) => categoryPriorOffThread(panel),
          ),
        );
        return snakeKeys(answer);
      } catch (err) {
        if (err instanceof UnknownPricingProductError) throw httpError(404, 'unknown_product', err.message);
        if (err instanceof PricingInputError) {
          throw httpError(400, 'invalid_request', `querystring/${err.field}: ${err.message}`, [
            { path: `/${err.field}`, message: err.message },
          ]);
        }
        throw err;
      }
    },
  );
};
