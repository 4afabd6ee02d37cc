/**
 * @module server/events/event-ingest
 * Takes the events of `POST /v1/events`, makes them durable and moves them into the warehouse.
 *
 * The path of a batch: the body is parsed and each event checked (ingest/checked-events.ts; on a
 * worker thread for a batch, check-thread.ts), which hands back the passing events' ids, times and
 * products and their rows as one JSON array. Then, on this thread, in one synchronous pass: ids
 * already stored (among the stored events of the batch's time span: a retry is the same event at
 * the same time), already waiting in the log, or repeated in the batch are duplicates; events naming
 * a product the catalogue lacks are rejected; the rest are reserved (so a concurrent retry sees
 * them). Their JSON, as the check wrote it, is appended to the event log as one record and fsync'd,
 * and only then acknowledged. A flush, on a timer or when the log holds `flushEvents` events, seals
 * the log segment, has DuckDB read the records' JSON into `events` in one write transaction
 * (warehouse/live-events.ts) and deletes the segment after the commit. On start, segments a crash
 * left behind are replayed before any request is served. The insert checks every id against the
 * whole table, so nothing is stored twice: a segment committed just before a crash, or an event_id
 * reused for an event at another time (stored once, the first; the response may have counted it
 * accepted). This thread never holds the events as objects: it parses nothing and serialises
 * nothing but ids.
 *
 * @example
 *   const ingest = await EventIngest.start({ store: ctx.db, logPath: `${ctx.config.dbPath}.events.wal`, log: ctx.log });
 *   ctx.onClose(() => ingest.close());
 *   const outcome = await ingest.submitBody(req.body); // { accepted, duplicates, rejected } or { error }
 */
import type { FastifyBaseLogger } from 'fastify';
import {
  checkEventBody,
  elementOf,
  jsonArrayOf,
  type CheckedEvents,
  type EventBodyError,
} from '../../ingest/checked-events.js';
import type { EventRejection, LiveEvent } from '../../ingest/live-event.js';
import {
  insertEventJson,
  joinJsonArrays,
  newestEventMs,
  storedEventIds,
  unknownProductIds,
} from '../../warehouse/live-events.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import type { WriteScope } from '../db-pool.js';
import { EventCheckThread } from './check-thread.js';
import { CommittedIds } from './committed-ids.js';
import { EventLog, type Segment } from './event-log.js';

/** The part of the server's warehouse pool ingestion uses (ServerWarehouse has it). */
export interface EventStore {
  read<T>(fn: (wh: Warehouse) => Promise<T>): Promise<T>;
  write<T>(fn: (wh: Warehouse) => Promise<T>, scope?: WriteScope): Promise<T>;
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
  /**
   * Bodies of at least this many bytes are parsed and checked on a worker thread (check-thread.ts);
   * smaller ones on the calling thread, where a thread hop would cost more than the work.
   */
  readonly offThreadBytes?: number;
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

/**
 * What the log keeps in memory of a record (the accepted events of one request): their ids and
 * times, for the flush's bookkeeping. The events themselves are the record's JSON, read by the
 * warehouse; the main thread never holds them as objects.
 */
interface LoggedBatch {
  readonly ids: readonly string[];
  readonly times: ArrayLike<number>;
}

/** A record read back at start (LiveEvent rows as logged) as its ids and times. */
const reviveBatch = (parsed: unknown): LoggedBatch => {
  const events = parsed as readonly LiveEvent[];
  return { ids: events.map((e) => e.event_id), times: events.map((e) => Date.parse(e.occurred_at)) };
};

/** A body larger than this (bytes) is checked off the main thread by default: about 30 events. */
const OFF_THREAD_BYTES = 8 * 1024;

export class EventIngest {
  /** Ids accepted and not yet committed to the warehouse (reserved, in the log, or being flushed). */
  private readonly pending = new Set<string>();
  /** Sealed segments not committed yet (a failed flush leaves them for the next). */
  private unflushed: Segment<LoggedBatch>[] = [];
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
  private readonly offThreadBytes: number;
  private readonly now: () => number;
  private readonly checker = new EventCheckThread();

  private readonly committed: CommittedIds;

  private constructor(
    private readonly options: EventIngestOptions,
    private readonly eventLog: EventLog<LoggedBatch>,
    newestStoredMs: number | null,
  ) {
    this.committed = new CommittedIds(floorAfter(newestStoredMs), options.rememberIds ?? 500_000);
    this.flushEvents = options.flushEvents ?? 20_000;
    this.maxBacklog = options.maxBacklog ?? 500_000;
    this.offThreadBytes = options.offThreadBytes ?? OFF_THREAD_BYTES;
    this.now = options.now ?? Date.now;
  }

  /** Opens the log, replays what an earlier run left in it, and starts the flush timer. */
  static async start(options: EventIngestOptions): Promise<EventIngest> {
    const { log, recovered, tornBytes } = await EventLog.open<LoggedBatch>(options.logPath, reviveBatch);
    if (tornBytes > 0) {
      options.log.warn(
        { logPath: options.logPath, tornBytes },
        'event log: a torn tail (a write cut off by a crash, never acknowledged) was set aside as *.torn-*',
      );
    }
    if (recovered.length) {
      const events = recovered.reduce((n, s) => n + eventsIn(s), 0);
      const result = await options.store.write(
        (wh) => insertEventJson(wh, joinJsonArrays(recovered.flatMap((s) => s.json))),
        'events',
      );
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
   * A request body (UTF-8 JSON: one event or `{"batch": [...]}`): parsed and checked (on the
   * worker thread when large), then taken: the accepted events made durable, and what happened to each
   * said (index = position in the request). A body that is not one, whole, comes back as `{ error }`
   * and nothing of it is taken. Throws IngestBacklogError when the warehouse is too far behind.
   */
  async submitBody(body: Uint8Array): Promise<IngestOutcome | { error: EventBodyError }> {
    const now = this.now();
    const checked =
      body.byteLength >= this.offThreadBytes
        ? await this.checker.check(body, now)
        : checkEventBody(body, now);
    if ('error' in checked) return checked;
    return this.take(checked);
  }

  /** Takes checked events: duplicates and unknown products set aside, the rest logged (fsync) and reserved. */
  private async take(c: CheckedEvents): Promise<IngestOutcome> {
    const rejected = [...c.rejected];
    const n = c.ids.length;
    if (n && this.pending.size + n > this.maxBacklog) {
      throw new IngestBacklogError(
        `${this.pending.size.toLocaleString('en-US')} accepted events are waiting for the warehouse; retry shortly`,
      );
    }
    if (n === 0) return { accepted: 0, duplicates: 0, rejected };
    // A retry carries its events' own times: only stored events of the batch's time span can be it.
    let fromMs = c.times[0]!;
    let toMs = fromMs;
    for (let k = 1; k < n; k++) {
      const t = c.times[k]!;
      if (t < fromMs) fromMs = t;
      else if (t > toMs) toMs = t;
    }
    const span: Span = { fromMs, toMs };
    let unknown: ReadonlySet<number> | null = null;
    const asked = c.products.filter((p) => !this.knownProducts.has(p));
    if (asked.length) {
      const missing = await this.options.store.read((wh) => unknownProductIds(wh, asked));
      for (const p of asked) if (!missing.has(p)) this.knownProducts.add(p);
      if (missing.size) unknown = new Set(c.products.flatMap((p, i) => (missing.has(p) ? [i] : [])));
    }
    // The memory of committed ids answers when it covers the span (the usual case: recent events).
    const accepted = this.committed.covers(fromMs)
      ? this.reserve(c, span, unknown, null, rejected)
      : await this.reserveAfterWarehouse(c, span, unknown, rejected);
    const duplicates = n - accepted.length - (rejected.length - c.rejected.length);
    rejected.sort((a, b) => a.index - b.index);
    if (accepted.length === 0) return { accepted: 0, duplicates, rejected };

    const ids = accepted.length === n ? c.ids : accepted.map((k) => c.ids[k]!);
    const times = accepted.length === n ? c.times : accepted.map((k) => c.times[k]!);
    const json = accepted.length === n ? c.json : jsonArrayOf(accepted.map((k) => elementOf(c, k)));
    try {
      await this.eventLog.append({ ids, times }, json);
    } catch (err) {
      for (const id of ids) this.pending.delete(id);
      throw err;
    }
    this.activeEvents += accepted.length;
    if (this.activeEvents >= this.flushEvents) void this.flushQuietly();
    return { accepted: accepted.length, duplicates, rejected };
  }

  /**
   * Reserves the batch's new events in `pending` (so a concurrent retry sees them) and returns
   * their indexes in `c`; repeats of a pending, reserved or stored id are duplicates, events naming
   * an unknown product (`unknown`: indexes into c.products) are added to `rejected`. Synchronous:
   * nothing else runs between the checks and the reservation. `stored` is the warehouse's answer
   * for the span, or null to ask the memory of committed ids.
   */
  private reserve(
    c: CheckedEvents,
    span: Span,
    unknown: ReadonlySet<number> | null,
    stored: ((id: string) => boolean) | null,
    rejected: EventRejection[],
  ): number[] {
    const accepted: number[] = [];
    // Ids of this batch rejected for their product: a repeat of one is a duplicate, as it was sent.
    let refused: Set<string> | null = null;
    for (let k = 0; k < c.ids.length; k++) {
      const id = c.ids[k]!;
      if (
        this.pending.has(id) ||
        (stored === null ? this.committed.storedWithin(id, span.fromMs, span.toMs) : stored(id)) ||
        refused?.has(id)
      )
        continue;
      if (unknown?.has(c.productOf[k]!)) {
        (refused ??= new Set()).add(id);
        const product = c.products[c.productOf[k]!]!;
        rejected.push({
          index: c.positions[k]!,
          event_id: id,
          field: 'product_id',
          reason: `unknown product '${product}': it is not in the catalogue (add it with PUT /v1/products/:id first)`,
        });
        continue;
      }
      this.pending.add(id);
      accepted.push(k);
    }
    return accepted;
  }

  /** reserve() for a span the memory does not cover: the warehouse answers (one read). */
  private async reserveAfterWarehouse(
    c: CheckedEvents,
    span: Span,
    unknown: ReadonlySet<number> | null,
    rejected: EventRejection[],
  ): Promise<number[]> {
    const generation = this.flushGeneration;
    this.checking.set(generation, (this.checking.get(generation) ?? 0) + 1);
    let stored: Set<string>;
    try {
      stored = await this.options.store.read((wh) =>
        storedEventIds(wh, c.ids, { from: isoOf(span.fromMs), to: isoOf(span.toMs) }),
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
      c,
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
    await this.options.store.write(
      async (wh) => this.committed.reset(floorAfter(await newestEventMs(wh))),
      'events',
    );
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
    await this.checker.close();
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

  /**
   * One flush: seal the active segment, write every unflushed segment's events to the warehouse in
   * one transaction (insertEventJson), then the bookkeeping of what was committed, then delete the
   * segments. Work that must happen with the events' commit belongs in that transaction.
   */
  private async flushOnce(): Promise<number> {
    const sealed = await this.eventLog.seal();
    if (sealed) {
      this.unflushed.push(sealed);
      this.activeEvents -= eventsIn(sealed);
    }
    if (this.unflushed.length === 0) return 0;
    const segments = [...this.unflushed];
    const batches = segments.flatMap((s) => s.records);
    const alreadyStored = new Set<string>();
    const json = joinJsonArrays(segments.flatMap((s) => s.json));
    const result = await this.options.store.write((wh) => insertEventJson(wh, json, alreadyStored), 'events');
    this.unflushed = this.unflushed.filter((s) => !segments.includes(s));
    // What this commit stored joins the memory before its ids leave `pending`, with no await
    // between: a retry always finds them in one or the other. (An id is pending from its
    // acceptance to its commit, so it is in one record of one flush only.)
    for (const b of batches) {
      if (alreadyStored.size === 0) this.committed.add(b.ids, b.times);
      else {
        const keep = b.ids.flatMap((id, k) => (alreadyStored.has(id) ? [] : [k]));
        this.committed.add(
          keep.map((k) => b.ids[k]!),
          keep.map((k) => b.times[k]!),
        );
      }
    }
    this.flushGeneration++;
    if (this.checking.size) {
      const ids = new Set<string>();
      for (const b of batches) for (const id of b.ids) ids.add(id);
      this.recentlyFlushed.push({ generation: this.flushGeneration, ids });
    }
    for (const b of batches) for (const id of b.ids) this.pending.delete(id);
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

/** A batch's time span in epoch milliseconds. */
interface Span {
  readonly fromMs: number;
  readonly toMs: number;
}

/** ISO 8601 UTC with milliseconds, as LiveEvent.occurred_at. */
const isoOf = (ms: number): string => new Date(ms).toISOString();

/** The memory's floor for a table whose newest event is dated `newestMs` (null: empty table). */
const floorAfter = (newestMs: number | null): number => (newestMs === null ? -Infinity : newestMs + 1);

/** Events in a segment. */
const eventsIn = (s: Segment<LoggedBatch>): number => s.records.reduce((n, r) => n + r.ids.length, 0);
