/**
 * @module warehouse/clickhouse/analytics/rfm-of-customer
 * One customer's RFM scores as of a day on a cluster, as chRfm would score them (a profile's RFM),
 * without scoring the whole store per call. A score depends on the rest of the store only through
 * four cut points per measure (analytics/rfm-scores.ts quintileCuts), so those are taken once per
 * day asked and per version of the store's order data, and kept; each call then reads only the
 * customer's orders, lines and history (one shard's rows) and checks the version.
 *
 * The version is the set of active parts of orders, order_items and order_status_history on every
 * node (system.parts): any insert, re-import, mutation (forget, anonymise) or truncate makes new
 * parts, so the cut points are never reused after the data changed, whichever process wrote it; a
 * merge changes the parts too (a needless recount, not a wrong answer). Writes racing a call can make
 * that one answer mix old cut points with the customer's new rows; the next call sees the new version.
 *
 * @example
 *   const row = await chRfmOfCustomer(ch, '12347', '2011-12-10');
 *   row?.segment; // the segment chRfm(ch, { asOf: '2011-12-10' }) gives 12347; null for a prospect
 */
import { rfmCuts, scoreRfmByCuts, type RfmCuts } from '../../analytics/rfm-scores.js';
import { rfmAsOfDay, type RfmCustomer } from '../../analytics/rfm.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { chRfmValues, RFM_AMOUNT_SCALE } from './rfm.js';

/** The days kept per store (a profile's day is usually the store's latest, so one or two are used). */
const DAYS_KEPT = 8;

interface Kept {
  readonly version: string;
  readonly cuts: Promise<RfmCuts>;
}

const kept = new WeakMap<ClickHouseStore, Map<string, Kept>>();

/** What the RFM values are read from, as it stands: every node's active parts of those tables. */
async function orderDataVersion(ch: ClickHouseStore): Promise<string> {
  const nodes = await ch.rowsOnEachNode<{ part: string }>(
    `SELECT concat(table, '/', name) AS part FROM system.parts
     WHERE database = currentDatabase() AND active
       AND table IN ('orders_local', 'order_items_local', 'order_status_history_local')
     ORDER BY part`,
  );
  return nodes.map((parts) => parts.map((p) => p.part).join(',')).join(';');
}

/** The store's cut points for the day, from the kept ones while the order data is unchanged. */
async function cutsFor(ch: ClickHouseStore, asOf: string): Promise<RfmCuts> {
  const version = await orderDataVersion(ch);
  const days = kept.get(ch) ?? new Map<string, Kept>();
  kept.set(ch, days);
  const hit = days.get(asOf);
  if (hit && hit.version === version) return hit.cuts;
  const cuts = chRfmValues(ch, asOf).then(rfmCuts);
  // Oldest first: a Map keeps insertion order, so the first key is the day to drop.
  days.delete(asOf);
  if (days.size >= DAYS_KEPT) days.delete(days.keys().next().value!);
  days.set(asOf, { version, cuts });
  // A failed count (a node restarting) is not kept.
  cuts.catch(() => {
    if (days.get(asOf)?.cuts === cuts) days.delete(asOf);
  });
  return cuts;
}

/** The customer's RFM row as of the day (`asOf` 'YYYY-MM-DD'), or null without a sale before it. */
export async function chRfmOfCustomer(
  ch: ClickHouseStore,
  customerId: string,
  asOf: string,
): Promise<RfmCustomer | null> {
  const day = rfmAsOfDay(asOf);
  const [values] = await chRfmValues(ch, day, customerId);
  // A prospect (no sale before the day) has no scores: the store's cut points are not needed.
  return values ? scoreRfmByCuts(await cutsFor(ch, day), values, RFM_AMOUNT_SCALE) : null;
}
