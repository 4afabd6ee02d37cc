/**
 * @module tasks/risk/score-thread
 * Risk scoring on a worker thread, for a caller whose own thread must stay responsive (the server
 * scoring orders at checkout while it answers other requests). The worker keeps the decoded models
 * it was sent, the last MAX_MODELS of them by key (e.g. `risk@3`), and runs the same `scoreRisk`
 * the library runs, so a thread and a direct call give the same scores and reasons.
 *
 * A worker that dies (an exception, an out-of-memory) fails the calls in flight; the next call
 * starts a new one and sends it the model again.
 *
 * @example
 *   const t = new RiskScoringThread();
 *   const s = await t.score('risk@3', artifact, featureRow, 1, rules);
 *   await t.close();
 */
import { RequestWorker, type WorkerReply } from '../../core/request-worker.js';
import type { ModelArtifact } from '../../ml/artifact.js';
import type { RiskRule } from './rules.js';
import type { ScoredOrders } from './score.js';

/** Models the worker keeps: the serving one, the one before (a rollback) and one more. */
export const MAX_MODELS = 3;

export type RiskThreadMessage =
  | { readonly type: 'load'; readonly key: string; readonly artifact: ModelArtifact }
  | { readonly type: 'drop'; readonly key: string }
  | {
      readonly type: 'score';
      readonly id: number;
      readonly key: string;
      readonly values: Float32Array;
      readonly rows: number;
      readonly rules: readonly RiskRule[];
      /** Feature reasons per order (scoreRisk's `reasons`; default 3). */
      readonly reasons?: number;
    };

export type RiskThreadReply = WorkerReply<ScoredOrders>;

export class RiskScoringThread {
  /** Keys the live worker holds, oldest first (a new worker holds none). */
  private loaded: string[] = [];
  private readonly thread = new RequestWorker<ScoredOrders>(
    import.meta.url,
    'score-worker',
    'the risk scoring thread',
    () => (this.loaded = []),
  );

  /** Scores `rows` feature rows with the model `artifact` (known to the worker as `key`). */
  score(
    key: string,
    artifact: ModelArtifact,
    values: Float32Array,
    rows: number,
    rules: readonly RiskRule[] = [],
    reasons?: number,
  ): Promise<ScoredOrders> {
    return this.thread.request((worker, id) => {
      if (!this.loaded.includes(key)) {
        worker.postMessage({ type: 'load', key, artifact } satisfies RiskThreadMessage);
        this.loaded.push(key);
        while (this.loaded.length > MAX_MODELS) {
          worker.postMessage({ type: 'drop', key: this.loaded.shift()! } satisfies RiskThreadMessage);
        }
      }
      worker.postMessage({
        type: 'score',
        id,
        key,
        values,
        rows,
        rules,
        ...(reasons !== undefined ? { reasons } : {}),
      } satisfies RiskThreadMessage);
    });
  }

  /** Ends the worker; calls in flight fail. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
