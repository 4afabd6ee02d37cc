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
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../core/spawn-worker.js';
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

export type RiskThreadReply =
  | { readonly id: number; readonly ok: true; readonly result: ScoredOrders }
  | { readonly id: number; readonly ok: false; readonly error: { name: string; message: string } };

interface Pending {
  resolve(r: ScoredOrders): void;
  reject(e: Error): void;
}

export class RiskScoringThread {
  private worker: Worker | undefined;
  /** Keys the live worker holds, oldest first. */
  private loaded: string[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** Scores `rows` feature rows with the model `artifact` (known to the worker as `key`). */
  score(
    key: string,
    artifact: ModelArtifact,
    values: Float32Array,
    rows: number,
    rules: readonly RiskRule[] = [],
    reasons?: number,
  ): Promise<ScoredOrders> {
    if (this.closed) return Promise.reject(new Error('the risk scoring thread is closed'));
    const worker = this.ensureWorker();
    if (!this.loaded.includes(key)) {
      worker.postMessage({ type: 'load', key, artifact } satisfies RiskThreadMessage);
      this.loaded.push(key);
      while (this.loaded.length > MAX_MODELS) {
        worker.postMessage({ type: 'drop', key: this.loaded.shift()! } satisfies RiskThreadMessage);
      }
    }
    const id = this.nextId++;
    return new Promise<ScoredOrders>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
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

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker(import.meta.url, 'score-worker', undefined);
    // Idle between requests: it must not keep a process alive on its own.
    worker.unref();
    worker.on('message', (m: RiskThreadReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    });
    const fail = (err: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.loaded = [];
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the risk scoring thread stopped (exit code ${code})`)));
    this.worker = worker;
    this.loaded = [];
    return worker;
  }

  /** Ends the worker; calls in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    if (w) await w.terminate();
  }
}
