/**
 * @module warehouse/bandit-store
 * The SQL behind online bandit decisions (migration "bandit policies and their decisions"): the
 * policies with their learnt state (an ml/artifact buffer) and reward rule (migration 19), and the
 * decision log with the propensity of each choice and its reward once it comes, with where it came
 * from (the reward route, an event, the end of the window).
 *
 * @example
 *   await insertPolicy(wh, { policyId: 'offers', kind: 'thompson', arms: ['a', 'b'], contextFeatures: [], state, rewardRule: null });
 *   await insertDecision(wh, { decisionId: 'req_1', policyId: 'offers', arm: 'a', propensity: 0.5, ... });
 *   await rewardDecision(wh, { decisionId: 'req_1', policyId: 'offers' }, 1, newState); // decision and state in one transaction
 */
import type { Warehouse } from './warehouse.js';

/** Which feedback events reward a policy's decisions (migration 19; tasks/marketing/event-rewards.ts). */
export interface StoredRewardRule {
  /** Event types (events.type) that count as a success. */
  readonly events: readonly string[];
  /** How long after a decision an event by its customer still counts. */
  readonly windowHours: number;
}

export type RewardSource = 'api' | 'event' | 'window';

export interface PolicyRow {
  readonly policyId: string;
  readonly kind: string;
  readonly arms: readonly string[];
  readonly contextFeatures: readonly string[];
  readonly state: Uint8Array;
  /** Null: rewards come only from the reward route. */
  readonly rewardRule: StoredRewardRule | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DecisionRow {
  readonly decisionId: string;
  readonly policyId: string;
  readonly customerId: string | null;
  readonly arm: string;
  readonly propensity: number;
  /** The context numbers in the policy's feature order (constant 1 first), or null for a context-free policy. */
  readonly context: readonly number[] | null;
  readonly decidedAt: Date;
  /** End of the reward window (null when the policy has no reward rule). */
  readonly rewardClosesAt: Date | null;
  readonly reward: number | null;
  readonly rewardedAt: Date | null;
  readonly rewardSource: RewardSource | null;
  /** The event that rewarded it (source 'event'). */
  readonly rewardEventId: string | null;
}

const ruleJson = (r: StoredRewardRule | null): string | null =>
  r ? JSON.stringify({ events: r.events, window_hours: r.windowHours }) : null;

function ruleOf(json: string | null): StoredRewardRule | null {
  if (json === null) return null;
  const r = JSON.parse(json) as { events: string[]; window_hours: number };
  return { events: r.events, windowHours: r.window_hours };
}

export async function insertPolicy(
  wh: Warehouse,
  p: Omit<PolicyRow, 'createdAt' | 'updatedAt'>,
  at = new Date(),
): Promise<PolicyRow> {
  await wh.exec(
    `INSERT INTO bandit_policies (policy_id, kind, arms, context_features, state, created_at, updated_at, reward_rule)
     VALUES (?, ?, ?::JSON, ?::JSON, ?, ?, ?, ?::JSON)`,
    [
      p.policyId,
      p.kind,
      JSON.stringify(p.arms),
      JSON.stringify(p.contextFeatures),
      p.state,
      at,
      at,
      ruleJson(p.rewardRule),
    ],
  );
  return { ...p, createdAt: at, updatedAt: at };
}

export async function readPolicy(wh: Warehouse, policyId: string): Promise<PolicyRow | undefined> {
  const [r] = await wh.rows<{
    kind: string;
    arms: string;
    context_features: string;
    state: Uint8Array;
    created_at: Date;
    updated_at: Date;
    reward_rule: string | null;
  }>(
    `SELECT kind, CAST(arms AS VARCHAR) AS arms, CAST(context_features AS VARCHAR) AS context_features,
            state, created_at, updated_at, CAST(reward_rule AS VARCHAR) AS reward_rule
     FROM bandit_policies WHERE policy_id = ?`,
    [policyId],
  );
  if (!r) return undefined;
  return {
    policyId,
    kind: r.kind,
    arms: JSON.parse(r.arms) as string[],
    contextFeatures: JSON.parse(r.context_features) as string[],
    state: r.state,
    rewardRule: ruleOf(r.reward_rule),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function policyIds(wh: Warehouse): Promise<string[]> {
  const rows = await wh.rows<{ policy_id: string }>(
    'SELECT policy_id FROM bandit_policies ORDER BY policy_id',
  );
  return rows.map((r) => r.policy_id);
}

export async function decisionExists(wh: Warehouse, decisionId: string): Promise<boolean> {
  const rows = await wh.rows('SELECT 1 AS one FROM bandit_decisions WHERE decision_id = ?', [decisionId]);
  return rows.length > 0;
}

export async function insertDecision(
  wh: Warehouse,
  d: Omit<DecisionRow, 'reward' | 'rewardedAt' | 'rewardSource' | 'rewardEventId'>,
): Promise<void> {
  await wh.exec(
    `INSERT INTO bandit_decisions (decision_id, policy_id, customer_id, arm, propensity, context, decided_at,
                                   reward_closes_at)
     VALUES (?, ?, ?, ?, ?, ?::JSON, ?, ?)`,
    [
      d.decisionId,
      d.policyId,
      d.customerId,
      d.arm,
      d.propensity,
      d.context ? JSON.stringify(d.context) : null,
      d.decidedAt,
      d.rewardClosesAt,
    ],
  );
}

type DecisionSqlRow = {
  decision_id: string;
  policy_id: string;
  customer_id: string | null;
  arm: string;
  propensity: number;
  context: string | null;
  decided_at: Date;
  reward_closes_at: Date | null;
  reward: number | null;
  rewarded_at: Date | null;
  reward_source: RewardSource | null;
  reward_event_id: string | null;
};

const DECISION_COLUMNS = `decision_id, policy_id, customer_id, arm, propensity, CAST(context AS VARCHAR) AS context,
  decided_at, reward_closes_at, reward, rewarded_at, reward_source, reward_event_id`;

const decisionOf = (r: DecisionSqlRow): DecisionRow => ({
  decisionId: r.decision_id,
  policyId: r.policy_id,
  customerId: r.customer_id,
  arm: r.arm,
  propensity: r.propensity,
  context: r.context ? (JSON.parse(r.context) as number[]) : null,
  decidedAt: r.decided_at,
  rewardClosesAt: r.reward_closes_at,
  reward: r.reward,
  rewardedAt: r.rewarded_at,
  rewardSource: r.reward_source,
  rewardEventId: r.reward_event_id,
});

export async function readDecision(wh: Warehouse, decisionId: string): Promise<DecisionRow | undefined> {
  const [r] = await wh.rows<DecisionSqlRow>(
    `SELECT ${DECISION_COLUMNS} FROM bandit_decisions WHERE decision_id = ?`,
    [decisionId],
  );
  return r ? decisionOf(r) : undefined;
}

/** The decisions among `ids` that have no reward yet, oldest first. */
export async function unrewardedDecisions(wh: Warehouse, ids: readonly string[]): Promise<DecisionRow[]> {
  if (ids.length === 0) return [];
  const rows = await wh.rows<DecisionSqlRow>(
    `SELECT ${DECISION_COLUMNS} FROM bandit_decisions
     WHERE reward IS NULL AND decision_id IN (SELECT unnest(from_json($1::VARCHAR, '["VARCHAR"]')))
     ORDER BY decided_at, decision_id`,
    [JSON.stringify(ids)],
  );
  return rows.map(decisionOf);
}

/** Marks the decision rewarded (by the reward route) and stores the policy's new state, both or neither. */
export async function rewardDecision(
  wh: Warehouse,
  d: { readonly decisionId: string; readonly policyId: string },
  reward: number,
  state: Uint8Array,
  at = new Date(),
): Promise<void> {
  await recordRewards(
    wh,
    [{ decisionId: d.decisionId, reward, source: 'api', eventId: null }],
    [{ policyId: d.policyId, state }],
    at,
  );
}

export interface RewardWrite {
  readonly decisionId: string;
  readonly reward: number;
  readonly source: RewardSource;
  readonly eventId: string | null;
}

/**
 * Marks decisions rewarded and stores their policies' new states, all or nothing. Only decisions
 * still without a reward are touched: the caller read them in the same write queue.
 */
export async function recordRewards(
  wh: Warehouse,
  rewards: readonly RewardWrite[],
  states: readonly { readonly policyId: string; readonly state: Uint8Array }[],
  at = new Date(),
): Promise<void> {
  if (rewards.length === 0) return;
  const list = JSON.stringify(
    rewards.map((r) => ({
      decision_id: r.decisionId,
      reward: r.reward,
      source: r.source,
      event_id: r.eventId,
    })),
  );
  await wh.transaction(async () => {
    await wh.exec(
      `UPDATE bandit_decisions
       SET reward = u.reward, rewarded_at = $1, reward_source = u.source, reward_event_id = u.event_id
       FROM (SELECT unnest(from_json($2::VARCHAR,
               '[{"decision_id": "VARCHAR", "reward": "DOUBLE", "source": "VARCHAR", "event_id": "VARCHAR"}]'),
               recursive := true)) u
       WHERE bandit_decisions.decision_id = u.decision_id AND bandit_decisions.reward IS NULL`,
      [at, list],
    );
    for (const s of states) {
      await wh.exec('UPDATE bandit_policies SET state = ?, updated_at = ? WHERE policy_id = ?', [
        s.state,
        at,
        s.policyId,
      ]);
    }
  });
}

export interface ArmLog {
  readonly arm: string;
  readonly decisions: number;
  readonly rewarded: number;
  readonly rewardSum: number;
  /** Rewarded decisions by where the reward came from. */
  readonly bySource: Readonly<Record<RewardSource, number>>;
}

/** Decisions, rewarded decisions and their reward sum per arm of a policy (arms never chosen are absent). */
export async function decisionCounts(wh: Warehouse, policyId: string): Promise<ArmLog[]> {
  const rows = await wh.rows<{
    arm: string;
    decisions: number;
    rewarded: number;
    reward_sum: number;
    api: number;
    event: number;
    window: number;
  }>(
    `SELECT arm, CAST(count(*) AS INTEGER) AS decisions, CAST(count(reward) AS INTEGER) AS rewarded,
            CAST(coalesce(sum(reward), 0) AS DOUBLE) AS reward_sum,
            CAST(count(*) FILTER (WHERE reward_source = 'api') AS INTEGER) AS api,
            CAST(count(*) FILTER (WHERE reward_source = 'event') AS INTEGER) AS event,
            CAST(count(*) FILTER (WHERE reward_source = 'window') AS INTEGER) AS "window"
     FROM bandit_decisions WHERE policy_id = ? GROUP BY arm ORDER BY arm`,
    [policyId],
  );
  return rows.map((r) => ({
    arm: r.arm,
    decisions: r.decisions,
    rewarded: r.rewarded,
    rewardSum: r.reward_sum,
    bySource: { api: r.api, event: r.event, window: r.window },
  }));
}
