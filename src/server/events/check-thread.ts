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
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from '../../core/spawn-worker.js';
import type { CheckedEvents, EventBodyError } from '../../ingest/checked-events.js';

export type CheckRequest = { readonly id: number; readonly body: Uint8Array; readonly now: number };
export type CheckReply =
  | { readonly id: number; readonly ok: true; readonly result: CheckedEvents | { error: EventBodyError } }
  | { readonly id: number; readonly ok: false; readonly error: { name: string; message: string } };

interface Pending {
  resolve(r: CheckedEvents | { error: EventBodyError }): void;
  reject(e: Error): void;
}

export class EventCheckThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** checkEventBody(body, now) on the worker. `body` is moved there when it owns its whole buffer. */
  check(body: Uint8Array, now: number): Promise<CheckedEvents | { error: EventBodyError }> {
    if (this.closed) return Promise.reject(new Error('the event check thread is closed'));
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(
        { id, body, now } satisfies CheckRequest,
        whole && body.buffer instanceof ArrayBuffer ? [body.buffer] : [],
      );
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawnWorker(import.meta.url, 'check-worker', undefined);
    // Idle between batches: it must not keep a process alive on its own.
    worker.unref();
    worker.on('message', (m: CheckReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    });
    const fail = (err: Error): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the event check thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Ends the worker; calls in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
