/**
 * @module server/routes/admin-privacy
 * `GET /v1/admin/privacy/export/:customer` (admin): everything held about a customer (access
 * request), as `shopsight privacy export` writes it. `POST /v1/admin/privacy/forget` (admin): erase one customer while the server owns the database,
 * the same work as `shopsight privacy forget` (registry/forget.ts). The event log is committed to
 * the warehouse first and buffered impressions written, so nothing of the person waits in memory or
 * on disk to come back after the erasure; then the recommendation bundles held in memory are
 * reloaded (their answers cached per version go with them). The database file is checkpointed, not
 * rewritten: DuckDB's freed blocks may keep the erased bytes until the CLI rewrites the file with the
 * server stopped (docs/privacy.md), and the answer says so.
 */
import { exportCustomer, forgetCustomer, UnknownCustomerError } from '../../registry/forget.js';
import { ORDERS_MODES, type OrdersMode } from '../../warehouse/personal-data.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { recommendService } from '../recommend-service.js';
import { snakeKeys } from '../snake-case.js';
import { eventIngestOf } from './events.js';
import type { RoutePlugin } from './route-plugin.js';

const FORGET_RESPONSE = {
  type: 'object',
  required: ['erased_at', 'orders_mode', 'counts', 'models_rewritten', 'models_marked', 'file_rewritten'],
  properties: {
    erased_at: { type: 'string', format: 'date-time' },
    orders_mode: { type: 'string', enum: [...ORDERS_MODES] },
    counts: {
      type: 'object',
      description:
        'rows removed (orders: unlinked when anonymised) per table; event_log: events cut from its files',
      additionalProperties: { type: 'integer' },
    },
    models_rewritten: {
      type: 'array',
      items: { type: 'string' },
      description: 'bundles rewritten without the person',
    },
    models_marked: {
      type: 'array',
      items: { type: 'string' },
      description: 'models trained with the person, replaced by the next training whatever its metrics',
    },
    by_pseudonym: { type: 'boolean', description: 'found by the pseudonym of the id given' },
    file_rewritten: {
      type: 'boolean',
      description:
        'false here: the file is checkpointed; `shopsight privacy forget` with the server stopped rewrites it',
    },
  },
} as const;

const unknown = (err: unknown, field: string): unknown =>
  err instanceof UnknownCustomerError ? httpError(404, 'unknown_customer', `${field}: ${err.message}`) : err;

export const adminPrivacyRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/admin/privacy/export/:customer',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Everything held about a customer (access request), predictions and their reasons included',
        description:
          "Not masked: the export is the person's own data as stored (e-mail, attributes, free text), for the person only.",
        params: {
          type: 'object',
          required: ['customer'],
          properties: {
            customer: {
              type: 'string',
              minLength: 1,
              description: 'the id as the shop knows it (its pseudonym is found when the server has the key)',
              examples: ['12347'],
            },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['exported_at', 'customer_id', 'held_as', 'tables'],
            properties: {
              exported_at: { type: 'string', format: 'date-time' },
              customer_id: { type: 'string' },
              held_as: {
                type: 'array',
                items: { type: 'string' },
                description: 'the ids the store holds them by',
              },
              tables: {
                type: 'object',
                description: 'table -> every row about the customer, columns as stored',
                additionalProperties: {
                  type: 'array',
                  items: { type: 'object', additionalProperties: true },
                },
              },
            },
          },
          404: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req) => {
      const { customer } = req.params as { customer: string };
      await eventIngestOf(ctx)?.flush();
      try {
        return snakeKeys(await ctx.db.read((wh) => exportCustomer(wh, { customerId: customer })));
      } catch (err) {
        throw unknown(err, 'params/customer');
      }
    },
  );

  app.post(
    '/v1/admin/privacy/forget',
    {
      config: { role: 'admin' },
      schema: {
        tags: ['admin'],
        summary:
          'Erase a customer from every table, the event log and the models (logged without the person)',
        body: {
          type: 'object',
          required: ['customer_id'],
          additionalProperties: false,
          properties: {
            customer_id: {
              type: 'string',
              minLength: 1,
              description: 'the id as the shop knows it (its pseudonym is found when the server has the key)',
              examples: ['12503'],
            },
            email: {
              type: 'string',
              minLength: 3,
              description: 'their e-mail, also erased',
              examples: ['someone@example.org'],
            },
            reason: {
              type: 'string',
              maxLength: 500,
              description: 'kept in the erasure log; write no personal data here',
              examples: ['erasure request 118'],
            },
            orders: {
              type: 'string',
              enum: [...ORDERS_MODES],
              description: 'delete the orders and lines (default), or keep them unlinked for the accounts',
              examples: ['delete'],
            },
          },
          examples: [{ customer_id: '12503', reason: 'erasure request 118', orders: 'delete' }],
        },
        response: { 200: FORGET_RESPONSE, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const body = req.body as { customer_id: string; email?: string; reason?: string; orders?: OrdersMode };
      await eventIngestOf(ctx)?.flush();
      await recommendService(ctx).impressions.flush();
      try {
        const result = await ctx.db.write(async (wh) => {
          const r = await forgetCustomer(wh, {
            customerId: body.customer_id,
            ...(body.email ? { email: body.email } : {}),
            ...(body.reason ? { reason: body.reason } : {}),
            orders: body.orders ?? 'delete',
          });
          await wh.exec('CHECKPOINT');
          return r;
        });
        // Erased events must not be remembered as stored by live ingest's duplicate check.
        await eventIngestOf(ctx)?.eventsChanged();
        for (const task of new Set(result.modelsRewritten.map((id) => id.slice(0, id.indexOf('@'))))) {
          await ctx.models.reload(task);
        }
        return { ...(snakeKeys(result) as Record<string, unknown>), file_rewritten: false };
      } catch (err) {
        throw unknown(err, 'body/customer_id');
      }
    },
  );
};
