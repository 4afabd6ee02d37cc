import { describe, expect, it } from 'vitest';
import { ConcurrencyGate } from './concurrency-gate.js';

/** A task that stays running until released, recording how many ran at its start. */
function controlled(gate: ConcurrencyGate, seen: number[], order: number[], id: number) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  const done = gate.run(async () => {
    seen.push(gate.running);
    order.push(id);
    await held;
    return id;
  });
  return { release, done };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('ConcurrencyGate', () => {
  it('runs at most `limit` tasks at once and starts the waiting ones in arrival order', async () => {
    const gate = new ConcurrencyGate(2);
    const seen: number[] = [];
    const order: number[] = [];
    const tasks = [0, 1, 2, 3, 4].map((id) => controlled(gate, seen, order, id));
    await tick();
    expect(order).toEqual([0, 1]);
    expect(gate.running).toBe(2);
    expect(gate.queued).toBe(3);
    tasks[1]!.release();
    await tick();
    expect(order).toEqual([0, 1, 2]);
    tasks[0]!.release();
    tasks[2]!.release();
    await tick();
    expect(order).toEqual([0, 1, 2, 3, 4]);
    tasks[3]!.release();
    tasks[4]!.release();
    expect(await Promise.all(tasks.map((t) => t.done))).toEqual([0, 1, 2, 3, 4]);
    expect(Math.max(...seen)).toBe(2);
    expect(gate.running).toBe(0);
    expect(gate.queued).toBe(0);
  });

  it('frees the slot of a task that fails, and passes its error on', async () => {
    const gate = new ConcurrencyGate(1);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(gate.running).toBe(0);
    expect(await gate.run(() => Promise.resolve(7))).toBe(7);
  });

  it('refuses a limit that is not a whole number >= 1', () => {
    expect(() => new ConcurrencyGate(0)).toThrow(/>= 1, got 0/);
    expect(() => new ConcurrencyGate(1.5)).toThrow(/got 1.5/);
  });
});
