/**
 * @module server/events/clickhouse-ingest
 * `POST /v1/events` when the store is a ClickHouse cluster. The same checks as on DuckDB
 * (ingest/checked-events.ts, on a worker thread for a large body), the same answer
 * ({accepted, duplicates, rejected}); the events go into ClickHouse through this process's
 * ClickHouseEventBatcher, and a request is answered once its events are stored on every shard.
 *
 * What differs from the DuckDB path (docs/clickhouse.md, "Serving"): there is no event log on this
 * machine (several `shopsight serve` processes share the cluster, none owns it): an acknowledged event
 * is in ClickHouse, and one not yet acknowledged when the process is SIGKILLed is lost (the client,
 * not having its answer, retries; a retry is stored once). Duplicates are the ids stored already, in
 * this process's batcher, or repeated in the request; the same new id sent through two processes at
 * once is counted accepted by both and stored once (events is a ReplacingMergeTree by event_id).
 * Live events give no customers row here (a ClickHouse customers row replaced by one from an event
 * would lose its e-mail and country): customers come from imports.
 */
import { checkEventBody, type CheckedEvents, type EventBodyError } from '../../ingest/checked-events.js';
import type { EventRejection, LiveEvent } from '../../ingest/live-event.js';
import type { ClickHouseStore } from '../../warehouse/clickhouse/clickhouse-store.js';
import {
  ClickHouseEventBatcher,
  type EventBatcherOptions,
} from '../../warehouse/clickhouse/event-batcher.js';
import { chKnownProductIds, chStoredEventIds } from '../../warehouse/clickhouse/live-events.js';
import { EventCheckThread } from './check-thread.js';
import type { IngestOutcome } from './event-ingest.js';

/** Bodies of at least this many bytes are checked on the worker thread (as event-ingest.ts does). */
const OFF_THREAD_BYTES = 8 * 1024;

export class ClickHouseEventIngest {
  readonly batcher: ClickHouseEventBatcher;
  private readonly checker = new EventCheckThread();
  /** Products found in the catalogue (none is deleted, so one found stays known). */
  private readonly knownProducts = new Set<string>();
  /** Ids handed to the batcher and not yet stored: a retry of one during that time is a duplicate. */
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly ch: ClickHouseStore,
    options: EventBatcherOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.batcher = ClickHouseEventBatcher.forStore(ch, options);
  }

  async submitBody(body: Uint8Array): Promise<IngestOutcome | { error: EventBodyError }> {
    const now = this.now();
    const checked =
      body.byteLength >= OFF_THREAD_BYTES ? await this.checker.check(body, now) : checkEventBody(body, now);
    if ('error' in checked) return checked;
    return this.take(checked);
  }

  /** Writes what is buffered and stops the check thread (the server's shutdown). */
  async close(): Promise<void> {
    try {
      await this.batcher.close();
    } finally {
      await this.checker.close();
    }
  }

  private async take(c: CheckedEvents): Promise<IngestOutcome> {
    const rejected: EventRejection[] = [...c.rejected];
    const n = c.ids.length;
    if (n === 0) return { accepted: 0, duplicates: 0, rejected };
    const asked = c.products.filter((p) => !this.knownProducts.has(p));
    const [found, stored] = await Promise.all([
      chKnownProductIds(this.ch, asked),
      chStoredEventIds(this.ch, c.ids),
    ]);
    for (const p of found) this.knownProducts.add(p);
    const rows = JSON.parse(
      Buffer.from(c.json.buffer, c.json.byteOffset, c.json.byteLength).toString('utf8'),
    ) as LiveEvent[];
    const take: LiveEvent[] = [];
    const seen = new Set<string>();
    let duplicates = 0;
    for (let k = 0; k < n; k++) {
      const id = c.ids[k]!;
      if (stored.has(id) || this.inFlight.has(id) || seen.has(id)) {
        duplicates++;
        continue;
      }
      seen.add(id);
      const product = c.productOf[k]! >= 0 ? c.products[c.productOf[k]!]! : null;
      if (product !== null && !this.knownProducts.has(product)) {
        rejected.push({
          index: c.positions[k]!,
          event_id: id,
          field: 'product_id',
          reason: `unknown product '${product}': it is not in the catalogue (on ClickHouse the catalogue comes from shopsight import)`,
        });
        continue;
      }
      take.push(rows[k]!);
    }
    rejected.sort((a, b) => a.index - b.index);
    if (take.length) {
      for (const e of take) this.inFlight.add(e.event_id);
      try {
        await this.batcher.add(take);
      } finally {
        for (const e of take) this.inFlight.delete(e.event_id);
      }
    }
    return { accepted: take.length, duplicates, rejected };
  }
}
