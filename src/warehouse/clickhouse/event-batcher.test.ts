/**
 * The event batcher's rules on a writer that records its calls (no server needed): batches by count
 * and by time, one write per batch of whole add() calls, a failed batch kept and retried in order,
 * the backlog limit, and close() writing everything left. The ClickHouse side (two batchers in two
 * stores writing at once, exact counts after) is in event-batcher.cluster.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../../ingest/live-event.js';
import {
  ClickHouseEventBatcher,
  EVENT_COLUMNS,
  EventBacklogError,
  eventTsvLine,
  type EventBatchWriter,
} from './event-batcher.js';

function event(i: number, over: Partial<LiveEvent> = {}): LiveEvent {
  return {
    event_id: `e${i}`,
    type: 'view',
    customer_id: `c${i % 7}`,
    anonymous_id: null,
    session_id: null,
    product_id: 'p1',
    request_id: null,
    query: null,
    value: null,
    occurred_at: '2026-11-30T10:15:00.250Z',
    properties: null,
    ...over,
  } as LiveEvent;
}

/** A writer that stores the event ids of each call, failing the calls whose number is in `failOn`. */
function recorder(failOn: number[] = []): { write: EventBatchWriter; batches: string[][]; calls: number } {
  const state = { batches: [] as string[][], calls: 0, write: undefined as unknown as EventBatchWriter };
  state.write = async (lines) => {
    state.calls++;
    if (failOn.includes(state.calls)) throw new Error(`write ${state.calls} refused`);
    state.batches.push(lines.map((l) => l.split('\t')[0]!));
  };
  return state;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('eventTsvLine', () => {
  it('writes the events columns in order, nulls as \\N, times to the second, value in fixed notation', () => {
    const line = eventTsvLine(
      event(1, {
        value: 2.55,
        query: 'tab\there',
        properties: { page: '/p' },
        anonymous_id: 'a1',
      }),
    );
    const fields = line.replace(/\n$/, '').split('\t');
    expect(fields).toHaveLength(EVENT_COLUMNS.length);
    const byName = Object.fromEntries(EVENT_COLUMNS.map((c, i) => [c, fields[i]]));
    expect(byName).toEqual({
      event_id: 'e1',
      customer_id: 'c1',
      anonymous_id: 'a1',
      session_id: '\\N',
      type: 'view',
      product_id: 'p1',
      query: 'tab\\there',
      value: '2.5500',
      occurred_at: '2026-11-30 10:15:00',
      properties: '{"page":"/p"}',
      request_id: '\\N',
    });
    expect(eventTsvLine(event(2, { value: 1e-7 })).split('\t')[7]).toBe('0.0000');
  });
});

describe('ClickHouseEventBatcher', () => {
  it('writes one batch as soon as maxRows events wait, whole add() calls, oldest first', async () => {
    const r = recorder();
    const b = new ClickHouseEventBatcher(r.write, { maxRows: 4, maxWaitMs: 60_000 });
    const done = [b.add([event(1), event(2)]), b.add([event(3)]), b.add([event(4), event(5)])];
    await Promise.all(done.slice(0, 2)); // 5 waiting >= 4: a write starts at once
    await b.close();
    await Promise.all(done);
    // 1,2,3 fit in 4; adding 4,5 would make 5: they are the next batch.
    expect(r.batches).toEqual([
      ['e1', 'e2', 'e3'],
      ['e4', 'e5'],
    ]);
    expect(b.stats).toEqual({ batches: 2, events: 5, failures: 0 });
  });

  it('writes what waits maxWaitMs after the first event, in one INSERT', async () => {
    vi.useFakeTimers();
    const r = recorder();
    const b = new ClickHouseEventBatcher(r.write, { maxRows: 1000, maxWaitMs: 200 });
    const adds = [1, 2, 3].map((i) => b.add([event(i)]));
    await vi.advanceTimersByTimeAsync(199);
    expect(r.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await Promise.all(adds);
    expect(r.batches).toEqual([['e1', 'e2', 'e3']]);
  });

  it('keeps a failed batch and retries it, in order, before anything newer; the callers wait for it', async () => {
    vi.useFakeTimers();
    const r = recorder([1, 2]);
    const errors: number[] = [];
    const b = new ClickHouseEventBatcher(r.write, {
      maxRows: 2,
      maxWaitMs: 10,
      retryMs: 100,
      onError: (_e, n) => errors.push(n),
    });
    let firstDone = false;
    const first = b.add([event(1), event(2)]).then(() => (firstDone = true));
    await vi.advanceTimersByTimeAsync(0); // write 1 fails
    const second = b.add([event(3)]);
    await vi.advanceTimersByTimeAsync(100); // write 2 (the retry) fails
    expect(firstDone).toBe(false);
    expect(b.pending).toBe(3);
    await vi.advanceTimersByTimeAsync(200); // backoff doubled: write 3 succeeds
    await first;
    await vi.advanceTimersByTimeAsync(10);
    await second;
    expect(r.batches).toEqual([['e1', 'e2'], ['e3']]);
    expect(errors).toEqual([2, 2]);
    expect(b.stats).toEqual({ batches: 2, events: 3, failures: 2 });
  });

  it('refuses events past maxBuffered with EventBacklogError, and takes them again once written', async () => {
    const r = recorder();
    const b = new ClickHouseEventBatcher(r.write, { maxRows: 100, maxWaitMs: 60_000, maxBuffered: 3 });
    const first = b.add([event(1), event(2), event(3)]);
    await expect(b.add([event(4)])).rejects.toBeInstanceOf(EventBacklogError);
    await b.flush();
    await first;
    const again = b.add([event(4)]);
    await b.close();
    await again;
    expect(r.batches.flat()).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('close() writes everything left, and refuses events after', async () => {
    const r = recorder([1]);
    const b = new ClickHouseEventBatcher(r.write, { maxRows: 1000, maxWaitMs: 60_000, retryMs: 1 });
    const adds = Array.from({ length: 10 }, (_, i) => b.add([event(i)]));
    await b.close(); // attempt 1 fails, attempt 2 writes all 10
    await Promise.all(adds);
    expect(r.batches).toEqual([Array.from({ length: 10 }, (_, i) => `e${i}`)]);
    await expect(b.add([event(99)])).rejects.toThrow('closed');
  });

  it('close() that cannot write says how many events were not written, and rejects their callers', async () => {
    const r = recorder([1, 2, 3]);
    const b = new ClickHouseEventBatcher(r.write, { maxWaitMs: 60_000, retryMs: 1, closeAttempts: 3 });
    const add = b.add([event(1), event(2)]);
    add.catch(() => undefined);
    await expect(b.close()).rejects.toThrow(
      /^2 events could not be written to ClickHouse at shutdown \(3 attempts\): write 3 refused/,
    );
    await expect(add).rejects.toThrow('2 events could not be written');
    expect(b.pending).toBe(0);
  });
});
