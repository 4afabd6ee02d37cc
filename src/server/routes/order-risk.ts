/**
 * @module server/routes/order-risk
 * Order risk (issue 10; docs/risk.md):
 * - `GET /v1/orders/:id/risk` (read): the stored score of `shopsight risk score`: score, model score,
 *   action, held, reasons, the rules that fired, the model version and when it was scored.
 * - `POST /v1/risk/score` (read): scores an order sent in the body (checkout, before the order is
 *   stored) with the promoted risk model and the rules sent with it. Features are built as of the
 *   order's `ordered_at` from the store (nothing after it); the model runs on the server's risk
 *   scoring thread. Nothing is written. Role read, not ingest: it changes nothing and answers from
 *   the store's data, like the recommendations a storefront asks for with a read key.
 */
import type { NewOrder } from '../../features/new-order-risk-features.js';
import { ORDER_RISK_FEATURE_NAMES } from '../../features/order-risk-features.js';
import { parseIsoTimestamp } from '../../ingest/live-event.js';
import { parseRiskRules, RiskRulesError, RULE_OPERATORS, type RiskRule } from '../../tasks/risk/rules.js';
import { orderExists, readOrderRisk } from '../../warehouse/order-risk-store.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { RiskService } from '../risk-service.js';
import { snakeKeys } from '../snake-case.js';
import { MAX_ORDER_LINES } from '../upserts/order-body.js';
import { int, num, str, strOrNull } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const strList = { type: 'array', items: str } as const;
const action = { type: ['string', 'null'], enum: ['hold', 'allow', null] } as const;

const STORED = {
  type: 'object',
  required: ['order_id', 'score', 'model_score', 'action', 'held', 'reasons', 'rules_hit', 'model_version'],
  properties: {
    order_id: str,
    score: num,
    model_score: num,
    action,
    held: { type: 'boolean' },
    reasons: strList,
    rules_hit: { type: ['array', 'null'], items: str },
    model_version: int,
    model_id: str,
    scored_at: str,
  },
} as const;

const SCORED = {
  type: 'object',
  required: ['score', 'model_score', 'action', 'held', 'reasons', 'rules_hit', 'model_version', 'features'],
  properties: {
    order_id: strOrNull,
    score: num,
    model_score: num,
    action,
    held: { type: 'boolean' },
    reasons: strList,
    rules_hit: strList,
    model_version: int,
    model_id: str,
    threshold: num,
    review_rate: num,
    as_of: str,
    features: {
      type: 'object',
      description: 'the order features scored, as of ordered_at (null = missing)',
      additionalProperties: { type: ['number', 'null'] },
    },
  },
} as const;

const RULE = {
  type: 'object',
  required: ['name', 'field', 'operator', 'threshold'],
  properties: {
    name: str,
    field: { type: 'string', description: 'an order feature (docs/risk.md)' },
    operator: { type: 'string', enum: [...RULE_OPERATORS] },
    threshold: num,
    score: { type: 'number', description: 'added to the model score (the sum clamped to [0, 1])' },
    action: { type: 'string', enum: ['hold', 'allow'] },
  },
} as const;

const SCORE_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['ordered_at', 'lines'],
  properties: {
    order_id: {
      type: 'string',
      description: 'the order id; a stored order with this id is left out of the history',
      examples: ['W-1001'],
    },
    customer_id: {
      type: ['string', 'null'],
      description: 'a customer the store knows (404 otherwise); leave it out for a guest order',
      examples: ['12347'],
    },
    ordered_at: {
      type: 'string',
      description:
        'when the order is placed (ISO 8601; UTC without an offset): features read nothing after it',
      examples: ['2011-12-09T12:00:00Z'],
    },
    country: { type: ['string', 'null'], description: 'shipping or billing country', examples: ['Iceland'] },
    device_id: { type: ['string', 'null'], description: 'device identifier', examples: ['dev-42'] },
    ip_hash: { type: ['string', 'null'], description: 'hash of the buyer IP', examples: ['9f2c'] },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_ORDER_LINES,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['product_id', 'quantity', 'unit_price'],
        properties: {
          product_id: str,
          quantity: num,
          unit_price: num,
          line_total: {
            type: ['number', 'null'],
            description: 'when given, the line amount (else quantity x unit_price)',
          },
        },
      },
      examples: [[{ product_id: '85123A', quantity: 48, unit_price: 2.55 }]],
    },
    rules: {
      type: 'array',
      items: RULE,
      description: 'merchant rules applied on top of the model, as in a rules file (docs/risk.md)',
      examples: [
        [{ name: 'big first order', field: 'new_customer_value', operator: '>', threshold: 3, score: 0.3 }],
      ],
    },
  },
  examples: [
    {
      order_id: 'W-1001',
      customer_id: '12347',
      ordered_at: '2011-12-09T12:00:00Z',
      country: 'Iceland',
      lines: [{ product_id: '85123A', quantity: 48, unit_price: 2.55 }],
      rules: [
        { name: 'big first order', field: 'new_customer_value', operator: '>', threshold: 3, score: 0.3 },
      ],
    },
  ],
} as const;

interface ScoreBody {
  order_id?: string;
  customer_id?: string | null;
  ordered_at: string;
  country?: string | null;
  device_id?: string | null;
  ip_hash?: string | null;
  lines: { product_id: string; quantity: number; unit_price: number; line_total?: number | null }[];
  rules?: unknown[];
}

function newOrder(body: ScoreBody): NewOrder {
  const at = parseIsoTimestamp(body.ordered_at);
  if (typeof at === 'string') throw httpError(400, 'invalid_request', `ordered_at: ${at}`);
  body.lines.forEach((l, i) => {
    for (const k of ['quantity', 'unit_price'] as const)
      if (!Number.isFinite(l[k])) throw httpError(400, 'invalid_request', `lines[${i}].${k}: not a number`);
  });
  return {
    orderId: body.order_id ?? '',
    customerId: body.customer_id ?? null,
    orderedAt: new Date(at),
    country: body.country ?? null,
    deviceId: body.device_id ?? null,
    ipHash: body.ip_hash ?? null,
    lines: body.lines.map((l) => ({
      productId: l.product_id,
      quantity: l.quantity,
      unitPrice: l.unit_price,
      lineTotal: l.line_total ?? null,
    })),
  };
}

function rulesOf(body: ScoreBody): RiskRule[] {
  if (!body.rules) return [];
  try {
    return parseRiskRules({ rules: body.rules }, 'body');
  } catch (err) {
    if (err instanceof RiskRulesError)
      throw httpError(400, 'invalid_rules', err.message.replace(/^body: /, ''));
    throw err;
  }
}

export const orderRiskRoutes: RoutePlugin = (app, ctx) => {
  const service = new RiskService(ctx);

  app.get(
    '/v1/orders/:id/risk',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['risk'],
        summary: "An order's stored risk score: reasons, rules hit, model version",
        description:
          'The score `shopsight risk score` stored for this order (order_risk). 404 `unknown_order` for an id ' +
          'the store does not have, 404 `not_scored` for an order scored by no run yet.',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, examples: ['536365'] } },
        },
        response: { 200: STORED, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const found = await ctx.db.read(async (wh) => ({
        risk: await readOrderRisk(wh, id),
        exists: await orderExists(wh, id),
      }));
      if (!found.exists) throw httpError(404, 'unknown_order', `no order '${id}' in this store`);
      if (!found.risk)
        throw httpError(
          404,
          'not_scored',
          `order '${id}' has no stored risk score: run \`npx shopsight risk score\` (POST /v1/risk/score scores without storing)`,
        );
      const r = found.risk;
      return {
        ...(snakeKeys({ ...r, scoredAt: r.scoredAt.toISOString() }) as Record<string, unknown>),
        model_id: `risk@${r.modelVersion}`,
      };
    },
  );

  app.post(
    '/v1/risk/score',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['risk'],
        summary:
          'Score an order sent in the body with the promoted risk model and your rules (nothing stored)',
        description:
          'For checkout: the order need not be stored. Its features are built as of `ordered_at` from the store ' +
          '(earlier orders, returns and cancellations before it; nothing after), the model runs off the ' +
          "request thread, and `rules` (the rules file's list) apply on top. `held` is true at or above the " +
          "model's review threshold or when a rule says hold. 404 `unknown_customer` for a customer id the store " +
          'does not know; 400 names a missing or wrong field or a rule with a typo; 503 `no_model` before a risk ' +
          'model is trained (POST /v1/admin/train/risk).',
        body: SCORE_BODY,
        response: { 200: SCORED, 400: ERROR_BODY_SCHEMA, 404: ERROR_BODY_SCHEMA, 503: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const body = req.body as ScoreBody;
      const order = newOrder(body);
      const rules = rulesOf(body);
      const r = await service.score(order, rules);
      return {
        order_id: body.order_id ?? null,
        score: r.score,
        model_score: r.modelScore,
        action: r.action,
        held: r.held,
        reasons: r.reasons,
        rules_hit: r.rulesHit,
        model_version: r.modelVersion,
        model_id: r.modelId,
        threshold: r.threshold,
        review_rate: r.reviewRate,
        as_of: order.orderedAt.toISOString(),
        features: Object.fromEntries(
          ORDER_RISK_FEATURE_NAMES.map((n, j) => [n, Number.isNaN(r.features[j]!) ? null : r.features[j]!]),
        ),
      };
    },
  );
};
