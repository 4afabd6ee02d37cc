/**
 * @module registry/training-worker
 * The worker-thread side of `trainInWorker` (./training-thread.ts): trains and registers a task on a
 * RemoteWarehouse lent by the owning thread, posting each step, then the result or the error.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openRemoteWarehouse } from '../warehouse/remote/remote-warehouse.js';
import type { TrainingThreadMessage, TrainingWorkerData } from './training-thread.js';
import { trainAndRegister } from './training.js';

const port = parentPort!;
const post = (m: TrainingThreadMessage): void => port.postMessage(m);
const data = workerData as TrainingWorkerData & { port: MessagePort };
const wh = await openRemoteWarehouse(data.port);
try {
  const result = await trainAndRegister(wh, data.task, data.options, (label, ordinal, total) =>
    post({ type: 'step', label, ordinal, total }),
  );
  await wh.close();
  post({ type: 'done', result });
} catch (e) {
  await wh.close();
  const err = e instanceof Error ? e : new Error(String(e));
  post({ type: 'error', error: { name: err.name, message: err.message } });
}
