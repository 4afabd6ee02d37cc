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
 * groups) and filtered by type before any JSON is read, so a sweep reads about one window of events.
 *
 * @example
 *   await openDecisionCount(wh); // 3
 *   await decisionsToReward(wh, { closedBefore: new Date(), limit: 10_000 }); // [{ decisionId, eventId }]
 */
import type { Warehouse } from './warehouse.js';

/** A decision the events settle: rewarded by `eventId`, or closed at 0 when it is null. */
export interface EventRewardMatch {
  readonly decisionId: string;
  readonly eventId: string | null;
}

/** Decisions waiting for a reward from the events (none: a sweep has nothing to read). */
export async function openDecisionCount(wh: Warehouse): Promise<number> {
  const [r] = await wh.rows<{ n: number }>(
    `SELECT CAST(count(*) AS INTEGER) AS n FROM bandit_decisions
     WHERE reward IS NULL AND reward_closes_at IS NOT NULL`,
  );
  return r?.n ?? 0;
}

/** Open decisions that an event rewards or whose window closed before `closedBefore`, oldest first. */
export async function decisionsToReward(
  wh: Warehouse,
  o: { readonly closedBefore: Date; readonly limit: number },
): Promise<EventRewardMatch[]> {
  if (!Number.isSafeInteger(o.limit) || o.limit < 1) throw new RangeError(`limit ${o.limit}`);
  const rows = await wh.rows<{ decision_id: string; event_id: string | null }>(
    `WITH rule_types AS (
       SELECT policy_id, unnest(from_json(json_extract(reward_rule, '$.events'), '["VARCHAR"]')) AS type
       FROM bandit_policies WHERE reward_rule IS NOT NULL
     ),
     open AS (
       SELECT decision_id, policy_id, decided_at, reward_closes_at AS closes_at
       FROM bandit_decisions WHERE reward IS NULL AND reward_closes_at IS NOT NULL
     ),
     since AS (SELECT min(decided_at) - INTERVAL 5 MINUTE AS t FROM open),
     ev AS (
       SELECT event_id, type, customer_id, occurred_at,
              json_extract_string(properties, '$.decision_id') AS named
       FROM events
       WHERE occurred_at >= (SELECT t FROM since) AND type IN (SELECT type FROM rule_types)
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
       WHERE e.named IS NULL AND d.reward_closes_at IS NOT NULL AND d.decided_at >= (SELECT t FROM since)
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
     WHERE m.event_id IS NOT NULL OR o.closes_at <= CAST(left(?, 23) AS TIMESTAMP)
     ORDER BY o.decided_at, o.decision_id
     LIMIT ${o.limit}`,
    [o.closedBefore.toISOString()],
  );
  return rows.map((r) => ({ decisionId: r.decision_id, eventId: r.event_id }));
}
