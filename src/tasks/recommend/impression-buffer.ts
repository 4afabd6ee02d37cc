/**
 * @module tasks/recommend/impression-buffer
 * Every recommendation served is an impression (the denominator of click-through and attribution),
 * but a write per request would put the database on the hot path. The buffer keeps impressions in
 * memory and hands them to `write` in batches: every `intervalMs`, early when `batchRows` are
 * waiting, and once more at close. A failed write keeps its rows for the next attempt (in order),
 * so a database hiccup loses nothing; only when `maxPending` rows pile up (the database has been
 * failing for a long time) are the oldest dropped, counted in `stats.dropped`, to bound memory.
 * What a hard kill (SIGKILL) loses is at most the rows of the last interval.
 *
 * @example
 *   const buffer = new ImpressionBuffer((rows) => db.write((wh) => insertImpressions(wh, rows)));
 *   buffer.start();
 *   buffer.add({ requestId, servedAt: new Date(), surface: 'user', ... }); // O(1), no I/O
 *   await buffer.close();                                                  // final flush
 */

export interface Impression {
  readonly requestId: string;
  readonly servedAt: Date;
  readonly surface: 'user' | 'item' | 'together' | 'session';
  readonly customerId: string | null;
  readonly anonymousId: string | null;
  readonly sessionId: string | null;
  readonly task: string;
  readonly modelVersion: number | null;
  readonly variant: string | null;
  readonly productIds: readonly string[];
}

export interface ImpressionBufferOptions {
  /** Flush period. Default 1000 ms. */
  readonly intervalMs?: number;
  /** Flush early once this many rows wait. Default 5,000. */
  readonly batchRows?: number;
  /** At most this many rows kept while writes fail; the oldest go first. Default 200,000. */
  readonly maxPending?: number;
  /** Told about each failed write (the rows are kept and retried). */
  readonly onError?: (err: unknown, rows: number) => void;
}

export interface ImpressionStats {
  readonly written: number;
  readonly pending: number;
  readonly dropped: number;
  readonly failedWrites: number;
}

export class ImpressionBuffer {
  private pending: Impression[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The flush in progress: flushes run one at a time, in order. */
  private running: Promise<void> = Promise.resolve();
  private written = 0;
  private dropped = 0;
  private failedWrites = 0;
  private readonly intervalMs: number;
  private readonly batchRows: number;
  private readonly maxPending: number;

  constructor(
    private readonly write: (rows: readonly Impression[]) => Promise<void>,
    private readonly options: ImpressionBufferOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.batchRows = options.batchRows ?? 5000;
    this.maxPending = options.maxPending ?? 200_000;
  }

  /** Flushes every intervalMs until close(); the timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  add(impression: Impression): void {
    this.pending.push(impression);
    if (this.pending.length > this.maxPending) {
      const over = this.pending.length - this.maxPending;
      this.pending.splice(0, over);
      this.dropped += over;
    }
    if (this.pending.length === this.batchRows) void this.flush();
  }

  /** Writes what is waiting now (after any flush in progress); resolves when it is written or kept. */
  flush(): Promise<void> {
    this.running = this.running.then(() => this.writeWaiting());
    return this.running;
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  get stats(): ImpressionStats {
    return {
      written: this.written,
      pending: this.pending.length,
      dropped: this.dropped,
      failedWrites: this.failedWrites,
    };
  }

  private async writeWaiting(): Promise<void> {
    if (!this.pending.length) return;
    const rows = this.pending;
    this.pending = [];
    try {
      await this.write(rows);
      this.written += rows.length;
    } catch (err) {
      this.failedWrites++;
      // Back in front of what arrived meanwhile, so the retry keeps serving order.
      this.pending = rows.concat(this.pending);
      if (this.pending.length > this.maxPending) {
        const over = this.pending.length - this.maxPending;
        this.pending.splice(0, over);
        this.dropped += over;
      }
      this.options.onError?.(err, rows.length);
    }
  }
}
