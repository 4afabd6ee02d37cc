/**
 * @module server/routes/model-json
 * A registry record as the API shows it (snake_case; metrics, trained_on and params as stored).
 */
import { MODEL_STATUSES, type ModelRecord } from '../../schema/models.js';

export function modelJson(m: ModelRecord): Record<string, unknown> {
  return {
    model_id: m.modelId,
    task: m.task,
    version: m.version,
    kind: m.kind,
    status: m.status,
    created_at: new Date(m.createdAt).toISOString(),
    bytes: m.bytes,
    metrics: m.metrics,
    trained_on: m.trainedOn,
    params: m.params,
  };
}

export const MODEL_JSON_SCHEMA = {
  type: 'object',
  required: ['model_id', 'task', 'version', 'kind', 'status'],
  properties: {
    model_id: { type: 'string' },
    task: { type: 'string' },
    version: { type: 'integer' },
    kind: { type: 'string' },
    status: { type: 'string', enum: [...MODEL_STATUSES] },
    created_at: { type: 'string', format: 'date-time' },
    bytes: { type: 'integer' },
    metrics: { type: 'object', additionalProperties: true },
    trained_on: { type: 'object', additionalProperties: true },
    params: { type: 'object', additionalProperties: true },
  },
} as const;
