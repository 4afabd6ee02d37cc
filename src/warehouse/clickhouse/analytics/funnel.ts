/**
 * @module warehouse/clickhouse/analytics/funnel
 * analytics/funnel.ts on ClickHouse: the same sessions (session_id; else the customer, else the
 * anonymous visitor, per UTC day; else the event alone) and the same counts, in 18.16 SQL (max() of
 * a condition for bool_or, countIf for FILTER; GROUP BY keeps NULL keys as one group, as DuckDB
 * does). The sessions are grouped through the Distributed events: each shard groups its rows and
 * the initiator merges the groups, so a session whose events sit on two shards (a visitor who logs
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

export async function chFunnel(ch: ClickHouseStore, options: FunnelOptions = {}): Promise<FunnelResult> {
  const period = resolvePeriod(options.period);
  const [r] = await ch.rows<Record<keyof FunnelRow, string>>(`
    SELECT count() AS sessions, countIf(v) AS views, countIf(c) AS carts, countIf(p) AS purchases,
           countIf(v AND c) AS view_cart, countIf(v AND c AND p) AS view_cart_purchase
    FROM (
      SELECT max(type = 'view') AS v, max(type = 'add_to_cart') AS c, max(type = 'purchase') AS p
      FROM events
      WHERE ${fromCond('occurred_at', period)} AND ${toCond('occurred_at', period)}
      GROUP BY session_id,
               if(session_id IS NULL, customer_id, NULL),
               if(session_id IS NULL AND customer_id IS NULL, anonymous_id, NULL),
               if(session_id IS NULL, toDate(occurred_at), NULL),
               if(session_id IS NULL AND customer_id IS NULL AND anonymous_id IS NULL, event_id, NULL)
    )`);
  const row = r
    ? (Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as FunnelRow)
    : undefined;
  return funnelResult(period, row);
}
