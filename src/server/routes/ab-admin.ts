/**
 * @module server/routes/ab-admin
 * `/v1/admin/ab/recommend`: start (PUT), read (GET) and end (DELETE) an A/B split of recommend model
 * versions (issue 8, part 7). The split is stored (ab_splits) so it survives a restart; each
 * variant's version is loaded before the split is stored, so a split never names a version that
 * cannot serve.
 */
import { SplitError } from '../../tasks/recommend/ab-split.js';
import type { StoredSplit } from '../../warehouse/ab-store.js';
import { httpError } from '../errors.js';
import { recommendService } from '../recommend-service.js';
import type { RoutePlugin } from './route-plugin.js';

const SPLIT = {
  type: 'object',
  required: ['task', 'variants', 'started_at'],
  properties: {
    task: { type: 'string' },
    variants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'version', 'share'],
        properties: { name: { type: 'string' }, version: { type: 'integer' }, share: { type: 'number' } },
      },
    },
    started_at: { type: 'string', format: 'date-time' },
  },
} as const;

const body = (s: StoredSplit) => ({
  task: s.task,
  variants: s.variants,
  started_at: s.startedAt.toISOString(),
});

export const abAdminRoutes: RoutePlugin = async (app, ctx) => {
  const service = recommendService(ctx);
  const tags = ['admin', 'recommendations'];

  app.put<{ Body: { variants: { version: number; share: number }[] } }>(
    '/v1/admin/ab/recommend',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'Start an A/B split of recommend model versions',
        description:
          'Each visitor is served by one variant, chosen by a hash of their customer id (else anonymous id): ' +
          'sticky across requests and restarts. Shares add up to 1; each version must be stored and loadable. ' +
          'Replaces the split in force.',
        body: {
          type: 'object',
          required: ['variants'],
          additionalProperties: false,
          properties: {
            variants: {
              type: 'array',
              minItems: 2,
              maxItems: 10,
              items: {
                type: 'object',
                required: ['version', 'share'],
                additionalProperties: false,
                properties: {
                  version: { type: 'integer', minimum: 1 },
                  share: {
                    type: 'number',
                    minimum: 0,
                    maximum: 1,
                    description: 'fraction of visitors, above 0',
                  },
                },
              },
            },
          },
          examples: [
            {
              variants: [
                { version: 1, share: 0.5 },
                { version: 2, share: 0.5 },
              ],
            },
          ],
        },
        response: { 200: SPLIT },
      },
    },
    async (req) => {
      try {
        return body(await service.startSplit(req.body.variants));
      } catch (err) {
        if (err instanceof SplitError) throw httpError(400, 'invalid_request', `body/${err.message}`);
        throw err;
      }
    },
  );

  app.get(
    '/v1/admin/ab/recommend',
    {
      config: { role: 'admin' },
      schema: { tags, summary: 'The A/B split in force', response: { 200: SPLIT } },
    },
    async () => {
      const split = await service.split();
      if (!split) throw httpError(404, 'no_split', 'no A/B split of recommend versions is in force');
      return body(split);
    },
  );

  app.delete(
    '/v1/admin/ab/recommend',
    {
      config: { role: 'admin' },
      schema: {
        tags,
        summary: 'End the A/B split',
        description: 'Every visitor is served by the promoted version again.',
        response: { 204: { type: 'null' } },
      },
    },
    async (_req, reply) => {
      if (!(await service.endSplit())) {
        throw httpError(404, 'no_split', 'no A/B split of recommend versions is in force');
      }
      return reply.code(204).send();
    },
  );
};
