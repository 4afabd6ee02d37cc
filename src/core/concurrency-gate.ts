/**
 * @module core/concurrency-gate
 * At most `limit` tasks running at once; the rest wait their turn, first come first served. Tasks
 * must not run another task of the same gate from inside (it would wait for a slot it holds).
 *
 * @example
 *   const gate = new ConcurrencyGate(4);
 *   const rows = await gate.run(() => client.query(sql));
 */
export class ConcurrencyGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new Error(`a concurrency gate needs a whole number of slots >= 1, got ${limit}`);
    }
  }

  /** Tasks running now. */
  get running(): number {
    return this.active;
  }

  /** Tasks waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) {
      // The slot is handed over by the task that leaves it (below), so nobody can overtake.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
