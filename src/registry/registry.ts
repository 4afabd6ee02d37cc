/**
 * @module registry/registry
 * Versioned model artifacts with their metrics: save what a task trained, promote one version per
 * task to serve, roll back to the one promoted before (a log of promotions, not version order). Surfaces call tasks to train and this module
 * to keep and load; tasks never know where a model is stored.
 *
 * @example
 *   const rec = await saveModel(wh, { task: 'churn', artifact, metrics, ... }, { promote: true });
 *   const { record, artifact } = await loadModel(wh, 'churn'); // the promoted one
 */
import { decodeArtifact, encodeArtifact, type ModelArtifact } from '../ml/artifact.js';
import type { ModelRecord } from '../schema/models.js';
import {
  findModel,
  insertModel,
  listModels,
  promotionLog,
  readArtifact,
  setPromoted,
  type Promotion,
} from '../warehouse/model-store.js';
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
  // Promoting the serving version again changes nothing, so it is not logged either.
  if (record.status !== 'promoted') await setPromoted(wh, task, version);
  return { ...record, status: 'promoted' };
}

/**
 * The promotions still in force, oldest first, replayed from the log: a promotion pushes its
 * version, a rollback pops the current one. The last entry is the serving version.
 */
export function promotionStack(log: readonly Promotion[]): number[] {
  const stack: number[] = [];
  for (const p of log) {
    if (p.action === 'promote') stack.push(p.version);
    else stack.pop();
  }
  return stack;
}

/**
 * Returns to the version that was promoted before the current one (promote 1, 3, 2: rollback
 * serves 3, a second rollback 1), retiring the current one. Refuses when no earlier promotion is
 * recorded.
 */
export async function rollbackModel(wh: Warehouse, task: string): Promise<ModelRecord> {
  const current = await findModel(wh, task, 'promoted');
  if (!current) throw new Error(`no promoted ${task} model to roll back from`);
  const stack = promotionStack(await promotionLog(wh, task));
  if (stack.at(-1) !== current.version) {
    throw new Error(
      `${current.modelId} is promoted but the promotion log says otherwise: promote a version ` +
        `explicitly (npx shopsight models promote ${task} N)`,
    );
  }
  const previous = stack.at(-2);
  if (previous === undefined) {
    throw new Error(
      `no ${task} model was promoted before ${current.modelId}: nothing to roll back to ` +
        `(choose one with npx shopsight models promote ${task} N)`,
    );
  }
  const record = await findModel(wh, task, previous);
  if (!record) throw new Error(`${task}@${previous} was promoted before but is no longer stored`);
  // The log entry pops the current version, so the stack's top is `previous` again.
  await setPromoted(wh, task, previous, 'rollback');
  return { ...record, status: 'promoted' };
}
