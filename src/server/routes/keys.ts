/**
 * @module server/routes/keys
 * Managing API keys through the API (admin): the CLI's `shopsight keys` cannot open the database
 * while the server holds it. A created key is in the response once and never again. On a ClickHouse
 * cluster the keys are the cluster's (every process re-reads them: serve-clickhouse.ts).
 */
import {
  API_ROLES,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  type ApiKeyRecord,
} from '../../warehouse/api-keys.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import type { RoutePlugin } from './route-plugin.js';

const KEY_INFO = {
  type: 'object',
  required: ['key_id', 'name', 'role', 'created_at'],
  properties: {
    key_id: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: [...API_ROLES] },
    created_at: { type: 'string', format: 'date-time' },
    revoked_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

function info(k: ApiKeyRecord): Record<string, unknown> {
  return {
    key_id: k.keyId,
    name: k.name,
    role: k.role,
    created_at: k.createdAt.toISOString(),
    revoked_at: k.revokedAt?.toISOString() ?? null,
  };
}

export const keysRoutes: RoutePlugin = (app, ctx) => {
  app.post(
    '/v1/admin/keys',
    {
      config: { role: 'admin', clickhouse: true },
      schema: {
        tags: ['admin'],
        summary: 'Create an API key (shown once)',
        body: {
          type: 'object',
          required: ['role'],
          additionalProperties: false,
          properties: {
            role: { type: 'string', enum: [...API_ROLES] },
            name: { type: 'string', minLength: 1, maxLength: 100 },
          },
          examples: [{ role: 'read', name: 'storefront' }],
        },
        response: {
          201: {
            ...KEY_INFO,
            required: [...KEY_INFO.required, 'key'],
            properties: { ...KEY_INFO.properties, key: { type: 'string' } },
          },
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { role: (typeof API_ROLES)[number]; name?: string };
      const { key, record } = await ctx.db.write(
        (wh) => createApiKey(wh, { role: body.role, ...(body.name ? { name: body.name } : {}) }),
        'serving',
      );
      await ctx.keys.reload();
      ctx.log.info({ keyId: record.keyId, role: record.role, by: req.apiKey?.keyId }, 'API key created');
      return reply.code(201).send({ key, ...info(record) });
    },
  );
  app.get(
    '/v1/admin/keys',
    {
      config: { role: 'admin', clickhouse: true },
      schema: {
        tags: ['admin'],
        summary: 'List API keys (ids, names, roles; never the keys)',
        response: {
          200: {
            type: 'object',
            required: ['keys'],
            properties: { keys: { type: 'array', items: KEY_INFO } },
          },
        },
      },
    },
    async () => ({ keys: (await ctx.db.read(listApiKeys)).map(info) }),
  );
  app.delete(
    '/v1/admin/keys/:id',
    {
      config: { role: 'admin', clickhouse: true },
      schema: {
        tags: ['admin'],
        summary: 'Revoke an API key',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', pattern: '^[0-9a-f]{8}$', examples: ['0badc0de'] } },
        },
        response: {
          200: { type: 'object', properties: { key_id: { type: 'string' }, revoked: { type: 'boolean' } } },
          404: ERROR_BODY_SCHEMA,
          409: ERROR_BODY_SCHEMA,
        },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const live = ctx.keys.all().filter((k) => !k.revokedAt);
      const target = live.find((k) => k.keyId === id);
      if (!target) throw httpError(404, 'unknown_key', `no live API key with id ${id}`);
      if (target.role === 'admin' && live.filter((k) => k.role === 'admin').length === 1) {
        throw httpError(
          409,
          'last_admin_key',
          `${id} is the last admin key: create another admin key before revoking it, or nobody could manage the server`,
        );
      }
      await ctx.db.write((wh) => revokeApiKey(wh, id), 'serving');
      await ctx.keys.reload();
      ctx.log.info({ keyId: id, by: req.apiKey?.keyId }, 'API key revoked');
      return { key_id: id, revoked: true };
    },
  );
};
