/**
 * @module warehouse/clickhouse/event-batcher
 * Live events into ClickHouse in batches. ClickHouse wants few large INSERTs (each one is a new part
 * on every shard, merged later; thousands of one-row inserts a second overwhelm the merges), while
 * the API takes many small requests, possibly in several `shopsight serve` processes at once. So each
 * process buffers the events it accepted and writes them as one INSERT (TabSeparated, through the
 * Distributed `events` table) when `maxRows` are waiting or `maxWaitMs` after the first one came.
 *
 * - `add()` resolves once the events are in ClickHouse (every shard holds them: the store sends
 *   insert_distributed_sync=1), so a caller that acknowledges after it acknowledges stored events.
 * - A batch is made of whole `add()` calls, oldest first; one INSERT per batch.
 * - A failed INSERT keeps its batch at the head of the buffer and is retried after `retryMs`
 *   (doubling up to 30 s); the callers keep waiting. Past `maxBuffered` waiting events `add()` is
 *   refused with EventBacklogError (the route answers 503 with Retry-After) instead of growing memory.
 * - `close()` stops the timer and writes everything left; if the cluster refuses it `closeAttempts`
 *   times in a row it rejects, saying how many events were not written. A clean shutdown with the
 *   cluster up loses nothing; a SIGKILL loses what was buffered and not acknowledged.
 * - Several processes writing at once need nothing between them: the events table is a
 *   ReplacingMergeTree keyed by event_id, so the same event sent twice (a client retry through
 *   another process) is stored once after merges, and read once through FINAL.
 *
 * @example
 *   const batcher = ClickHouseEventBatcher.forStore(ch);
 *   await batcher.add(events); // LiveEvent rows; resolves when they are stored
 *   await batcher.close();
 */
import type { LiveEvent } from '../../ingest/live-event.js';
import type { ClickHouseStore } from './clickhouse-store.js';
import { chDateTime, tsvField } from './format-value.js';
import { chColumns } from './schema.js';

export interface EventBatcherOptions {
  /** Write as soon as this many events wait. */
  readonly maxRows?: number;
  /** Write at most this long (ms) after the first waiting event came. */
  readonly maxWaitMs?: number;
  /** Refuse new events while this many wait (the cluster is down or slow). */
  readonly maxBuffered?: number;
  /** First wait (ms) before a failed batch is tried again; doubles up to 30 s. */
  readonly retryMs?: number;
  /** Attempts `close()` makes before it gives up on what is left. */
  readonly closeAttempts?: number;
  /** Told of every failed INSERT (the server logs it). */
  readonly onError?: (err: unknown, events: number) => void;
}

/** Writes one batch: TSV lines in the events table's column order (EVENT_COLUMNS). */
export type EventBatchWriter = (lines: readonly string[]) => Promise<void>;

/** Too many events wait for the cluster: the caller should be told to retry later. */
export class EventBacklogError extends Error {
  override readonly name = 'EventBacklogError';
}

/** The events table's columns, in the order eventTsvLine writes them. */
export const EVENT_COLUMNS: readonly string[] = chColumns('events').map((c) => c.name);

/** One LiveEvent as a TabSeparated line of the events table (whole seconds, as the import writes). */
export function eventTsvLine(e: LiveEvent): string {
  const fields: Record<string, string> = {
    event_id: tsvField(e.event_id),
    customer_id: tsvField(e.customer_id ?? null),
    anonymous_id: tsvField(e.anonymous_id ?? null),
    session_id: tsvField(e.session_id ?? null),
    type: tsvField(e.type),
    product_id: tsvField(e.product_id ?? null),
    query: tsvField(e.query ?? null),
    // Fixed notation (String() would write 1e-7); the column is Decimal(18, 4).
    value: e.value === null || e.value === undefined ? '\\N' : e.value.toFixed(4),
    occurred_at: chDateTime(new Date(e.occurred_at)),
    properties: tsvField(e.properties ? JSON.stringify(e.properties) : null),
    request_id: tsvField(e.request_id ?? null),
  };
  return EVENT_COLUMNS.map((c) => fields[c]!).join('\t') + '\n';
}

interface Waiting {
  readonly lines: readonly string[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

const MAX_RETRY_MS = 30_000;

export class ClickHouseEventBatcher {
  private readonly queue: Waiting[] = [];
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private retryDelay: number;
  private closed = false;
  private readonly maxRows: number;
  private readonly maxWaitMs: number;
  private readonly maxBuffered: number;
  private readonly retryMs: number;
  private readonly closeAttempts: number;
  /** INSERTs that succeeded, and events they carried (for logs and tests). */
  readonly stats = { batches: 0, events: 0, failures: 0 };

  constructor(
    private readonly write: EventBatchWriter,
    private readonly options: EventBatcherOptions = {},
  ) {
    this.maxRows = options.maxRows ?? 5_000;
    this.maxWaitMs = options.maxWaitMs ?? 200;
    this.maxBuffered = options.maxBuffered ?? 200_000;
    this.retryMs = options.retryMs ?? 500;
    this.closeAttempts = options.closeAttempts ?? 5;
    this.retryDelay = this.retryMs;
  }

  /** A batcher writing into `events` of the store (through the Distributed table). */
  static forStore(ch: ClickHouseStore, options: EventBatcherOptions = {}): ClickHouseEventBatcher {
    return new ClickHouseEventBatcher(
      (lines) => ch.insertTsv('events', EVENT_COLUMNS, () => [lines.join('')]),
      options,
    );
  }

  /** Events waiting to be written. */
  get pending(): number {
    return this.buffered;
  }

  /** Buffers `events`; resolves when they are stored, rejects only if close() gives up on them. */
  add(events: readonly LiveEvent[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the event batcher is closed'));
    if (events.length === 0) return Promise.resolve();
    if (this.buffered + events.length > this.maxBuffered) {
      return Promise.reject(
        new EventBacklogError(
          `${this.buffered} events are waiting for ClickHouse (at most ${this.maxBuffered}): retry shortly`,
        ),
      );
    }
    const lines = events.map(eventTsvLine);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ lines, resolve, reject });
      this.buffered += lines.length;
      if (this.buffered >= this.maxRows) this.kick(0);
      else this.kick(this.maxWaitMs);
    });
  }

  /** Writes everything waiting now (one INSERT per batch of at most maxRows events). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    while (this.queue.length) {
      this.writing = this.writeOne();
      try {
        await this.writing;
      } finally {
        this.writing = undefined;
      }
    }
  }

  /**
   * Stops taking events and writes what waits, trying `closeAttempts` times; rejects (and rejects
   * the waiting callers) naming how many events could not be written.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let last: unknown;
    for (let attempt = 1; attempt <= this.closeAttempts; attempt++) {
      try {
        await this.flush();
        return;
      } catch (err) {
        last = err;
        if (attempt < this.closeAttempts)
          await sleep(Math.min(this.retryMs * 2 ** (attempt - 1), MAX_RETRY_MS));
      }
    }
    const lost = this.buffered;
    const err = new Error(
      `${lost} events could not be written to ClickHouse at shutdown (${this.closeAttempts} attempts): ` +
        `${last instanceof Error ? last.message : String(last)}`,
      { cause: last },
    );
    for (const w of this.queue.splice(0)) w.reject(err);
    this.buffered = 0;
    throw err;
  }

  /** Schedules a write in `ms` unless one is scheduled sooner or the batcher is closed. */
  private kick(ms: number): void {
    if (this.closed) return;
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().then(
        () => {
          this.retryDelay = this.retryMs;
        },
        () => {
          // Kept at the head of the queue: try again later, waiting longer each time.
          const delay = this.retryDelay;
          this.retryDelay = Math.min(this.retryDelay * 2, MAX_RETRY_MS);
          this.kick(delay);
        },
      );
    }, ms);
    this.timer.unref?.();
  }

  /** One INSERT of the oldest whole add() calls, up to maxRows events (at least one call). */
  private async writeOne(): Promise<void> {
    let take = 0;
    let rows = 0;
    while (
      take < this.queue.length &&
      (take === 0 || rows + this.queue[take]!.lines.length <= this.maxRows)
    ) {
      rows += this.queue[take]!.lines.length;
      take++;
    }
    const batch = this.queue.slice(0, take);
    try {
      await this.write(batch.flatMap((w) => w.lines));
    } catch (err) {
      this.stats.failures++;
      this.options.onError?.(err, rows);
      throw err;
    }
    // Only now out of the buffer: a failed write leaves it where it was, oldest first.
    this.queue.splice(0, take);
    this.buffered -= rows;
    this.stats.batches++;
    this.stats.events += rows;
    for (const w of batch) w.resolve();
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
