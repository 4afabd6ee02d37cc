/**
 * @module server/routes/health
 * Liveness (/healthz: the process answers) and readiness (/readyz: the database is open and
 * migrated, and which models serve), for a load balancer or an orchestrator. No key needed.
 */
import { listModels } from '../../registry/registry.js';
import type { RoutePlugin } from './route-plugin.js';

export const healthRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/healthz',
    {
      config: { role: 'public', clickhouse: true },
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up',
        response: {
          200: {
            type: 'object',
            required: ['status'],
            properties: { status: { type: 'string', enum: ['ok'] } },
          },
        },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { role: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database is open and migrated; the serving model versions',
        response: {
          200: {
            type: 'object',
            required: ['status', 'schema_version'],
            properties: {
              status: { type: 'string', enum: ['ready'] },
              schema_version: { type: 'integer' },
              models: { type: 'object', additionalProperties: { type: 'integer' } },
            },
          },
        },
      },
    },
    async () => {
      const rows = (await ctx.db.read((wh) => listModels(wh))).filter((m) => m.status === 'promoted');
      return {
        status: 'ready' as const,
        schema_version: ctx.db.schemaVersion,
        models: Object.fromEntries(rows.map((r) => [r.task, r.version])),
      };
    },
  );
};
