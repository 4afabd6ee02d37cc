/**
 * @module server/routes/profile
 * `GET /v1/customers/:id/profile`: one customer's profile (tasks/customers/profile.ts, the same
 * object `shopsight customers profile <id> --json` prints). 404 for an id the store does not know
 * as of the day asked for. The e-mail and personal attribute values are masked unless an admin
 * asks with `unmask=true` (server/unmask.ts).
 */
import { LIFECYCLE_STAGES } from '../../tasks/customers/lifecycle.js';
import { customerProfile, UnknownCustomerError } from '../../tasks/customers/profile.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { int, num, numOrNull, str, strOrNull } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';
import { UNMASK_QUERY, unmaskAllowed } from '../unmask.js';

const strList = { type: 'array', items: str } as const;

const PREDICTIONS = {
  type: 'object',
  required: ['available'],
  description:
    'available = true: the stored predictions of `shopsight predict customers` for this customer; ' +
    'available = false: `reason` says why there are none and how to make them.',
  properties: {
    available: { type: 'boolean' },
    reason: str,
    as_of: str,
    churn_probability: num,
    churn_risk: { type: 'string', enum: ['low', 'medium', 'high'] },
    churn_horizon_days: int,
    churn_reasons: strList,
    purchase_probability: num,
    purchase_horizon_days: int,
    purchase_reasons: strList,
    next_order_at: strOrNull,
    p_alive: numOrNull,
    p_alive_unavailable: strOrNull,
    purchase_model: str,
    expected_orders_365d: num,
    expected_spend_365d: num,
    clv_365d: num,
    spend_tier: { type: 'string', enum: ['low', 'medium', 'high'] },
    models: { type: 'object', additionalProperties: str },
    promoted_models: { type: 'object', additionalProperties: strOrNull },
    stale: { type: 'boolean' },
    note: strOrNull,
    predicted_at: str,
  },
} as const;

const PROFILE = {
  type: 'object',
  required: [
    'customer_id',
    'as_of',
    'rfm',
    'lifecycle',
    'orders',
    'predictions',
    'favourite_categories',
    'price_sensitivity',
    'channel',
    'recent_orders',
    'recent_events',
    'events_last_30_days',
  ],
  properties: {
    customer_id: str,
    as_of: str,
    first_seen_at: strOrNull,
    country: strOrNull,
    email: { ...strOrNull, description: '[EMAIL] unless an admin asks with unmask=true' },
    first_name: { ...strOrNull, description: '[NAME] unless an admin asks with unmask=true' },
    last_name: { ...strOrNull, description: '[NAME] unless an admin asks with unmask=true' },
    attributes: {
      type: ['object', 'null'],
      additionalProperties: true,
      description:
        "the customer's attributes; values personal by key (names, phones, e-mails, IPs, addresses) or by content masked unless an admin asks with unmask=true",
    },
    rfm: {
      type: 'object',
      properties: {
        segment: str,
        label: str,
        description: str,
        recency_days: numOrNull,
        frequency: numOrNull,
        monetary: numOrNull,
        r: numOrNull,
        f: numOrNull,
        m: numOrNull,
      },
    },
    lifecycle: {
      type: 'object',
      properties: { stage: { type: 'string', enum: [...LIFECYCLE_STAGES] }, reason: str },
    },
    orders: {
      type: 'object',
      properties: {
        sales: int,
        cancelled: int,
        returned: int,
        first_order_at: strOrNull,
        last_order_at: strOrNull,
        spend: num,
        average_order_value: numOrNull,
        mean_days_between_orders: numOrNull,
      },
    },
    predictions: PREDICTIONS,
    favourite_categories: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          category: str,
          spend: num,
          share: num,
          units: num,
          orders: int,
          price_ratio: numOrNull,
        },
      },
    },
    price_sensitivity: {
      type: 'object',
      properties: {
        ratio: numOrNull,
        label: { type: ['string', 'null'], enum: ['price_sensitive', 'typical', 'premium', null] },
        lines_compared: int,
      },
    },
    channel: {
      type: 'object',
      properties: {
        main: strOrNull,
        orders_by_channel: {
          type: 'array',
          items: { type: 'object', properties: { channel: str, orders: int } },
        },
      },
    },
    recent_orders: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          order_id: str,
          ordered_at: str,
          status: str,
          amount: num,
          lines: int,
          units: num,
          channel: strOrNull,
        },
      },
    },
    recent_events: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          event_id: str,
          type: str,
          product_id: strOrNull,
          session_id: strOrNull,
          occurred_at: str,
        },
      },
    },
    events_last_30_days: { type: 'object', additionalProperties: int },
  },
} as const;

export const profileRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/customers/:id/profile',
    {
      // On ClickHouse too: customerProfile chooses each read's SQL by the store (docs/clickhouse.md).
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['customers'],
        summary:
          'A customer profile: segment, lifecycle, predictions, categories, price sensitivity, activity',
        description:
          'RFM segment, lifecycle stage (rules in docs/server.md), the stored churn / purchase / CLV ' +
          'predictions with reasons, favourite categories, price paid against the month medians of the ' +
          'category, channels, and the latest orders and events. `as_of` reads nothing on or after that day.',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, examples: ['12347'] } },
        },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            as_of: {
              type: 'string',
              pattern: '^\\d{4}-\\d{2}-\\d{2}$',
              description:
                'read only what happened before this day (default: the day after the latest order or event)',
              examples: ['2011-12-10'],
            },
            unmask: UNMASK_QUERY,
          },
        },
        response: { 200: PROFILE, 403: ERROR_BODY_SCHEMA, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const { as_of, unmask } = req.query as { as_of?: string; unmask?: boolean };
      const asStored = unmaskAllowed(req, unmask);
      try {
        return await ctx.db.read((wh) => customerProfile(wh, id, { asOf: as_of, unmask: asStored }));
      } catch (err) {
        if (err instanceof UnknownCustomerError) throw httpError(404, 'unknown_customer', err.message);
        if (err instanceof RangeError) throw httpError(400, 'invalid_request', `as_of: ${err.message}`);
        throw err;
      }
    },
  );
};
