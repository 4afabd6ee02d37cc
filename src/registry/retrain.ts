/**
 * @module registry/retrain
 * The second half of a scheduled retrain: the new versions were stored as candidates (training in a
 * worker, `promote: false`); each one is promoted only when `decidePromotion` says it is not worse
 * than the version serving its task now. Runs on the write connection, one task after another.
 *
 * @example
 *   const outcomes = await promoteIfNotWorse(wh, result.models, 0.005);
 *   outcomes.filter((o) => o.promoted).map((o) => o.task); // ['churn', 'clv']: refresh their caches
 */
import type { ModelRecord } from '../schema/models.js';
import { erasedModelIds, findModel } from '../warehouse/model-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { promoteModel } from './registry.js';
import { decidePromotion, RETRAIN_METRICS, type PromotionDecision } from './retrain-decision.js';

export interface RetrainOutcome {
  readonly task: string;
  /** The retrained version (`churn@4`). */
  readonly candidate: string;
  /** What served when the decision was made (null: nothing did). */
  readonly serving: string | null;
  readonly promoted: boolean;
  readonly decision: PromotionDecision;
}

/**
 * Which training tasks scheduled retraining covers: those with a promoted model for at least one of
 * their registry tasks (`promoted` lists the registry tasks that have one) and a validation metric
 * for every one of them (RETRAIN_METRICS). Risk has none: its unsupervised model is measured on no
 * labels, so nothing could say whether a retrained version is worse; it is retrained by hand.
 */
export function tasksToRetrain<T extends string>(
  trainingTasks: Readonly<Record<T, readonly string[]>>,
  promoted: ReadonlySet<string>,
): T[] {
  return (Object.keys(trainingTasks) as T[]).filter(
    (t) =>
      trainingTasks[t].some((r) => promoted.has(r)) &&
      trainingTasks[t].every((r) => Object.hasOwn(RETRAIN_METRICS, r)),
  );
}

export async function promoteIfNotWorse(
  wh: Warehouse,
  candidates: readonly ModelRecord[],
  tolerance: number,
): Promise<RetrainOutcome[]> {
  const out: RetrainOutcome[] = [];
  const erased = await erasedModelIds(wh);
  for (const c of candidates) {
    const serving = await findModel(wh, c.task, 'promoted');
    const compared = decidePromotion(c.task, serving?.metrics, c.metrics, tolerance);
    // A serving model trained with an erased customer is replaced whatever the metrics say
    // (privacy forget, docs/privacy.md); a candidate without the metric still is not promoted.
    const decision =
      serving && erased.has(serving.modelId) && compared.candidate !== null && !compared.promote
        ? {
            ...compared,
            promote: true,
            reason: `${c.task}: ${serving.modelId} was trained with an erased customer; the new version replaces it (${compared.reason})`,
          }
        : compared;
    if (decision.promote) await promoteModel(wh, c.task, c.version);
    out.push({
      task: c.task,
      candidate: c.modelId,
      serving: serving?.modelId ?? null,
      promoted: decision.promote,
      decision,
    });
  }
  return out;
}
