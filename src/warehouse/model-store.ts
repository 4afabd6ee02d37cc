/**
 * @module warehouse/model-store
 * The SQL behind the model registry (the `models` table of migration 2, the `model_promotions` log
 * of migration 6). Versions are assigned inside the insert's transaction, so two trainings of the
 * same task cannot take the same number, and promotion moves the single `promoted` row of a task
 * and logs it in one transaction. On ClickHouse (no transactions) each function hands over to
 * clickhouse/model-store.ts, which keeps the same records and says how versions stay unique there.
 */
import type { ModelRecord, ModelStatus, NewModel } from '../schema/models.js';
import { ClickHouseStore } from './clickhouse/clickhouse-store.js';
import {
  chFindModel,
  chInsertModel,
  chErasedModelIds,
  chListModels,
  chMarkModelsErased,
  chPromotionLog,
  chReadArtifact,
  chReplaceArtifact,
  chSetPromoted,
} from './clickhouse/model-store.js';
import type { Warehouse } from './warehouse.js';

export type { NewModel };

interface ModelRow {
  model_id: string;
  task: string;
  version: number;
  kind: string;
  created_at: Date;
  trained_on: string;
  params: string;
  metrics: string;
  status: ModelStatus;
  bytes: number;
}

const RECORD_COLUMNS = `model_id, task, version, kind, created_at, trained_on::VARCHAR AS trained_on,
  params::VARCHAR AS params, metrics::VARCHAR AS metrics, status, octet_length(artifact) AS bytes`;

function toRecord(r: ModelRow): ModelRecord {
  return {
    modelId: r.model_id,
    task: r.task,
    version: r.version,
    kind: r.kind,
    createdAt: r.created_at,
    trainedOn: JSON.parse(r.trained_on) as Record<string, unknown>,
    params: JSON.parse(r.params) as Record<string, unknown>,
    metrics: JSON.parse(r.metrics) as Record<string, unknown>,
    status: r.status,
    bytes: r.bytes,
  };
}

/** Stores a model as a candidate and returns its record (version = the task's last + 1). */
export async function insertModel(wh: Warehouse, m: NewModel): Promise<ModelRecord> {
  if (wh instanceof ClickHouseStore) return chInsertModel(wh, m);
  return wh.transaction(async () => {
    const [{ v = 0 } = {}] = await wh.rows<{ v: number }>(
      'SELECT coalesce(max(version), 0) AS v FROM models WHERE task = ?',
      [m.task],
    );
    const version = v + 1;
    const modelId = `${m.task}@${version}`;
    await wh.exec(
      `INSERT INTO models VALUES (?, ?, ?, ?, now()::TIMESTAMP, ?::JSON, ?::JSON, ?::JSON, 'candidate', ?)`,
      [
        modelId,
        m.task,
        version,
        m.kind,
        JSON.stringify(m.trainedOn),
        JSON.stringify(m.params),
        JSON.stringify(m.metrics),
        m.artifact,
      ],
    );
    return (await findModel(wh, m.task, version))!;
  });
}

export async function listModels(wh: Warehouse, task?: string): Promise<ModelRecord[]> {
  if (wh instanceof ClickHouseStore) return chListModels(wh, task);
  const rows = await wh.rows<ModelRow & Record<string, unknown>>(
    `SELECT ${RECORD_COLUMNS} FROM models ${task ? 'WHERE task = ?' : ''} ORDER BY task, version`,
    task ? [task] : [],
  );
  return rows.map(toRecord);
}

/** A task's model by version, or its promoted one when `version` is 'promoted'. */
export async function findModel(
  wh: Warehouse,
  task: string,
  version: number | 'promoted',
): Promise<ModelRecord | undefined> {
  if (wh instanceof ClickHouseStore) return chFindModel(wh, task, version);
  const rows = await wh.rows<ModelRow & Record<string, unknown>>(
    version === 'promoted'
      ? `SELECT ${RECORD_COLUMNS} FROM models WHERE task = ? AND status = 'promoted'`
      : `SELECT ${RECORD_COLUMNS} FROM models WHERE task = ? AND version = ?`,
    version === 'promoted' ? [task] : [task, version],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function readArtifact(wh: Warehouse, modelId: string): Promise<Uint8Array> {
  if (wh instanceof ClickHouseStore) return chReadArtifact(wh, modelId);
  const [row] = await wh.rows<{ artifact: Uint8Array }>('SELECT artifact FROM models WHERE model_id = ?', [
    modelId,
  ]);
  if (!row) throw new Error(`no model ${modelId}`);
  return row.artifact;
}

export type PromotionAction = 'promote' | 'rollback';

export interface Promotion {
  readonly version: number;
  readonly action: PromotionAction;
  readonly at: Date;
}

/**
 * Makes `version` the task's promoted model (the one promoted before becomes retired) and logs the
 * change in `model_promotions` (migration 6), both in one transaction.
 */
export async function setPromoted(
  wh: Warehouse,
  task: string,
  version: number,
  action: PromotionAction = 'promote',
): Promise<void> {
  if (wh instanceof ClickHouseStore) return chSetPromoted(wh, task, version, action);
  await wh.transaction(async () => {
    await wh.exec(`UPDATE models SET status = 'retired' WHERE task = ? AND status = 'promoted'`, [task]);
    await wh.exec(`UPDATE models SET status = 'promoted' WHERE task = ? AND version = ?`, [task, version]);
    await wh.exec(
      `INSERT INTO model_promotions
       SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, now()::TIMESTAMP FROM model_promotions WHERE task = ?`,
      [task, version, action, task],
    );
  });
}

/** A task's promotions and rollbacks, oldest first. */
export async function promotionLog(wh: Warehouse, task: string): Promise<Promotion[]> {
  if (wh instanceof ClickHouseStore) return chPromotionLog(wh, task);
  return wh.rows<{ version: number; action: PromotionAction; at: Date }>(
    'SELECT version, action, promoted_at AS at FROM model_promotions WHERE task = ? ORDER BY seq',
    [task],
  );
}

/** Replaces a stored model's artifact bytes (privacy forget: the same model without a person's parts). */
export async function replaceArtifact(wh: Warehouse, modelId: string, artifact: Uint8Array): Promise<void> {
  if (wh instanceof ClickHouseStore) return chReplaceArtifact(wh, modelId, artifact);
  await wh.exec('UPDATE models SET artifact = ? WHERE model_id = ?', [artifact, modelId]);
}

/** Marks models as trained on an erased person (migration 14): the next training replaces them. */
export async function markModelsErased(wh: Warehouse, modelIds: readonly string[], at: Date): Promise<void> {
  if (wh instanceof ClickHouseStore) return chMarkModelsErased(wh, modelIds, at);
  for (const id of modelIds) {
    await wh.exec(
      'INSERT INTO model_erasures (model_id, marked_at) VALUES (?, ?) ON CONFLICT (model_id) DO NOTHING',
      [id, at],
    );
  }
}

/** Ids of the models marked as trained on an erased person. */
export async function erasedModelIds(wh: Warehouse): Promise<Set<string>> {
  if (wh instanceof ClickHouseStore) return chErasedModelIds(wh);
  const rows = await wh.rows<{ model_id: string }>('SELECT model_id FROM model_erasures');
  return new Set(rows.map((r) => r.model_id));
}
