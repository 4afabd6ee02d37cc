/**
 * @module schema/models
 * The model registry's record: every trained model is kept with what it was trained on, its
 * hyper-parameters and its evaluation, so a merchant can see why the serving model is the one it is,
 * and roll back to an earlier one.
 */

/** A model to store: what a training hands the registry (a version is given by the store). */
export interface NewModel {
  readonly task: string;
  readonly kind: string;
  readonly trainedOn: Record<string, unknown>;
  readonly params: Record<string, unknown>;
  readonly metrics: Record<string, unknown>;
  readonly artifact: Uint8Array;
}

/**
 * candidate: trained and stored, not serving. promoted: the one model per task that predictions and
 * the API use. retired: was promoted before (what `rollback` returns to).
 */
export const MODEL_STATUSES = ['candidate', 'promoted', 'retired'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export interface ModelRecord {
  /** `<task>@<version>`, e.g. `churn@3`. */
  readonly modelId: string;
  /** The business question: churn, propensity, clv, recommend, ... */
  readonly task: string;
  /** 1, 2, 3, ... per task, in training order. */
  readonly version: number;
  /** The algorithm, e.g. gbdt, logistic, bgnbd, als. */
  readonly kind: string;
  readonly createdAt: Date;
  /** What data it saw: cutoff, row and customer counts, the warehouse schema version. */
  readonly trainedOn: Record<string, unknown>;
  readonly params: Record<string, unknown>;
  /** Evaluation figures with their protocol, e.g. { protocol: '...', rocAuc: 0.74 }. */
  readonly metrics: Record<string, unknown>;
  readonly status: ModelStatus;
  /** Artifact size in bytes (the bytes themselves are read only when a model is loaded). */
  readonly bytes: number;
}
