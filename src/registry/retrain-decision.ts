/**
 * @module registry/retrain-decision
 * Whether a retrained version replaces the serving one: only when its validation metric is not
 * worse than the serving version's beyond a tolerance. Pure: metrics in, a decision with its
 * reason out (the reason is what scheduled retraining logs).
 *
 * The metric per registry task (higher is better for each), as stored in the model's metrics by
 * registry/training.ts:
 * - churn, propensity: ROC-AUC of the chosen classifier on the selection part (`selectionRocAuc`),
 *   the part that chose between GBDT and logistic; the test part stays for reporting only.
 * - clv: Spearman rank correlation of predicted and actual spend over the horizon after the
 *   training cutoff (`spearman`).
 * - recommend: validation NDCG@10, leave-last-out with full ranking (`validationNdcg10`), the
 *   figure `--model auto` chooses by.
 * - sentiment: ROC-AUC on the held-out 20% of distinct review texts (`rocAuc`).
 *
 * A retrained version is measured on the store as it is now, the serving one on the store when it
 * was trained: the comparison says whether the new model is at least as good at its own moment,
 * which is what a retrain can know. The tolerance absorbs that noise.
 *
 * @example
 *   decidePromotion('churn', { selectionRocAuc: 0.74 }, { selectionRocAuc: 0.738 }, 0.005);
 *   // { promote: true, reason: 'churn: new selection ROC-AUC 0.7380 vs serving 0.7400 (-0.0020),
 *   //   within the tolerance 0.005: promoted', ... }
 */

export interface RetrainMetric {
  /** The key in the model record's metrics. */
  readonly key: string;
  /** How logs and docs name it. */
  readonly label: string;
}

export const RETRAIN_METRICS: Readonly<Record<string, RetrainMetric>> = {
  churn: { key: 'selectionRocAuc', label: 'selection ROC-AUC' },
  propensity: { key: 'selectionRocAuc', label: 'selection ROC-AUC' },
  clv: { key: 'spearman', label: 'spend Spearman' },
  recommend: { key: 'validationNdcg10', label: 'validation NDCG@10' },
  sentiment: { key: 'rocAuc', label: 'test ROC-AUC' },
};

/** How much worse than the serving version a retrained one may score and still be promoted. */
export const DEFAULT_RETRAIN_TOLERANCE = 0.005;

export interface PromotionDecision {
  readonly promote: boolean;
  readonly reason: string;
  readonly metric: string;
  readonly serving: number | null;
  readonly candidate: number | null;
  readonly tolerance: number;
}

/** Differences this small are rounding, not a model being worse (0.745 - 0.75 is -0.0050000000000000044). */
const EPSILON = 1e-12;

const metricOf = (metrics: Readonly<Record<string, unknown>> | undefined, key: string): number | null => {
  const v = metrics?.[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

const f4 = (x: number): string => x.toFixed(4);
const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(4);

/**
 * @param serving the serving version's metrics (undefined: nothing serves the task)
 * @param candidate the retrained version's metrics
 */
export function decidePromotion(
  task: string,
  serving: Readonly<Record<string, unknown>> | undefined,
  candidate: Readonly<Record<string, unknown>>,
  tolerance: number = DEFAULT_RETRAIN_TOLERANCE,
): PromotionDecision {
  const m = RETRAIN_METRICS[task];
  if (!m) {
    throw new Error(
      `no validation metric is defined for task '${task}' (known: ${Object.keys(RETRAIN_METRICS).join(', ')})`,
    );
  }
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new RangeError(`the retrain tolerance must be a number >= 0, got ${tolerance}`);
  }
  const s = metricOf(serving, m.key);
  const c = metricOf(candidate, m.key);
  const base = { metric: m.key, serving: s, candidate: c, tolerance };
  if (c === null) {
    return {
      ...base,
      promote: false,
      reason: `${task}: the new version has no ${m.label} (${m.key}); keeping the serving one`,
    };
  }
  if (!serving) {
    return {
      ...base,
      promote: true,
      reason: `${task}: no version serves; the new one (${m.label} ${f4(c)}) does`,
    };
  }
  if (s === null) {
    return {
      ...base,
      promote: true,
      reason: `${task}: the serving version has no ${m.label} (${m.key}) to compare with; the new one (${f4(c)}) replaces it`,
    };
  }
  const diff = c - s;
  const head = `${task}: new ${m.label} ${f4(c)} vs serving ${f4(s)} (${signed(diff)})`;
  if (diff + tolerance >= -EPSILON) {
    return {
      ...base,
      promote: true,
      reason:
        diff >= 0 ? `${head}, not worse: promoted` : `${head}, within the tolerance ${tolerance}: promoted`,
    };
  }
  return {
    ...base,
    promote: false,
    reason: `${head}, worse by more than the tolerance ${tolerance}: kept the serving version`,
  };
}
