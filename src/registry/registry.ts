/**
 * @module registry/registry
 * Versioned model artifacts with their metrics: save what a task trained, promote one version per
 * task to serve, roll back to the one promoted before. Surfaces call tasks to train and this module
 * to keep and load; tasks never know where a model is stored.
 *
 * @example
 *   const rec = await saveModel(wh, { task: 'churn', artifact, metrics, ... }, { promote: true });
 *   const { record, artifact } = await loadModel(wh, 'churn'); // the promoted one
 */
import { decodeArtifact, encodeArtifact, type ModelArtifact } from '../ml/artifact.js';
import type { ModelRecord } from '../schema/models.js';
import { findModel, insertModel, listModels, readArtifact, setPromoted } from '../warehouse/model-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface SaveModel {
  readonly task: string;
  readonly artifact: ModelArtifact;
  readonly trainedOn: Record<string, unknown>;
  readonly params?: Record<string, unknown>;
  readonly metrics?: Record<string, unknown>;
}

export async function saveModel(
  wh: Warehouse,
  m: SaveModel,
  options: { promote?: boolean } = {},
): Promise<ModelRecord> {
  const record = await insertModel(wh, {
    task: m.task,
    kind: m.artifact.kind,
    trainedOn: m.trainedOn,
    params: m.params ?? m.artifact.meta,
    metrics: m.metrics ?? {},
    artifact: encodeArtifact(m.artifact),
  });
  if (options.promote) {
    await setPromoted(wh, m.task, record.version);
    return { ...record, status: 'promoted' };
  }
  return record;
}

/** The task's promoted model (or a given version), decoded. Throws with a hint when there is none. */
export async function loadModel(
  wh: Warehouse,
  task: string,
  version: number | 'promoted' = 'promoted',
): Promise<{ record: ModelRecord; artifact: ModelArtifact }> {
  const record = await findModel(wh, task, version);
  if (!record) {
    const known = await listModels(wh, task);
    throw new Error(
      version === 'promoted'
        ? `no promoted ${task} model in ${wh.location}: ` +
            (known.length
              ? `promote one of versions ${known.map((k) => k.version).join(', ')} (npx shopsight models promote ${task} N)`
              : `train one first (npx shopsight train ...)`)
        : `no ${task} model version ${version} (known: ${known.map((k) => k.version).join(', ') || 'none'})`,
    );
  }
  return { record, artifact: decodeArtifact(await readArtifact(wh, record.modelId), record.kind) };
}

export { listModels };

export async function promoteModel(wh: Warehouse, task: string, version: number): Promise<ModelRecord> {
  const record = await findModel(wh, task, version);
  if (!record) throw new Error(`no ${task} model version ${version}`);
  await setPromoted(wh, task, version);
  return { ...record, status: 'promoted' };
}

/**
 * Promotes the newest version older than the promoted one (the previous model), retiring the
 * current one. Refuses when there is nothing earlier to return to.
 */
export async function rollbackModel(wh: Warehouse, task: string): Promise<ModelRecord> {
  const all = await listModels(wh, task);
  const current = all.find((m) => m.status === 'promoted');
  if (!current) throw new Error(`no promoted ${task} model to roll back from`);
  const previous = all.filter((m) => m.version < current.version).at(-1);
  if (!previous) throw new Error(`${current.modelId} is the first ${task} model: nothing to roll back to`);
  return promoteModel(wh, task, previous.version);
}
