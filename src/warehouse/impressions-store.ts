/**
 * @module warehouse/impressions-store
 * The SQL behind `recommendation_impressions` (migration 7): one row per recommendation response,
 * written in batches by the server's impression buffer (tasks/recommend/impression-buffer.ts), read
 * by the feedback-loop analytics (events that come back with the request id are attributed to it).
 *
 * @example
 *   await insertImpressions(wh, [{ requestId: 'r1', servedAt: new Date(), surface: 'user', ... }]);
 */
import type { Impression } from '../tasks/recommend/impression-buffer.js';
import type { SqlValue, Warehouse } from './warehouse.js';

const COLUMNS = [
  'request_id',
  'served_at',
  'surface',
  'customer_id',
  'anonymous_id',
  'session_id',
  'task',
  'model_version',
  'variant',
  'product_ids',
];
/** Rows per INSERT statement (10 placeholders each). */
const BATCH = 500;
const ONE = `(${COLUMNS.map((c) => (c === 'product_ids' ? 'CAST(CAST(? AS JSON) AS VARCHAR[])' : '?')).join(', ')})`;

function values(i: Impression): SqlValue[] {
  return [
    i.requestId,
    i.servedAt,
    i.surface,
    i.customerId,
    i.anonymousId,
    i.sessionId,
    i.task,
    i.modelVersion,
    i.variant,
    JSON.stringify(i.productIds),
  ];
}

/**
 * Inserts the impressions in one transaction. A request id already stored is kept as it was (a
 * client that reuses its x-request-id gets the first response's impression, not an error that
 * would block the rest of the batch).
 */
export async function insertImpressions(wh: Warehouse, rows: readonly Impression[]): Promise<void> {
  // Duplicates inside one batch are dropped here: ON CONFLICT only sees rows already stored.
  const seen = new Set<string>();
  const unique = rows.filter((r) => !seen.has(r.requestId) && Boolean(seen.add(r.requestId)));
  if (!unique.length) return;
  await wh.transaction(async () => {
    for (let i = 0; i < unique.length; i += BATCH) {
      const part = unique.slice(i, i + BATCH);
      await wh.exec(
        `INSERT INTO recommendation_impressions (${COLUMNS.join(', ')})
         VALUES ${part.map(() => ONE).join(', ')} ON CONFLICT (request_id) DO NOTHING`,
        part.flatMap(values),
      );
    }
  });
}
