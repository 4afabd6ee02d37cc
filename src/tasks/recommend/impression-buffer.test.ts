import { afterEach, describe, expect, it, vi } from 'vitest';
import { ImpressionBuffer, type Impression } from './impression-buffer.js';

const imp = (n: number): Impression => ({
  requestId: `r${n}`,
  servedAt: new Date(Date.UTC(2026, 11, 1, 14, 0, n)),
  surface: 'user',
  customerId: `c${n}`,
  anonymousId: null,
  sessionId: null,
  task: 'recommend',
  modelVersion: 1,
  variant: null,
  productIds: ['A', 'B'],
});

/** A writer that records each batch it was given (the test's view of the database). */
function recorder(): { batches: string[][]; write: (rows: readonly Impression[]) => Promise<void> } {
  const batches: string[][] = [];
  return { batches, write: async (rows) => void batches.push(rows.map((r) => r.requestId)) };
}

afterEach(() => vi.useRealTimers());

describe('ImpressionBuffer', () => {
  it('writes nothing per add, then everything waiting in one batch per flush', async () => {
    const db = recorder();
    const buffer = new ImpressionBuffer(db.write);
    for (let i = 1; i <= 3; i++) buffer.add(imp(i));
    expect(db.batches).toEqual([]);
    expect(buffer.stats.pending).toBe(3);
    await buffer.flush();
    expect(db.batches).toEqual([['r1', 'r2', 'r3']]);
    await buffer.flush(); // nothing waiting: no empty write
    expect(db.batches).toHaveLength(1);
    expect(buffer.stats).toEqual({ written: 3, pending: 0, dropped: 0, failedWrites: 0 });
  });

  it('flushes on its timer and at close', async () => {
    vi.useFakeTimers();
    const db = recorder();
    const buffer = new ImpressionBuffer(db.write, { intervalMs: 1000 });
    buffer.start();
    buffer.add(imp(1));
    await vi.advanceTimersByTimeAsync(999);
    expect(db.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(db.batches).toEqual([['r1']]);
    buffer.add(imp(2));
    await buffer.close();
    expect(db.batches).toEqual([['r1'], ['r2']]);
    // Closed: the timer is gone.
    buffer.add(imp(3));
    await vi.advanceTimersByTimeAsync(5000);
    expect(db.batches).toHaveLength(2);
  });

  it('flushes early when a batch is full', async () => {
    const db = recorder();
    const buffer = new ImpressionBuffer(db.write, { batchRows: 2 });
    buffer.add(imp(1));
    await new Promise((r) => setImmediate(r));
    expect(db.batches).toEqual([]);
    buffer.add(imp(2)); // the second row fills the batch: written without a timer or a flush call
    await new Promise((r) => setImmediate(r));
    expect(db.batches).toEqual([['r1', 'r2']]);
  });

  it('keeps the rows of a failed write and writes them, in order, next time', async () => {
    const db = recorder();
    let fail = true;
    const errors: number[] = [];
    const buffer = new ImpressionBuffer(
      async (rows) => {
        if (fail) throw new Error('database busy');
        await db.write(rows);
      },
      { onError: (_e, rows) => errors.push(rows) },
    );
    buffer.add(imp(1));
    buffer.add(imp(2));
    await buffer.flush();
    expect(errors).toEqual([2]);
    buffer.add(imp(3));
    fail = false;
    await buffer.flush();
    expect(db.batches).toEqual([['r1', 'r2', 'r3']]);
    expect(buffer.stats).toEqual({ written: 3, pending: 0, dropped: 0, failedWrites: 1 });
  });

  it('bounds memory while writes keep failing: drops the oldest and counts them', async () => {
    const buffer = new ImpressionBuffer(
      async () => {
        throw new Error('down');
      },
      { maxPending: 3 },
    );
    for (let i = 1; i <= 5; i++) buffer.add(imp(i));
    await buffer.flush();
    expect(buffer.stats).toEqual({ written: 0, pending: 3, dropped: 2, failedWrites: 1 });
  });
});
