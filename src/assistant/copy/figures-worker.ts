/**
 * @module assistant/copy/figures-worker
 * The worker-thread side of `segmentFiguresInWorker` (./figures-thread.ts): a segment's figures on
 * a RemoteWarehouse lent by the owning thread, then the figures or the error.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openRemoteWarehouse } from '../../warehouse/remote/remote-warehouse.js';
import { segmentFigures } from './copy.js';
import type { FiguresThreadMessage, FiguresWorkerData } from './figures-thread.js';

const port = parentPort!;
const data = workerData as FiguresWorkerData & { port: MessagePort };
const wh = await openRemoteWarehouse(data.port);
let message: FiguresThreadMessage;
try {
  message = { ok: true, figures: await segmentFigures(wh, data.segment, data.options) };
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  message = { ok: false, error: { name: err.name, message: err.message } };
}
await wh.close();
port.postMessage(message satisfies FiguresThreadMessage);
