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
import { workerOnLoan } from '../warehouse/remote/worker-on-loan.js';
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
  const data: TrainingWorkerData = { task, options };
  const job = workerOnLoan<TrainingResults[T], TrainingThreadMessage>(
    import.meta.url,
    'training-worker',
    lent,
    data,
    (m) => {
      if (m.type === 'step') {
        onStep(m.label, m.ordinal, m.total);
        return undefined;
      }
      return m.type === 'done'
        ? { ok: true, value: m.result as TrainingResults[T] }
        : { ok: false, error: new TrainingError(m.error.message, m.error.name) };
    },
    `the ${task} training thread`,
  );
  return {
    result: job.result,
    cancel: () => job.cancel(new Error(`${task} training was cancelled`)),
  };
}
