/**
 * @module warehouse/bandit-store
 * The SQL behind online bandit decisions (migration "bandit policies and their decisions"): the
 * policies with their learnt state (an ml/artifact buffer), and the decision log with the
 * propensity of each choice and its reward once it comes.
 *
 * @example
 *   await insertPolicy(wh, { policyId: 'offers', kind: 'thompson', arms: ['a', 'b'], contextFeatures: [], state });
 *   await insertDecision(wh, { decisionId: 'req_1', policyId: 'offers', arm: 'a', propensity: 0.5, ... });
 *   await rewardDecision(wh, 'req_1', 1, newState); // decision and state in one transaction
 */
import type { Warehouse } from './warehouse.js';

export interface PolicyRow {
  readonly policyId: string;
  readonly kind: string;
  readonly arms: readonly string[];
  readonly contextFeatures: readonly string[];
  readonly state: Uint8Array;
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
  readonly reward: number | null;
  readonly rewardedAt: Date | null;
}

export async function insertPolicy(
  wh: Warehouse,
  p: Omit<PolicyRow, 'createdAt' | 'updatedAt'>,
  at = new Date(),
): Promise<PolicyRow> {
  await wh.exec(
    `INSERT INTO bandit_policies (policy_id, kind, arms, context_features, state, created_at, updated_at)
     VALUES (?, ?, ?::JSON, ?::JSON, ?, ?, ?)`,
    [p.policyId, p.kind, JSON.stringify(p.arms), JSON.stringify(p.contextFeatures), p.state, at, at],
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
  }>(
    `SELECT kind, CAST(arms AS VARCHAR) AS arms, CAST(context_features AS VARCHAR) AS context_features,
            state, created_at, updated_at
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
  d: Omit<DecisionRow, 'reward' | 'rewardedAt'>,
): Promise<void> {
  await wh.exec(
    `INSERT INTO bandit_decisions (decision_id, policy_id, customer_id, arm, propensity, context, decided_at)
     VALUES (?, ?, ?, ?, ?, ?::JSON, ?)`,
    [
      d.decisionId,
      d.policyId,
      d.customerId,
      d.arm,
      d.propensity,
      d.context ? JSON.stringify(d.context) : null,
      d.decidedAt,
    ],
  );
}

export async function readDecision(wh: Warehouse, decisionId: string): Promise<DecisionRow | undefined> {
  const [r] = await wh.rows<{
    policy_id: string;
    customer_id: string | null;
    arm: string;
    propensity: number;
    context: string | null;
    decided_at: Date;
    reward: number | null;
    rewarded_at: Date | null;
  }>(
    `SELECT policy_id, customer_id, arm, propensity, CAST(context AS VARCHAR) AS context, decided_at,
            reward, rewarded_at
     FROM bandit_decisions WHERE decision_id = ?`,
    [decisionId],
  );
  if (!r) return undefined;
  return {
    decisionId,
    policyId: r.policy_id,
    customerId: r.customer_id,
    arm: r.arm,
    propensity: r.propensity,
    context: r.context ? (JSON.parse(r.context) as number[]) : null,
    decidedAt: r.decided_at,
    reward: r.reward,
    rewardedAt: r.rewarded_at,
  };
}

/** Marks the decision rewarded and stores the policy's new state, both or neither. */
export async function rewardDecision(
  wh: Warehouse,
  d: { readonly decisionId: string; readonly policyId: string },
  reward: number,
  state: Uint8Array,
  at = new Date(),
): Promise<void> {
  await wh.transaction(async () => {
    await wh.exec('UPDATE bandit_decisions SET reward = ?, rewarded_at = ? WHERE decision_id = ?', [
      reward,
      at,
      d.decisionId,
    ]);
    await wh.exec('UPDATE bandit_policies SET state = ?, updated_at = ? WHERE policy_id = ?', [
      state,
      at,
      d.policyId,
    ]);
  });
}

export interface ArmLog {
  readonly arm: string;
  readonly decisions: number;
  readonly rewarded: number;
  readonly rewardSum: number;
}

/** Decisions, rewarded decisions and their reward sum per arm of a policy (arms never chosen are absent). */
export async function decisionCounts(wh: Warehouse, policyId: string): Promise<ArmLog[]> {
  const rows = await wh.rows<{ arm: string; decisions: number; rewarded: number; reward_sum: number }>(
    `SELECT arm, CAST(count(*) AS INTEGER) AS decisions, CAST(count(reward) AS INTEGER) AS rewarded,
            CAST(coalesce(sum(reward), 0) AS DOUBLE) AS reward_sum
     FROM bandit_decisions WHERE policy_id = ? GROUP BY arm ORDER BY arm`,
    [policyId],
  );
  return rows.map((r) => ({
    arm: r.arm,
    decisions: r.decisions,
    rewarded: r.rewarded,
    rewardSum: r.reward_sum,
  }));
}
