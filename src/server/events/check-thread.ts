/**
 * @module server/events/check-thread
 * The parse and checks of event batches (ingest/checked-events.ts) on a worker thread, so that the
 * server's main thread, which answers every request, only reserves ids and writes the log: on the
 * 2-core machine the two threads then work on different batches at once.
 *
 * The body goes to the worker moved when it owns its memory (no copy); the answer comes back as
 * string lists, typed arrays and one buffer, moved too. Requests are answered in order. A worker
 * that dies (an exception, out of memory) fails the calls in flight, and the next call starts a new
 * one: the caller's request gets a 500 and nothing of it was taken.
 *
 * @example
 *   const t = new EventCheckThread();
 *   const c = await t.check(body, Date.now()); // CheckedEvents | { error }
 *   await t.close();
 */
import { RequestWorker, type WorkerReply } from '../../core/request-worker.js';
import type { CheckedEvents, EventBodyError } from '../../ingest/checked-events.js';

export type CheckRequest = { readonly id: number; readonly body: Uint8Array; readonly now: number };
export type CheckReply = WorkerReply<CheckedEvents | { error: EventBodyError }>;

export class EventCheckThread {
  private readonly thread = new RequestWorker<CheckedEvents | { error: EventBodyError }>(
    import.meta.url,
    'check-worker',
    'the event check thread',
  );

  /** checkEventBody(body, now) on the worker. `body` is moved there when it owns its whole buffer. */
  check(body: Uint8Array, now: number): Promise<CheckedEvents | { error: EventBodyError }> {
    const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    return this.thread.request((worker, id) =>
      worker.postMessage(
        { id, body, now } satisfies CheckRequest,
        whole && body.buffer instanceof ArrayBuffer ? [body.buffer] : [],
      ),
    );
  }

  /** Ends the worker; calls in flight fail. */
  close(): Promise<void> {
    return this.thread.close();
  }
}
