/**
 * RequestWorker: answers by request id, an error reply as an Error of its name, a worker that dies
 * fails what is in flight and the next request starts a new one, and close fails what is in flight
 * instead of leaving it waiting.
 */
import { describe, expect, it } from 'vitest';
import { RequestWorker } from './request-worker.js';

const ask = (w: RequestWorker<number>, x: number): Promise<number> =>
  w.request((worker, id) => worker.postMessage({ id, x }));

describe('RequestWorker', () => {
  it('answers each request by its id, and an error reply as an Error of its name', async () => {
    const w = new RequestWorker<number>(import.meta.url, 'test-request-worker', 'the test thread');
    try {
      expect(await Promise.all([ask(w, 1), ask(w, 21)])).toEqual([2, 42]);
      await expect(ask(w, -1)).rejects.toMatchObject({ name: 'RangeError', message: 'negative: -1' });
    } finally {
      await w.close();
    }
  }, 30_000);

  it('fails the requests in flight when the worker dies, and starts a new one for the next', async () => {
    let starts = 0;
    const w = new RequestWorker<number>(import.meta.url, 'test-request-worker', 'the test thread', () => {
      starts++;
    });
    try {
      const waiting = ask(w, 0);
      await expect(ask(w, 13)).rejects.toThrow('the test thread stopped (exit code 3)');
      await expect(waiting).rejects.toThrow('the test thread stopped (exit code 3)');
      expect(await ask(w, 5)).toBe(10);
      expect(starts).toBe(2);
    } finally {
      await w.close();
    }
  }, 30_000);

  it('close fails a request in flight, and refuses later ones', async () => {
    const w = new RequestWorker<number>(import.meta.url, 'test-request-worker', 'the test thread');
    const waiting = ask(w, 0);
    await w.close();
    await expect(waiting).rejects.toThrow(/the test thread stopped/);
    await expect(ask(w, 1)).rejects.toThrow('the test thread is closed');
  }, 30_000);
});
