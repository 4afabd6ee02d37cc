/**
 * @module server/routes/admin-models
 * The model registry in service: `GET /v1/models` (read) lists every stored version and the version
 * this server is serving per task (from the model cache: what requests get now);
 * `POST /v1/admin/promote` and `POST /v1/admin/rollback` (admin) change the registry on the write
 * connection, then the cache loads the new version in full before swapping it in: requests in flight
 * finish on the old one, none fails.
 */
import type { ModelRecord } from '../../schema/models.js';
import { listModels, promoteModel, rollbackModel } from '../../registry/registry.js';
import { findModel } from '../../warehouse/model-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import type { LoadFn } from '../model-cache.js';
import { promotionsOf } from '../promotions.js';
import type { RoutePlugin } from './route-plugin.js';
import { MODEL_JSON_SCHEMA, modelJson } from './model-json.js';

/** The lightest thing the cache can hold for a version: its record (the listing needs no model). */
const recordOnly: LoadFn<ModelRecord> = async ({ record }) => record;

const CHANGE_SCHEMA = {
  type: 'object',
  required: ['task', 'model_id', 'version', 'previous', 'serving_version'],
  properties: {
    task: { type: 'string' },
    model_id: { type: 'string' },
    version: { type: 'integer' },
    previous: { type: ['string', 'null'], description: 'the version that served before' },
    serving_version: {
      type: ['integer', 'null'],
      description: 'the version this server answers with now (loaded before the swap)',
    },
  },
} as const;

async function knownVersions(wh: Warehouse, task: string): Promise<string> {
  const known = await listModels(wh, task);
  return known.length ? `known versions: ${known.map((m) => m.version).join(', ')}` : 'no versions stored';
}

export const adminModelsRoutes: RoutePlugin = (app, ctx) => {
  const promotions = promotionsOf(ctx);
  /** What a promote or rollback answers: the version now serving, read back from the cache. */
  const changed = (record: ModelRecord, previous: string | null): Record<string, unknown> => ({
    task: record.task,
    model_id: record.modelId,
    version: record.version,
    previous,
    serving_version: ctx.models.promotedVersion(record.task) ?? null,
  });

  app.get(
    '/v1/models',
    {
      config: { role: 'read', clickhouse: true },
      schema: {
        tags: ['models'],
        summary: 'Stored model versions and the version this server serves per task',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            task: { type: 'string', description: 'only this task', examples: ['churn'] },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['models', 'serving'],
            properties: {
              models: { type: 'array', items: MODEL_JSON_SCHEMA },
              serving: {
                type: 'object',
                description: 'task -> the version requests get now (the model cache), with its id',
                additionalProperties: {
                  type: 'object',
                  properties: { version: { type: 'integer' }, model_id: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async (req) => {
      const { task } = req.query as { task?: string };
      const models = await ctx.db.read((wh) => listModels(wh, task));
      const serving: Record<string, { version: number; model_id: string }> = {};
      for (const t of new Set(models.filter((m) => m.status === 'promoted').map((m) => m.task))) {
        const loaded = await ctx.models.get(t, recordOnly);
        serving[t] = { version: loaded.version, model_id: loaded.modelId };
      }
      return { models: models.map(modelJson), serving };
    },
  );

  app.post(
    '/v1/admin/promote',
    {
      config: { role: 'admin', clickhouse: true },
      schema: {
        tags: ['admin'],
        summary: 'Serve a stored version of a task (loaded in full before it replaces the serving one)',
        body: {
          type: 'object',
          required: ['task', 'version'],
          additionalProperties: false,
          properties: {
            task: { type: 'string', minLength: 1, examples: ['recommend'] },
            version: { type: 'integer', minimum: 1, examples: [2] },
          },
          examples: [{ task: 'recommend', version: 2 }],
        },
        response: { 200: CHANGE_SCHEMA, 404: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { task, version } = req.body as { task: string; version: number };
      const { record, previous } = (await promotions.change(task, async (wh) => {
        const target = await findModel(wh, task, version);
        if (!target) {
          throw httpError(
            404,
            'unknown_model',
            `no ${task} model version ${version} (${await knownVersions(wh, task)})`,
          );
        }
        const before = await findModel(wh, task, 'promoted');
        return { record: await promoteModel(wh, task, version), previous: before?.modelId ?? null };
      }))!;
      req.log.info(
        { task, model_id: record.modelId, previous, by: req.apiKey?.keyId },
        `${record.modelId} promoted`,
      );
      return changed(record, previous);
    },
  );

  app.post(
    '/v1/admin/rollback',
    {
      config: { role: 'admin', clickhouse: true },
      schema: {
        tags: ['admin'],
        summary: 'Serve the version promoted before the serving one again',
        body: {
          type: 'object',
          required: ['task'],
          additionalProperties: false,
          properties: { task: { type: 'string', minLength: 1, examples: ['recommend'] } },
          examples: [{ task: 'recommend' }],
        },
        response: { 200: CHANGE_SCHEMA, 404: ERROR_BODY_SCHEMA, 409: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { task } = req.body as { task: string };
      const { record, previous } = (await promotions.change(task, async (wh) => {
        const current = await findModel(wh, task, 'promoted');
        if (!current) {
          throw httpError(
            404,
            'no_promoted_model',
            `no promoted ${task} model to roll back from (${await knownVersions(wh, task)})`,
          );
        }
        try {
          return { record: await rollbackModel(wh, task), previous: current.modelId };
        } catch (e) {
          throw httpError(
            409,
            'rollback_refused',
            (e as Error).message.replace(/npx shopsight models promote \S+ N/, 'POST /v1/admin/promote'),
          );
        }
      }))!;
      req.log.info(
        { task, model_id: record.modelId, previous, by: req.apiKey?.keyId },
        `rolled back to ${record.modelId}`,
      );
      return changed(record, previous);
    },
  );
};
