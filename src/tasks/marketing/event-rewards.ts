/**
 * @module tasks/marketing/event-rewards
 * Bandit rewards from the feedback events (issue 11): a policy created with a reward rule
 * (`{events: ['purchase'], window_hours: 168}`) learns from the events the storefront already sends
 * to `POST /v1/events`, with no call to the reward route.
 *
 * The rule (warehouse/bandit-event-rewards.ts has the SQL):
 *   - reward 1: an event of one of the rule's types that names the decision (`decision_id`, at the
 *     top level or in `properties`) before its window closes, or, naming none, is by the decision's
 *     customer within the window and the decision is the policy's latest for that customer then
 *     (last touch);
 *   - reward 0: the window closed (decided_at + window_hours) with no such event, once
 *     `graceMs` more have passed on the server's clock (events can reach the warehouse a little
 *     after they happened: the ingest flushes every second, a client may send late).
 *
 * Idempotent by construction: a decision is rewarded at most once (only decisions with no reward
 * are read and written, in the write queue that the reward route shares), so a retried event batch,
 * a second purchase, or an explicit reward and an event for the same decision never count twice.
 * The sweep reads from the warehouse, not from the ingest: nothing is added to the events' path,
 * and a restart loses nothing (events stored before it are found by the next sweep).
 *
 * @example
 *   const found = await store.read((wh) => findEventRewards(wh, { now: new Date(), graceMs: 600_000 }));
 *   await store.write((wh) => applyEventRewards(wh, found)); // { rewarded: 2, closed: 1 }
 */
import { updateBandit } from '../../ml/bandit/policy.js';
import type { BanditState } from '../../ml/bandit/types.js';
import {
  decisionsToReward,
  openDecisions,
  type EventRewardMatch,
} from '../../warehouse/bandit-event-rewards.js';
import {
  readPolicy,
  recordRewards,
  unrewardedDecisions,
  type PolicyRow,
  type RewardWrite,
} from '../../warehouse/bandit-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { encodeState, stateOf } from './decisions.js';

/** Decisions settled per sweep at most: keeps each write short (the next sweep takes the rest). */
export const EVENT_REWARD_BATCH = 10_000;

export interface EventRewardOutcome {
  /** Decisions rewarded 1 by an event. */
  readonly rewarded: number;
  /** Decisions whose window closed with no event: rewarded 0. */
  readonly closed: number;
}

/** What the stored events settle now (read-only: runs on a read connection). */
export async function findEventRewards(
  wh: Warehouse,
  o: { readonly now: Date; readonly graceMs: number; readonly limit?: number },
): Promise<EventRewardMatch[]> {
  const open = await openDecisions(wh);
  if (open.count === 0) return [];
  return decisionsToReward(wh, {
    open,
    closedBefore: new Date(o.now.getTime() - o.graceMs),
    limit: o.limit ?? EVENT_REWARD_BATCH,
  });
}

/**
 * Records what findEventRewards found for the decisions that still have no reward (one may have
 * been rewarded through the route since) and updates their policies: one transaction.
 */
export async function applyEventRewards(
  wh: Warehouse,
  found: readonly EventRewardMatch[],
  at = new Date(),
): Promise<EventRewardOutcome> {
  if (found.length === 0) return { rewarded: 0, closed: 0 };
  const eventOf = new Map(found.map((f) => [f.decisionId, f.eventId]));
  return wh.transaction(async () => {
    const open = await unrewardedDecisions(wh, [...eventOf.keys()]);
    const policies = new Map<string, { row: PolicyRow; state: BanditState }>();
    const writes: RewardWrite[] = [];
    for (const d of open) {
      let p = policies.get(d.policyId);
      if (!p) {
        const row = await readPolicy(wh, d.policyId);
        if (!row) continue; // cannot happen: decisions are made only for existing policies
        p = { row, state: stateOf(row) };
        policies.set(d.policyId, p);
      }
      const eventId = eventOf.get(d.decisionId) ?? null;
      const reward = eventId === null ? 0 : 1;
      updateBandit(p.state, p.row.arms.indexOf(d.arm), reward, d.context);
      writes.push({
        decisionId: d.decisionId,
        reward,
        source: eventId === null ? 'window' : 'event',
        eventId,
      });
    }
    await recordRewards(
      wh,
      writes,
      [...policies.values()].map((p) => ({ policyId: p.row.policyId, state: encodeState(p.state) })),
      at,
    );
    const rewarded = writes.filter((w) => w.source === 'event').length;
    return { rewarded, closed: writes.length - rewarded };
  });
}
