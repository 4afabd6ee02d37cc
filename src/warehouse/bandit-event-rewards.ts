/**
 * @module warehouse/bandit-event-rewards
 * The SQL that finds which open bandit decisions the stored feedback events reward (issue 11; the
 * rule and its reasons are in tasks/marketing/event-rewards.ts). A decision is open when it has a
 * reward window (its policy has a reward rule) and no reward yet.
 *
 * An event of one of its policy's reward types rewards an open decision when
 *   - it names the decision (`properties.decision_id`, where a top-level `decision_id` is kept too)
 *     and happened before the window closed; an event that names a decision counts for that one only;
 *   - or, naming none, it is by the decision's customer, at or after the decision and before its
 *     window closed, and the decision is the policy's latest for that customer at the event's time
 *     (last touch: a later decision takes the credit, even one already rewarded).
 * The earliest such event is the one recorded. A decision whose window closed before `closedBefore`
 * with no such event is returned with no event (its reward is 0).
 *
 * Cost: events are read from `min(open decided_at) - 5 min` on (the table's zone maps skip older row
 * groups) and filtered by type before any JSON is read, so a sweep reads about one window of events;
 * nothing at all while no decision is open.
 *
 * @example
 *   const open = await openDecisions(wh); // { count: 3, oldest, types: ['purchase'] }
 *   await decisionsToReward(wh, { open, closedBefore: new Date(), limit: 10_000 }); // [{ decisionId, eventId }]
 */
import { literal } from './duckdb/sql-types.js';
import type { Warehouse } from './warehouse.js';

/** A decision the events settle: rewarded by `eventId`, or closed at 0 when it is null. */
export interface EventRewardMatch {
  readonly decisionId: string;
  readonly eventId: string | null;
}

/** What the open decisions need: how many, the oldest, and the event types their policies count. */
export interface OpenDecisions {
  readonly count: number;
  /** decided_at of the oldest open decision (null when none is open). */
  readonly oldest: Date | null;
  readonly types: readonly string[];
}

/** One small query over the decision log: a sweep with nothing open reads no event. */
export async function openDecisions(wh: Warehouse): Promise<OpenDecisions> {
  const [r] = await wh.rows<{ n: number; oldest: Date | null; types: string | null }>(
    `WITH open AS (
       SELECT policy_id, decided_at FROM bandit_decisions
       WHERE reward IS NULL AND reward_closes_at IS NOT NULL
     )
     SELECT CAST((SELECT count(*) FROM open) AS INTEGER) AS n, (SELECT min(decided_at) FROM open) AS oldest,
            (SELECT CAST(to_json(list(DISTINCT t.type ORDER BY t.type)) AS VARCHAR)
             FROM (SELECT unnest(from_json(json_extract(p.reward_rule, '$.events'), '["VARCHAR"]')) AS type
                   FROM bandit_policies p WHERE p.policy_id IN (SELECT policy_id FROM open)) t) AS types`,
  );
  return {
    count: r?.n ?? 0,
    oldest: r?.oldest ?? null,
    types: r?.types ? (JSON.parse(r.types) as string[]) : [],
  };
}

/** A timestamp literal in UTC (DuckDB's TIMESTAMP has no zone; the tables hold UTC). */
const timestamp = (d: Date): string => `TIMESTAMP '${d.toISOString().slice(0, 23).replace('T', ' ')}'`;

/**
 * Open decisions that an event rewards or whose window closed before `closedBefore`, oldest first.
 * `open` is what openDecisions answered: its oldest time and types go into the SQL as constants, so
 * the scan of `events` is pruned by the zone maps and filtered by type before any JSON is read.
 */
export async function decisionsToReward(
  wh: Warehouse,
  o: { readonly open: OpenDecisions; readonly closedBefore: Date; readonly limit: number },
): Promise<EventRewardMatch[]> {
  if (!Number.isSafeInteger(o.limit) || o.limit < 1) throw new RangeError(`limit ${o.limit}`);
  if (o.open.count === 0 || o.open.oldest === null) return [];
  // Named events may carry a client clock a little behind the server's: 5 minutes (the ingest's skew).
  const since = timestamp(new Date(o.open.oldest.getTime() - 5 * 60_000));
  const types = o.open.types.length ? o.open.types.map(literal).join(', ') : 'NULL';
  const rows = await wh.rows<{ decision_id: string; event_id: string | null }>(
    `WITH rule_types AS (
       SELECT policy_id, unnest(from_json(json_extract(reward_rule, '$.events'), '["VARCHAR"]')) AS type
       FROM bandit_policies WHERE reward_rule IS NOT NULL
     ),
     open AS MATERIALIZED (
       SELECT decision_id, policy_id, decided_at, reward_closes_at AS closes_at
       FROM bandit_decisions WHERE reward IS NULL AND reward_closes_at IS NOT NULL
     ),
     ev AS MATERIALIZED (
       SELECT event_id, type, customer_id, occurred_at,
              json_extract_string(properties, '$.decision_id') AS named
       FROM events
       WHERE occurred_at >= ${since} AND type IN (${types})
     ),
     named AS (
       SELECT o.decision_id, e.event_id, e.occurred_at
       FROM ev e
       JOIN open o ON o.decision_id = e.named
       JOIN rule_types r ON r.policy_id = o.policy_id AND r.type = e.type
       WHERE e.occurred_at < o.closes_at
     ),
     touch AS (
       SELECT e.event_id, e.occurred_at, d.decision_id,
              row_number() OVER (PARTITION BY e.event_id, d.policy_id
                                 ORDER BY d.decided_at DESC, d.decision_id DESC) AS k
       FROM ev e
       JOIN bandit_decisions d ON d.customer_id = e.customer_id AND d.decided_at <= e.occurred_at
       JOIN rule_types r ON r.policy_id = d.policy_id AND r.type = e.type
       WHERE e.named IS NULL AND d.reward_closes_at IS NOT NULL AND d.decided_at >= ${since}
     ),
     by_customer AS (
       SELECT o.decision_id, t.event_id, t.occurred_at
       FROM touch t JOIN open o ON o.decision_id = t.decision_id
       WHERE t.k = 1 AND t.occurred_at < o.closes_at
     ),
     matched AS (
       SELECT decision_id, first(event_id ORDER BY occurred_at, event_id) AS event_id
       FROM (SELECT * FROM named UNION ALL SELECT * FROM by_customer)
       GROUP BY decision_id
     )
     SELECT o.decision_id, m.event_id
     FROM open o LEFT JOIN matched m ON m.decision_id = o.decision_id
     WHERE m.event_id IS NOT NULL OR o.closes_at <= ${timestamp(o.closedBefore)}
     ORDER BY o.decided_at, o.decision_id
     LIMIT ${o.limit}`,
  );
  return rows.map((r) => ({ decisionId: r.decision_id, eventId: r.event_id }));
}
