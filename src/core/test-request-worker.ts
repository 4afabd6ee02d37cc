/**
 * @module core/test-request-worker
 * The worker of request-worker.test.ts: doubles `x`; a negative `x` is an error reply, `x` = 0 is
 * never answered (a request left in flight), `x` = 13 ends the thread.
 */
import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from './request-worker.js';

const port = parentPort!;
port.on('message', (m: { id: number; x: number }) => {
  if (m.x === 0) return;
  if (m.x === 13) process.exit(3);
  const reply: WorkerReply<number> =
    m.x < 0
      ? { id: m.id, ok: false, error: { name: 'RangeError', message: `negative: ${m.x}` } }
      : { id: m.id, ok: true, result: m.x * 2 };
  port.postMessage(reply);
});
