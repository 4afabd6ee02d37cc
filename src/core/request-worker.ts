/**
 * @module core/request-worker
 * One long-lived worker thread answering numbered requests: started on the first request, unref'd
 * so an idle one keeps no process alive, restarted on the next request after it dies. A worker that
 * dies (an exception, out of memory, `close`) fails every request in flight with the reason; none is
 * left waiting. The server's event checks (server/events/check-thread.ts) and risk scoring
 * (tasks/risk/score-thread.ts) run this way.
 *
 * @example
 *   const w = new RequestWorker<Result>(import.meta.url, 'my-worker', 'the my-work thread');
 *   const r = await w.request((worker, id) => worker.postMessage({ id, input }));
 */
import type { Worker } from 'node:worker_threads';
import { spawnWorker } from './spawn-worker.js';

/** What the worker posts back for request `id`. */
export type WorkerReply<R> =
  | { readonly id: number; readonly ok: true; readonly result: R }
  | { readonly id: number; readonly ok: false; readonly error: { name: string; message: string } };

interface Pending<R> {
  resolve(r: R): void;
  reject(e: Error): void;
}

export class RequestWorker<R> {
  private live: Worker | undefined;
  private readonly pending = new Map<number, Pending<R>>();
  private nextId = 1;
  private closed = false;

  /**
   * @param callerUrl the caller's `import.meta.url`: the worker module `name` sits beside it
   * @param what names the thread in errors
   * @param onStart runs for each new worker before its first request (state to send it again)
   */
  constructor(
    private readonly callerUrl: string,
    private readonly name: string,
    private readonly what: string,
    private readonly onStart?: (worker: Worker) => void,
  ) {}

  /** The live worker, started when there is none. */
  worker(): Worker {
    if (this.closed) throw new Error(`${this.what} is closed`);
    if (this.live) return this.live;
    const worker = spawnWorker(this.callerUrl, this.name, undefined);
    worker.unref();
    worker.on('message', (m: WorkerReply<R>) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
    });
    const fail = (err: Error): void => {
      if (this.live !== worker) return;
      this.live = undefined;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`${this.what} stopped (exit code ${code})`)));
    this.live = worker;
    this.onStart?.(worker);
    return worker;
  }

  /** Numbers a request, lets `post` send it to the worker, and answers with the worker's reply. */
  request(post: (worker: Worker, id: number) => void): Promise<R> {
    let worker: Worker;
    try {
      worker = this.worker();
    } catch (e) {
      return Promise.reject(e as Error);
    }
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      post(worker, id);
    });
  }

  /** Ends the worker; requests in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.live) await this.live.terminate();
  }
}
