/**
 * @module server/events/event-ingest
 * Takes checked events from `POST /v1/events`, makes them durable and moves them into the warehouse.
 *
 * The path of a batch: each event is checked (ingest/live-event.ts); ids already stored (among the
 * stored events of the batch's time span: a retry is the same event at the same time), already
 * waiting in the log, or repeated in the batch are duplicates; events naming a product the catalogue
 * lacks are rejected; the rest are reserved (so a concurrent retry sees them), appended to the
 * event log as one record and fsync'd, and only then acknowledged. A flush, on a timer or when the
 * log holds `flushEvents` events, seals the log segment, inserts its events into `events` in one
 * write transaction and deletes the segment after the commit. On start, segments a crash left
 * behind are replayed before any request is served. The insert checks every id against the whole
 * table, so nothing is stored twice: a segment committed just before a crash, or an event_id reused
 * for an event at another time (stored once, the first; the response may have counted it accepted).
 *
 * @example
 *   const ingest = await EventIngest.start({ store: ctx.db, logPath: `${ctx.config.dbPath}.events.wal`, log: ctx.log });
 *   ctx.onClose(() => ingest.close());
 *   const outcome = await ingest.submit(body.batch); // { accepted, duplicates, rejected }
 */
import type { FastifyBaseLogger } from 'fastify';
import { checkEvent, type EventRejection, type LiveEvent } from '../../ingest/live-event.js';
import {
  insertLiveEventBatches,
  newestEventMs,
  storedEventIds,
  unknownProductIds,
  type LiveEventBatch,
} from '../../warehouse/live-events.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { CommittedIds } from './committed-ids.js';
import { EventLog, type Segment } from './event-log.js';

/** The part of the server's warehouse pool ingestion uses (ServerWarehouse has it). */
export interface EventStore {
  read<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T>;
  write<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T>;
}

export interface EventIngestOptions {
  readonly store: EventStore;
  /** The active log segment, `<db>.events.wal`. */
  readonly logPath: string;
  readonly log: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
  /** Flush at least this often (ms). */
  readonly flushIntervalMs?: number;
  /** Flush as soon as the log holds this many events. */
  readonly flushEvents?: number;
  /** Refuse new batches (503) while this many accepted events wait for the warehouse. */
  readonly maxBacklog?: number;
  /** The clock the timestamp checks use (tests set it). */
  readonly now?: () => number;
  /** Ids of committed events remembered for the request-time duplicate check (committed-ids.ts). */
  readonly rememberIds?: number;
}

export interface IngestOutcome {
  readonly accepted: number;
  readonly duplicates: number;
  /** In batch order. */
  readonly rejected: readonly EventRejection[];
}

/** The warehouse is behind: the batch was not taken (the client retries later). */
export class IngestBacklogError extends Error {
  override readonly name = 'IngestBacklogError';
}

/** One log record: the accepted events of one request. */
type LogRecord = readonly LiveEvent[];

export class EventIngest {
  /** Ids accepted and not yet committed to the warehouse (reserved, in the log, or being flushed). */
  private readonly pending = new Set<string>();
  /** Sealed segments not committed yet (a failed flush leaves them for the next). */
  private unflushed: Segment<LogRecord>[] = [];
  private activeEvents = 0;
  private flushing: Promise<number> | null = null;
  private timer: NodeJS.Timeout | undefined;
  /**
   * Ids each flush committed, kept while a request that started before it is still checking: its
   * warehouse read may predate the commit after the ids left `pending`.
   */
  private flushGeneration = 0;
  private readonly recentlyFlushed: { generation: number; ids: ReadonlySet<string> }[] = [];
  private readonly checking = new Map<number, number>();
  /** Products seen in the catalogue (none is ever deleted, so a product once found stays known). */
  private readonly knownProducts = new Set<string>();
  private readonly flushEvents: number;
  private readonly maxBacklog: number;
  private readonly now: () => number;

  private readonly committed: CommittedIds;

  private constructor(
    private readonly options: EventIngestOptions,
    private readonly eventLog: EventLog<LogRecord>,
    newestStoredMs: number | null,
  ) {
    this.committed = new CommittedIds(floorAfter(newestStoredMs), options.rememberIds ?? 500_000);
    this.flushEvents = options.flushEvents ?? 20_000;
    this.maxBacklog = options.maxBacklog ?? 500_000;
    this.now = options.now ?? Date.now;
  }

  /** Opens the log, replays what an earlier run left in it, and starts the flush timer. */
  static async start(options: EventIngestOptions): Promise<EventIngest> {
    const { log, recovered, tornBytes } = await EventLog.open<LogRecord>(options.logPath);
    if (tornBytes > 0) {
      options.log.warn(
        { logPath: options.logPath, tornBytes },
        'event log: a torn tail (a write cut off by a crash, never acknowledged) was set aside as *.torn-*',
      );
    }
    if (recovered.length) {
      const batches = recovered.flatMap(batchesOf);
      const events = batches.reduce((n, b) => n + b.events.length, 0);
      const result = await options.store.write((wh) => insertLiveEventBatches(wh, batches));
      for (const s of recovered) await log.remove(s);
      options.log.info(
        { segments: recovered.length, events, ...result },
        'event log replayed into the warehouse',
      );
    }
    const newest = await options.store.read(newestEventMs);
    const ingest = new EventIngest(options, log, newest);
    const every = options.flushIntervalMs ?? 1000;
    ingest.timer = setInterval(() => void ingest.flushQuietly(), every);
    ingest.timer.unref();
    return ingest;
  }

  /** Accepted events that the warehouse has not committed yet. */
  get backlog(): number {
    return this.pending.size;
  }

  /**
   * Checks `raw` events (index = position in the request), makes the accepted ones durable and
   * says what happened to each. Throws IngestBacklogError when the warehouse is too far behind.
   */
  async submit(raw: readonly unknown[]): Promise<IngestOutcome> {
    const now = this.now();
    const rejected: EventRejection[] = [];
    const checked: LiveEvent[] = [];
    const checkedIndex: number[] = [];
    for (let index = 0; index < raw.length; index++) {
      const c = checkEvent(raw[index], index, now);
      if ('reason' in c) rejected.push(c);
      else {
        checked.push(c);
        checkedIndex.push(index);
      }
    }
    const rejectedByCheck = rejected.length;
    if (checked.length && this.pending.size + checked.length > this.maxBacklog) {
      throw new IngestBacklogError(
        `${this.pending.size.toLocaleString('en-US')} accepted events are waiting for the warehouse; retry shortly`,
      );
    }
    if (checked.length === 0) return { accepted: 0, duplicates: 0, rejected };
    // A retry carries its events' own times: only stored events of the batch's time span can be it.
    let from = checked[0]!.occurred_at;
    let to = from;
    let products: Set<string> | null = null;
    for (const event of checked) {
      if (event.occurred_at < from) from = event.occurred_at;
      else if (event.occurred_at > to) to = event.occurred_at;
      if (event.product_id !== null && !this.knownProducts.has(event.product_id))
        (products ??= new Set()).add(event.product_id);
    }
    let unknown: ReadonlySet<string> = NONE;
    if (products) {
      unknown = await this.options.store.read((wh) => unknownProductIds(wh, [...products]));
      for (const p of products) if (!unknown.has(p)) this.knownProducts.add(p);
    }
    const span = { from, to, fromMs: Date.parse(from), toMs: Date.parse(to) };
    // The memory of committed ids answers when it covers the span (the usual case: recent events).
    const accepted = this.committed.covers(span.fromMs)
      ? this.reserve(checked, checkedIndex, span, unknown, null, rejected)
      : await this.reserveAfterWarehouse(checked, checkedIndex, span, unknown, rejected);
    const duplicates = checked.length - accepted.length - (rejected.length - rejectedByCheck);
    rejected.sort((a, b) => a.index - b.index);
    if (accepted.length === 0) return { accepted: 0, duplicates, rejected };

    try {
      await this.eventLog.append(accepted);
    } catch (err) {
      for (const e of accepted) this.pending.delete(e.event_id);
      throw err;
    }
    this.activeEvents += accepted.length;
    if (this.activeEvents >= this.flushEvents) void this.flushQuietly();
    return { accepted: accepted.length, duplicates, rejected };
  }

  /**
   * Reserves the batch's new events in `pending` (so a concurrent retry sees them) and returns them;
   * repeats of a pending, reserved or stored id are duplicates, events naming an unknown product are
   * added to `rejected`. Synchronous: nothing else runs between the checks and the reservation.
   * `stored` is the warehouse's answer for the span, or null to ask the memory of committed ids.
   */
  private reserve(
    events: readonly LiveEvent[],
    indexes: readonly number[],
    span: Span,
    unknown: ReadonlySet<string>,
    stored: ((id: string) => boolean) | null,
    rejected: EventRejection[],
  ): LiveEvent[] {
    const accepted: LiveEvent[] = [];
    // Ids of this batch rejected for their product: a repeat of one is a duplicate, as it was sent.
    let refused: Set<string> | null = null;
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const id = event.event_id;
      if (
        this.pending.has(id) ||
        (stored === null ? this.committed.storedWithin(id, span.fromMs, span.toMs) : stored(id)) ||
        refused?.has(id)
      )
        continue;
      if (event.product_id !== null && unknown.has(event.product_id)) {
        (refused ??= new Set()).add(id);
        rejected.push({
          index: indexes[i]!,
          event_id: id,
          field: 'product_id',
          reason: `unknown product '${event.product_id}': it is not in the catalogue (add it with PUT /v1/products/:id first)`,
        });
        continue;
      }
      this.pending.add(id);
      accepted.push(event);
    }
    return accepted;
  }

  /** reserve() for a span the memory does not cover: the warehouse answers (one read). */
  private async reserveAfterWarehouse(
    events: readonly LiveEvent[],
    indexes: readonly number[],
    span: Span,
    unknown: ReadonlySet<string>,
    rejected: EventRejection[],
  ): Promise<LiveEvent[]> {
    const generation = this.flushGeneration;
    this.checking.set(generation, (this.checking.get(generation) ?? 0) + 1);
    let stored: Set<string>;
    try {
      stored = await this.options.store.read((wh) =>
        storedEventIds(
          wh,
          events.map((e) => e.event_id),
          { from: span.from, to: span.to },
        ),
      );
    } finally {
      const left = (this.checking.get(generation) ?? 1) - 1;
      if (left) this.checking.set(generation, left);
      else this.checking.delete(generation);
    }
    // Committed after the read began: gone from `pending`, maybe not seen by the read.
    const flushedSince = this.recentlyFlushed.filter((f) => f.generation > generation);
    this.pruneRecentlyFlushed();
    return this.reserve(
      events,
      indexes,
      span,
      unknown,
      (id) => stored.has(id) || flushedSince.some((f) => f.ids.has(id)),
      rejected,
    );
  }

  /**
   * Another writer changed the events table (an admin import, a privacy erasure): the memory of
   * committed ids starts again from the table's newest event. Runs in the write queue, so no flush
   * commits between the query and the reset.
   */
  async eventsChanged(): Promise<void> {
    await this.options.store.write(async (wh) => this.committed.reset(floorAfter(await newestEventMs(wh))));
  }

  /**
   * Moves every event acknowledged so far into the warehouse (one transaction); returns how many
   * were written. Only one flush runs at a time; a call during one waits for it and starts another.
   */
  async flush(): Promise<number> {
    while (this.flushing) await this.flushing.catch(() => undefined);
    this.flushing = this.flushOnce();
    try {
      return await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  /** Flushes what is left and closes the log (graceful shutdown). A failed flush leaves the log for replay. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    try {
      await this.flush();
    } catch (err) {
      this.options.log.error(
        { err, logPath: this.options.logPath },
        'event flush at shutdown failed; the events stay in the log and are replayed at the next start',
      );
    }
    await this.eventLog.close();
  }

  private async flushQuietly(): Promise<void> {
    if (this.flushing) return;
    await this.flush().catch((err: unknown) =>
      this.options.log.error(
        { err },
        'event flush failed; the events stay in the log and the flush is retried',
      ),
    );
  }

  private async flushOnce(): Promise<number> {
    const sealed = await this.eventLog.seal();
    if (sealed) {
      this.unflushed.push(sealed);
      this.activeEvents -= sealed.records.reduce((s, r) => s + r.length, 0);
    }
    if (this.unflushed.length === 0) return 0;
    const segments = [...this.unflushed];
    const batches = segments.flatMap(batchesOf);
    const alreadyStored = new Set<string>();
    const result = await this.options.store.write((wh) => insertLiveEventBatches(wh, batches, alreadyStored));
    this.unflushed = this.unflushed.filter((s) => !segments.includes(s));
    // What this commit stored joins the memory before its ids leave `pending`, with no await
    // between: a retry always finds them in one or the other. (An id is pending from its
    // acceptance to its commit, so it is in one record of one flush only.)
    const storedIds: string[] = [];
    const storedTimes: number[] = [];
    for (const b of batches) {
      for (const e of b.events) {
        if (alreadyStored.has(e.event_id)) continue;
        storedIds.push(e.event_id);
        storedTimes.push(Date.parse(e.occurred_at));
      }
    }
    this.committed.add(storedIds, storedTimes);
    this.flushGeneration++;
    if (this.checking.size) {
      const ids = new Set<string>();
      for (const b of batches) for (const e of b.events) ids.add(e.event_id);
      this.recentlyFlushed.push({ generation: this.flushGeneration, ids });
    }
    for (const b of batches) for (const e of b.events) this.pending.delete(e.event_id);
    this.pruneRecentlyFlushed();
    for (const s of segments) await this.eventLog.remove(s);
    return result.inserted;
  }

  /** Flushed id sets no request still checking can need. */
  private pruneRecentlyFlushed(): void {
    const oldest = Math.min(...this.checking.keys());
    while (this.recentlyFlushed.length && this.recentlyFlushed[0]!.generation <= oldest)
      this.recentlyFlushed.shift();
  }
}

const NONE: ReadonlySet<string> = new Set();

/** A batch's time span, as ISO texts and epoch milliseconds. */
interface Span {
  readonly from: string;
  readonly to: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** The memory's floor for a table whose newest event is dated `newestMs` (null: empty table). */
const floorAfter = (newestMs: number | null): number => (newestMs === null ? -Infinity : newestMs + 1);

/** A segment's records with the JSON each was logged as. */
const batchesOf = (s: Segment<LogRecord>): LiveEventBatch[] =>
  s.records.map((events, i) => ({ events, json: s.json[i] }));
