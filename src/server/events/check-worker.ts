/**
 * @module server/events/check-worker
 * Worker-thread side of EventCheckThread (./check-thread.ts): checks each body it is sent with
 * checkEventBody and answers by the request's id, the result's buffers moved, not copied.
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import { checkEventBody } from '../../ingest/checked-events.js';
import type { CheckReply, CheckRequest } from './check-thread.js';

const port = parentPort!;

port.on('message', (m: CheckRequest) => {
  let reply: CheckReply;
  const moved: TransferListItem[] = [];
  try {
    const result = checkEventBody(m.body, m.now);
    if (!('error' in result)) {
      // Each typed array and the JSON own their memory here (fresh allocations of this call).
      for (const a of [result.positions, result.times, result.productOf, result.ends, result.json]) {
        if (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength && a.buffer instanceof ArrayBuffer)
          moved.push(a.buffer);
      }
    }
    reply = { id: m.id, ok: true, result };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: m.id, ok: false, error: { name: e.name, message: e.message } };
  }
  port.postMessage(reply, moved);
});
