/**
 * @module warehouse/remote/worker-on-loan
 * A worker thread that works on a connection the calling thread lends it (serveWarehouse: the one
 * DuckDB instance stays with the owner) and answers once, with its result or its error. The answer
 * is given only after the lent connection is closed, so whatever the worker wrote is committed or
 * gone; the worker is ended as soon as it has answered (thread pools its work started may keep it
 * alive). Training jobs (registry/training-thread.ts) and the copy figures
 * (assistant/copy/figures-thread.ts) run this way.
 *
 * @example
 *   const job = workerOnLoan(import.meta.url, 'my-worker', await wh.connect(), { what: 1 },
 *     (m: Reply) => (m.ok ? { ok: true, value: m.value } : { ok: false, error: new Error(m.message) }),
 *     'the my-work thread');
 *   await job.result;
 */
import { MessageChannel } from 'node:worker_threads';
import { closeGate, spawnWithOwnGate } from '../../core/native-calls.js';
import { spawnWorker } from '../../core/spawn-worker.js';
import type { Warehouse } from '../warehouse.js';
import { serveWarehouse } from './serve-warehouse.js';

export type LoanOutcome<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: Error };

export interface WorkerOnLoan<T> {
  /** The worker's answer, once the lent connection is closed. */
  readonly result: Promise<T>;
  /** Ends the worker; `result` rejects with `reason` (unless it had answered), the connection closes. */
  cancel(reason: Error): Promise<void>;
}

/**
 * @param callerUrl the caller's `import.meta.url`: the worker module `name` sits beside it
 * @param lent a dedicated connection (`Warehouse.connect()`), the worker's until it ends, then closed
 * @param data the worker's `workerData`, to which `port` (its end of the loan) is added
 * @param readAnswer the answer a message carries, or undefined for a message that is not one (progress)
 * @param what names the thread in the error when it stops without answering
 */
export function workerOnLoan<T, M>(
  callerUrl: string,
  name: string,
  lent: Warehouse,
  data: object,
  readAnswer: (message: M) => LoanOutcome<T> | undefined,
  what: string,
): WorkerOnLoan<T> {
  const { port1, port2 } = new MessageChannel();
  const served = serveWarehouse(port1, lent);
  // Its own gate: ending it (answered or cancelled) first waits out any native call in flight in it
  // or its helper threads, which would otherwise abort the whole process (core/native-calls.ts).
  const { value: worker, gate } = spawnWithOwnGate(() =>
    spawnWorker(callerUrl, name, { ...data, port: port2 }, [port2]),
  );
  const end = async (): Promise<void> => {
    await closeGate(gate);
    await worker.terminate();
  };
  let outcome: LoanOutcome<T> | undefined;
  const result = new Promise<T>((resolve, reject) => {
    const settle = (): void => {
      void served.done.then(() => (outcome!.ok ? resolve(outcome!.value) : reject(outcome!.error)));
    };
    worker.on('message', (m: M) => {
      const answer = readAnswer(m);
      if (!answer || outcome) return;
      outcome = answer;
      void end();
      settle();
    });
    worker.on('error', (err) => {
      outcome ??= { ok: false, error: err };
      settle();
    });
    worker.on('exit', (code) => {
      outcome ??= { ok: false, error: new Error(`${what} stopped (exit code ${code})`) };
      settle();
    });
  });
  return {
    result,
    async cancel(reason) {
      outcome ??= { ok: false, error: reason };
      await end();
      await served.done;
    },
  };
}
