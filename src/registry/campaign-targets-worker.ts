/**
 * @module registry/campaign-targets-worker
 * The worker-thread side of `targetsInWorker` (./campaign-targets-thread.ts): the target list of a
 * campaign on a RemoteWarehouse lent by the owning thread, then the result or the error.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openRemoteWarehouse } from '../warehouse/remote/remote-warehouse.js';
import { campaignTargets } from './campaign-targets.js';
import type { TargetsThreadMessage, TargetsWorkerData } from './campaign-targets-thread.js';

const port = parentPort!;
const post = (m: TargetsThreadMessage): void => port.postMessage(m);
const data = workerData as TargetsWorkerData & { port: MessagePort };
const wh = await openRemoteWarehouse(data.port);
try {
  const result = await campaignTargets(wh, data.campaign, data.options);
  await wh.close();
  post({ type: 'done', result });
} catch (e) {
  await wh.close();
  const err = e instanceof Error ? e : new Error(String(e));
  post({ type: 'error', error: { name: err.name, message: err.message } });
}
