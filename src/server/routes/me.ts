/**
 * @module server/routes/me
 * `GET /v1/me`: the key a request was made with (id, name, role), so a client such as the
 * dashboard can show admin actions only to an admin key. Never the secret.
 */
import type { RoutePlugin } from './route-plugin.js';

export const meRoutes: RoutePlugin = (app) => {
  app.get(
    '/v1/me',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['keys'],
        summary: 'The key of this request: id, name and role',
        response: {
          200: {
            type: 'object',
            required: ['key_id', 'name', 'role'],
            properties: {
              key_id: { type: 'string' },
              name: { type: 'string' },
              role: { type: 'string', enum: ['read', 'ingest', 'admin'] },
            },
          },
        },
      },
    },
    async (req) => ({ key_id: req.apiKey!.keyId, name: req.apiKey!.name, role: req.apiKey!.role }),
  );
};
