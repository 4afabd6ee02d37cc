/**
 * @module server/routes/feedback
 * `GET /v1/analytics/recommendations`: the feedback loop. Per task, model version and A/B variant:
 * impressions, clicks, CTR, add-to-cart rate, attributed orders and revenue; and the A/B comparison
 * of two arms with a two-proportion z-test and a confidence interval (tasks/recommend/feedback.ts;
 * definitions in docs/server.md).
 */
import { COMPARE_BY, recommendationFeedback, type FeedbackOptions } from '../../tasks/recommend/feedback.js';
import {
  ATTRIBUTIONS,
  DEFAULT_ATTRIBUTION_DAYS,
  type Attribution,
} from '../../warehouse/analytics/recommendations.js';
import { snakeKeys } from '../snake-case.js';
import { readOr400 } from './analytics.js';
import { int, num, numOrNull, PERIOD, PERIOD_QUERY, str, TWO_PROPORTION_TEST } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const ROW = {
  type: 'object',
  properties: {
    task: str,
    model_version: { type: ['integer', 'null'] },
    variant: { type: ['string', 'null'] },
    impressions: int,
    items: int,
    clicked_impressions: int,
    clicks: int,
    ctr: numOrNull,
    carted_impressions: int,
    add_to_cart_rate: numOrNull,
    converted_impressions: int,
    orders: int,
    conversion_rate: numOrNull,
    revenue: num,
    purchases_without_value: int,
    revenue_per_impression: numOrNull,
  },
} as const;

const ARM = {
  type: 'object',
  properties: {
    arm: str,
    impressions: int,
    clicked_impressions: int,
    converted_impressions: int,
    orders: int,
    revenue: num,
    ctr: numOrNull,
    conversion_rate: numOrNull,
  },
} as const;

const REPORT = {
  type: 'object',
  required: ['period', 'window_days', 'attribution', 'rows', 'comparisons', 'notes'],
  properties: {
    period: PERIOD,
    window_days: int,
    attribution: { type: 'string', enum: [...ATTRIBUTIONS] },
    rows: { type: 'array', items: ROW },
    comparisons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          task: str,
          compare_by: str,
          a: ARM,
          b: ARM,
          ctr: TWO_PROPORTION_TEST,
          conversion: TWO_PROPORTION_TEST,
        },
      },
    },
    notes: { type: 'array', items: str },
  },
} as const;

type Query = {
  from?: string;
  to?: string;
  window_days?: number;
  attribution?: Attribution;
  task?: string;
  surface?: string;
  compare_by?: FeedbackOptions['compareBy'];
  a?: string;
  b?: string;
};

export const feedbackRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/analytics/recommendations',
    {
      config: { role: 'read' },
      schema: {
        tags: ['analytics', 'recommendations'],
        summary: 'Recommendation performance per model version and variant, and the A/B comparison',
        description:
          'Impressions are recommendation responses served in the period; clicks, add-to-carts and ' +
          'purchases are events carrying the response request_id within window_days of serving ' +
          "(attribution=request), or sales orders credited to the customer's latest click before them " +
          '(attribution=last_touch). The comparison tests CTR and conversion between two arms and says ' +
          '"too small to tell" when the sample cannot detect the observed difference (docs/server.md).',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...PERIOD_QUERY,
            window_days: {
              type: 'integer',
              minimum: 1,
              maximum: 365,
              default: DEFAULT_ATTRIBUTION_DAYS,
              description: 'attribution window after serving, days',
              examples: [7],
            },
            attribution: {
              type: 'string',
              enum: [...ATTRIBUTIONS],
              default: 'request',
              examples: ['request'],
            },
            task: { type: 'string', description: 'only this task', examples: ['recommend'] },
            surface: {
              type: 'string',
              enum: ['user', 'item', 'together', 'session'],
              description: 'only this surface',
              examples: ['user'],
            },
            compare_by: { type: 'string', enum: [...COMPARE_BY], default: 'variant', examples: ['variant'] },
            a: {
              type: 'string',
              description: 'baseline arm (a variant, or a model version)',
              examples: ['A'],
            },
            b: { type: 'string', description: 'challenger arm', examples: ['B'] },
          },
        },
        response: { 200: REPORT },
      },
    },
    async (req) => {
      const q = req.query as Query;
      const report = await readOr400(ctx, (wh) =>
        recommendationFeedback(wh, {
          period: { from: q.from, to: q.to },
          windowDays: q.window_days,
          attribution: q.attribution,
          task: q.task,
          surface: q.surface,
          compareBy: q.compare_by,
          a: q.a,
          b: q.b,
        }),
      );
      return snakeKeys(report);
    },
  );
};
