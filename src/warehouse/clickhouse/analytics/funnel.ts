/**
 * @module warehouse/clickhouse/analytics/funnel
 * analytics/funnel.ts on ClickHouse: the same sessions (session_id; else the customer, else the
 * anonymous visitor, per UTC day; else the event alone) and the same counts, in 18.16 SQL (max() of
 * a condition for bool_or, countIf for FILTER; the session as one hashed key, below). The sessions
 * are grouped through the Distributed events: each shard groups its rows and the initiator merges
 * the groups, so a session whose events sit on two shards (a visitor who logs
 * in mid-session) is still one session. The result is assembled by DuckDB's funnelResult.
 */
import {
  funnelResult,
  type FunnelOptions,
  type FunnelResult,
  type FunnelRow,
} from '../../analytics/funnel.js';
import { resolvePeriod } from '../../analytics/period.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { fromCond, toCond } from './sql.js';

/**
 * One group per session, keyed by the 128-bit SipHash of a text that names the session uniquely
 * (a kind letter; the UTC day, fixed width, before a visitor's id): 16 bytes a group instead of five
 * nullable columns (about 100 bytes), so a shard's GROUP BY over 36M events (100M in the store)
 * stays under a server's per-query memory limit (it failed at 1.9 GB with the five columns). Two
 * sessions would merge only on a SipHash-128 collision (about 1e-23 for 1e8 sessions).
 */
const SESSION_KEY = `sipHash128(multiIf(
    session_id IS NOT NULL, concat('s', assumeNotNull(session_id)),
    customer_id IS NOT NULL, concat('c', toString(toDate(occurred_at)), assumeNotNull(customer_id)),
    anonymous_id IS NOT NULL, concat('a', toString(toDate(occurred_at)), assumeNotNull(anonymous_id)),
    concat('e', event_id)))`;

export async function chFunnel(ch: ClickHouseStore, options: FunnelOptions = {}): Promise<FunnelResult> {
  const period = resolvePeriod(options.period);
  const [r] = await ch.rows<Record<keyof FunnelRow, string>>(`
    SELECT count() AS sessions, countIf(v) AS views, countIf(c) AS carts, countIf(p) AS purchases,
           countIf(v AND c) AS view_cart, countIf(v AND c AND p) AS view_cart_purchase
    FROM (
      SELECT max(type = 'view') AS v, max(type = 'add_to_cart') AS c, max(type = 'purchase') AS p
      FROM events
      WHERE ${fromCond('occurred_at', period)} AND ${toCond('occurred_at', period)}
      GROUP BY ${SESSION_KEY}
    )`);
  const row = r
    ? (Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as FunnelRow)
    : undefined;
  return funnelResult(period, row);
}
