/**
 * @module registry/training-thread
 * Runs `trainAndRegister` in a worker thread over a connection the calling thread lends it
 * (warehouse/remote): the server's event loop keeps answering requests while GBDT, BPR or SASRec
 * train for minutes, and the database stays with the one DuckDB instance of the process.
 *
 * The lent connection is closed when the worker ends, however it ends (a crash or `cancel()`
 * included: an unfinished transaction is rolled back with it).
 *
 * @example
 *   const job = trainInWorker(await ctx.db.connect(), 'recommend', { budgetSeconds: 120 }, onStep);
 *   const { models } = await job.result; // [recommend@5]
 */
import { MessageChannel } from 'node:worker_threads';
import { spawnWorker } from '../core/spawn-worker.js';
import { serveWarehouse } from '../warehouse/remote/serve-warehouse.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { OnTrainingStep, TrainingOptions, TrainingResults, TrainingTask } from './training.js';

export interface TrainingWorkerData {
  readonly task: TrainingTask;
  readonly options: TrainingOptions[TrainingTask];
}

export type TrainingThreadMessage =
  | { readonly type: 'step'; readonly label: string; readonly ordinal: number; readonly total: number }
  | { readonly type: 'done'; readonly result: TrainingResults[TrainingTask] }
  | { readonly type: 'error'; readonly error: { readonly name: string; readonly message: string } };

/** Training failed in the worker: its error's name and message, re-raised here. */
export class TrainingError extends Error {
  constructor(
    message: string,
    readonly errorName: string,
  ) {
    super(message);
    this.name = errorName;
  }
}

export interface TrainingThread<T extends TrainingTask> {
  /** The stored models and the evaluation; rejects with the worker's error. */
  readonly result: Promise<TrainingResults[T]>;
  /** Stops the worker; `result` rejects, nothing half-written stays (the connection closes). */
  cancel(): Promise<void>;
}

/**
 * @param lent a dedicated connection (`Warehouse.connect()`); it belongs to the worker until it ends
 *   and is closed then
 */
export function trainInWorker<T extends TrainingTask>(
  lent: Warehouse,
  task: T,
  options: TrainingOptions[T],
  onStep: OnTrainingStep = () => undefined,
): TrainingThread<T> {
  const { port1, port2 } = new MessageChannel();
  const served = serveWarehouse(port1, lent);
  const data: TrainingWorkerData & { port: typeof port2 } = { task, options, port: port2 };
  const worker = spawnWorker(import.meta.url, 'training-worker', data, [port2]);
  let outcome: { ok: true; value: TrainingResults[T] } | { ok: false; error: Error } | undefined;
  const result = new Promise<TrainingResults[T]>((resolve, reject) => {
    const settle = (): void => {
      // Answer only once the lent connection is closed: whatever the worker wrote is committed or gone.
      void served.done.then(() => (outcome!.ok ? resolve(outcome!.value) : reject(outcome!.error)));
    };
    worker.on('message', (m: TrainingThreadMessage) => {
      if (m.type === 'step') {
        onStep(m.label, m.ordinal, m.total);
        return;
      }
      if (outcome) return;
      outcome =
        m.type === 'done'
          ? { ok: true, value: m.result as TrainingResults[T] }
          : { ok: false, error: new TrainingError(m.error.message, m.error.name) };
      // Thread pools the models started may keep the worker alive; its work is done.
      void worker.terminate();
      settle();
    });
    worker.on('error', (err) => {
      outcome ??= { ok: false, error: err };
      settle();
    });
    worker.on('exit', (code) => {
      outcome ??= { ok: false, error: new Error(`the ${task} training thread stopped (exit code ${code})`) };
      settle();
    });
  });
  return {
    result,
    async cancel() {
      outcome ??= { ok: false, error: new Error(`${task} training was cancelled`) };
      await worker.terminate();
      await served.done;
    },
  };
}
