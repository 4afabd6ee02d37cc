/**
 * @module warehouse/clickhouse/live-events
 * The reads the API's event ingest makes on ClickHouse before it takes a batch (the writes go
 * through event-batcher.ts): which of the batch's event ids are stored already, and which of its
 * products the catalogue has. Ids and products reach SQL only as escaped literals (format-value.ts).
 */
import type { ClickHouseStore } from './clickhouse-store.js';
import { chString } from './format-value.js';

const inList = (values: readonly string[]): string => values.map(chString).join(', ');

/**
 * The ids among `ids` that `events` holds (every shard asked: an event is on its customer's shard).
 * The table is ordered by event_id, so each shard reads only the index granules of those ids.
 */
export async function chStoredEventIds(ch: ClickHouseStore, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await ch.rows<{ event_id: string }>(
    `SELECT DISTINCT event_id FROM events WHERE event_id IN (${inList(ids)})`,
  );
  return new Set(rows.map((r) => r.event_id));
}

/** The product ids among `ids` that are in the catalogue (every node holds all of it). */
export async function chKnownProductIds(ch: ClickHouseStore, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await ch.rows<{ product_id: string }>(
    `SELECT DISTINCT product_id FROM products WHERE product_id IN (${inList(ids)})`,
  );
  return new Set(rows.map((r) => r.product_id));
}
