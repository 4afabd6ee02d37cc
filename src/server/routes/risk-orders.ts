/**
 * @module server/routes/risk-orders
 * What a merchant reviews (the dashboard's Risk page; docs/risk.md):
 * - `GET /v1/risk/orders` (read): the stored `order_risk` rows of the newest model version that
 *   scored any order, riskiest first, paged, held orders only on request, each with its reasons and
 *   the order's time, customer, country and value (warehouse/order-risk-list.ts).
 * - `GET /v1/risk/review-rates` (read): at a few review rates, the model score that holds that share
 *   of the scored orders, how many orders it holds, and the precision and recall the training
 *   measured there on held-out labelled orders (tasks/risk/review-curve.ts; none without labels).
 *
 * Reading only: nothing is scored here (`shopsight risk score` or POST /v1/risk/score score).
 */
import { RISK_TASK } from '../../registry/risk.js';
import { curveRates, type ReviewCurvePoint } from '../../tasks/risk/review-curve.js';
import { findModel } from '../../warehouse/model-store.js';
import {
  listOrderRisk,
  MAX_RISK_PAGE_SIZE,
  rateCuts,
  riskVersionSummary,
} from '../../warehouse/order-risk-list.js';
import { snakeKeys } from '../snake-case.js';
import { int, num, numOrNull, str, strOrNull } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';
import { DEFAULT_REVIEW_RATE } from '../../tasks/risk/train.js';

const intOrNull = { type: ['integer', 'null'] } as const;
const strList = { type: 'array', items: str } as const;

const NOT_SCORED =
  'No stored risk scores yet: train a model and score the orders (npx shopsight train risk, then ' +
  'npx shopsight risk score; on a running server POST /v1/admin/train/risk).';

const SUMMARY = {
  model_version: { ...intOrNull, description: 'the newest model version with stored scores' },
  scored: { ...int, description: 'orders that version scored' },
  held: { ...int, description: 'of them, held (at or above the threshold, or by a hold rule)' },
  scored_at: strOrNull,
  reason: { ...strOrNull, description: 'why the list is empty, and what to run' },
} as const;

const ROW = {
  type: 'object',
  required: ['order_id', 'score', 'model_score', 'held', 'reasons'],
  properties: {
    order_id: str,
    customer_id: strOrNull,
    ordered_at: strOrNull,
    country: strOrNull,
    total: numOrNull,
    score: num,
    model_score: num,
    action: { type: ['string', 'null'], enum: ['hold', 'allow', null] },
    held: { type: 'boolean' },
    reasons: strList,
    rules_hit: { type: ['array', 'null'], items: str },
  },
} as const;

const PAGE = {
  type: 'object',
  required: ['model_version', 'scored', 'held', 'total', 'page', 'page_size', 'orders'],
  properties: {
    ...SUMMARY,
    total: { ...int, description: 'rows matching the filter' },
    page: int,
    page_size: int,
    orders: { type: 'array', items: ROW },
  },
} as const;

const RATES = {
  type: 'object',
  required: ['model_version', 'scored', 'held', 'labelled', 'rates'],
  properties: {
    ...SUMMARY,
    model: { ...strOrNull, description: 'iforest (no labels) or gbdt (labelled fraud)' },
    labelled: { type: 'boolean', description: 'trained on labelled fraud: precision and recall known' },
    review_rate: { ...numOrNull, description: 'the review rate the model was trained for' },
    threshold: { ...numOrNull, description: "the model's threshold for that rate" },
    protocol: strOrNull,
    rates: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rate', 'threshold', 'orders', 'expected_precision', 'expected_recall'],
        properties: {
          rate: num,
          threshold: {
            ...num,
            description: 'model score at or above which the scored orders make this share',
          },
          orders: { ...int, description: 'scored orders at or above it' },
          expected_precision: {
            ...numOrNull,
            description:
              'share of fraud among the held, measured on held-out labelled orders at a threshold cut on the validation part, which the held-out orders never chose (null: no labels, or nothing held there)',
          },
          expected_recall: { ...numOrNull, description: 'share of the fraud held, same measure' },
        },
      },
    },
  },
} as const;

export const riskOrdersRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/risk/orders',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['risk'],
        summary: 'Scored orders, riskiest first, with their reasons (held only on request), paged',
        description:
          'The rows `shopsight risk score` stored in order_risk for the newest model version that scored any ' +
          "order, by score, highest first, with the order's time, customer, country and value. Empty, with " +
          '`reason` saying what to run, before any order is scored.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            held: { type: 'boolean', description: 'only the held orders', examples: [true] },
            page: { type: 'integer', minimum: 1, description: '1-based (default 1)', examples: [1] },
            page_size: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_RISK_PAGE_SIZE,
              description: `rows per page (default 20, at most ${MAX_RISK_PAGE_SIZE})`,
              examples: [20],
            },
          },
        },
        response: { 200: PAGE },
      },
    },
    async (req) => {
      const q = req.query as { held?: boolean; page?: number; page_size?: number };
      const page = await ctx.db.read((wh) =>
        listOrderRisk(wh, {
          ...(q.held !== undefined ? { heldOnly: q.held } : {}),
          ...(q.page !== undefined ? { page: q.page } : {}),
          ...(q.page_size !== undefined ? { pageSize: q.page_size } : {}),
        }),
      );
      return {
        ...(snakeKeys({
          ...page,
          scoredAt: page.scoredAt?.toISOString() ?? null,
          orders: page.orders.map((o) => ({ ...o, orderedAt: o.orderedAt?.toISOString() ?? null })),
        }) as Record<string, unknown>),
        reason: page.modelVersion === null ? NOT_SCORED : null,
      };
    },
  );

  app.get(
    '/v1/risk/review-rates',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['risk'],
        summary:
          'At each review rate: the score that holds that share, the orders held, expected precision and recall',
        description:
          'For the newest model version with stored scores: at each review rate, the model score at or above ' +
          'which the scored orders make that share and how many they are, and, for a model trained on ' +
          'labelled fraud, the precision and recall measured at that rate on the held-out labelled orders ' +
          '(stored at training). A model trained without labels claims no precision or recall (null).',
        response: { 200: RATES },
      },
    },
    async () =>
      ctx.db.read(async (wh) => {
        const summary = await riskVersionSummary(wh);
        const head = {
          model_version: summary.modelVersion,
          scored: summary.scored,
          held: summary.held,
          scored_at: summary.scoredAt?.toISOString() ?? null,
        };
        if (summary.modelVersion === null) {
          return {
            ...head,
            model: null,
            labelled: false,
            review_rate: null,
            threshold: null,
            protocol: null,
            rates: [],
            reason: NOT_SCORED,
          };
        }
        const record = await findModel(wh, RISK_TASK, summary.modelVersion);
        // A model trained before the rate was recorded was trained for the default.
        const reviewRate = (record?.params['reviewRate'] as number | undefined) ?? DEFAULT_REVIEW_RATE;
        const curve = (record?.metrics['reviewCurve'] as ReviewCurvePoint[] | undefined) ?? null;
        const cuts = await rateCuts(wh, summary.modelVersion, summary.scored, curveRates(reviewRate));
        return {
          ...head,
          model: (record?.params['model'] as string | undefined) ?? record?.kind ?? null,
          labelled: curve !== null,
          review_rate: reviewRate,
          threshold: (record?.metrics['threshold'] as number | undefined) ?? null,
          protocol: (record?.metrics['protocol'] as string | undefined) ?? null,
          rates: cuts.map((c) => {
            const measured = curve?.find((p) => p.rate === c.rate);
            return {
              rate: c.rate,
              threshold: c.threshold,
              orders: c.orders,
              expected_precision: measured?.precision ?? null,
              expected_recall: measured?.recall ?? null,
            };
          }),
          reason: record
            ? null
            : `risk model version ${summary.modelVersion} is no longer in the registry: its figures are unknown`,
        };
      }),
  );
};
