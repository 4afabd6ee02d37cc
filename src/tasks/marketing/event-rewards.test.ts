import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import type { LiveEvent } from '../../ingest/live-event.js';
import { insertLiveEvents } from '../../warehouse/live-events.js';
import { memoryWarehouse } from '../../warehouse/import/test-helpers.js';
import { readDecision } from '../../warehouse/bandit-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { createPolicy, decide, policySummary, rewardDecision } from './decisions.js';
import { applyEventRewards, findEventRewards } from './event-rewards.js';

const T0 = Date.parse('2026-11-01T00:00:00Z');
const at = (hours: number): Date => new Date(T0 + hours * 3_600_000);

function event(
  id: string,
  type: LiveEvent['type'],
  hours: number,
  who: { customer?: string; anonymous?: string },
  properties: Record<string, unknown> | null = null,
): LiveEvent {
  return {
    event_id: id,
    type,
    customer_id: who.customer ?? null,
    anonymous_id: who.anonymous ?? null,
    session_id: null,
    product_id: null,
    request_id: null,
    query: type === 'search' ? 'mugs' : null,
    value: null,
    occurred_at: at(hours).toISOString(),
    properties,
  };
}

let wh: Warehouse;
beforeEach(async () => {
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
});

async function decideAt(policyId: string, decisionId: string, customerId: string | null, hours: number) {
  return decide(wh, { policyId, decisionId, customerId, at: at(hours), rng: new Rng(7) });
}

async function sweep(nowHours: number, graceMs = 0) {
  const found = await findEventRewards(wh, { now: at(nowHours), graceMs });
  return { found, outcome: await applyEventRewards(wh, found, at(nowHours)) };
}

const rewardOf = async (id: string) => {
  const d = (await readDecision(wh, id))!;
  return [d.reward, d.rewardSource, d.rewardEventId];
};

describe('bandit rewards from the feedback events', () => {
  it('names, last touch per policy, types and window; zeros when the window closes; never twice', async () => {
    await createPolicy(wh, {
      policyId: 'mail',
      kind: 'thompson',
      arms: ['A', 'B'],
      rewardFromEvents: { events: ['purchase'], windowHours: 24 },
    });
    // A second policy with a rule: the same purchase can reward its own latest decision too.
    await createPolicy(wh, {
      policyId: 'banner',
      kind: 'epsilon-greedy',
      arms: ['X', 'Y'],
      rewardFromEvents: { windowHours: 24 },
    });
    // No rule: events never reward it, and its decisions take no part in the last touch.
    await createPolicy(wh, { policyId: 'manual', kind: 'ucb1', arms: ['P', 'Q'] });

    await decideAt('mail', 'd1', 'c1', 0);
    await decideAt('mail', 'd2', 'c1', 2); // c1's latest mail decision before the purchase at 3 h
    await decideAt('mail', 'd3', 'c2', 0);
    await decideAt('mail', 'd4', null, 0); // anonymous: only an event naming it can reward it
    await decideAt('mail', 'd5', 'c3', 0);
    await decideAt('banner', 'b1', 'c1', 1);
    await decideAt('manual', 'm1', 'c1', 2.5);
    expect((await readDecision(wh, 'd1'))!.rewardClosesAt).toEqual(at(24));
    expect((await readDecision(wh, 'm1'))!.rewardClosesAt).toBeNull();

    await insertLiveEvents(wh, [
      event('e1', 'purchase', 3, { customer: 'c1' }),
      event('e2', 'search', 1, { customer: 'c2' }), // not a reward type
      event('e3', 'purchase', 1, { anonymous: 'v9' }, { decision_id: 'd4' }),
      event('e4', 'purchase', 25, { customer: 'c3' }), // after d5's window (24 h)
      event('e5', 'purchase', -1, { customer: 'c2' }), // before d3
      event('e6', 'purchase', 1.5, { customer: 'c1' }, { decision_id: 'nope' }), // names another: not by customer
    ]);

    const first = await sweep(5);
    expect(first.outcome).toEqual({ rewarded: 3, closed: 0 });
    expect(await rewardOf('d2')).toEqual([1, 'event', 'e1']);
    expect(await rewardOf('d4')).toEqual([1, 'event', 'e3']);
    expect(await rewardOf('b1')).toEqual([1, 'event', 'e1']);
    for (const id of ['d1', 'd3', 'd5', 'm1']) expect((await readDecision(wh, id))!.reward).toBeNull();

    const mail = await policySummary(wh, 'mail');
    expect(mail.arms.reduce((n, a) => n + a.plays, 0)).toBe(2);
    expect(mail.rewardsBySource).toEqual({ api: 0, event: 2, window: 0 });
    expect(mail.awaitingReward).toBe(3);
    expect(mail.rewardFromEvents).toEqual({ events: ['purchase'], windowHours: 24 });

    // Again, and with a second purchase by c1: nothing counts twice (d2 took the last touch).
    await insertLiveEvents(wh, [event('e7', 'purchase', 4, { customer: 'c1' })]);
    expect((await sweep(5)).outcome).toEqual({ rewarded: 0, closed: 0 });
    expect((await policySummary(wh, 'mail')).arms.reduce((n, a) => n + a.plays, 0)).toBe(2);

    // The reward route and an event for the same decision: the first recorded counts.
    expect((await rewardDecision(wh, 'd2', 1)).duplicate).toBe(true);
    await expect(rewardDecision(wh, 'd2', 0)).rejects.toThrow(/was rewarded 1 from event 'e1'/);
    await rewardDecision(wh, 'd3', 0.5); // c2's decision, through the route
    await insertLiveEvents(wh, [event('e8', 'purchase', 6, { customer: 'c2' })]);
    expect((await sweep(7)).outcome).toEqual({ rewarded: 0, closed: 0 });
    expect(await rewardOf('d3')).toEqual([0.5, 'api', null]);

    // 24 h + 1 min: the windows of d1 and d5 (24 h) have closed, but the grace (10 min) holds d5 open
    // until 24 h 10 min; with no grace both close at 0. e4 (25 h) came after d5's window.
    expect((await sweep(24 + 1 / 60, 600_000)).outcome).toEqual({ rewarded: 0, closed: 0 });
    expect((await sweep(30)).outcome).toEqual({ rewarded: 0, closed: 2 });
    expect(await rewardOf('d1')).toEqual([0, 'window', null]);
    expect(await rewardOf('d5')).toEqual([0, 'window', null]);

    const done = await policySummary(wh, 'mail');
    expect(done.rewardsBySource).toEqual({ api: 1, event: 2, window: 2 });
    expect(done.awaitingReward).toBe(0);
    // Thompson's counts: 5 plays, rewards 1 + 1 + 0.5 + 0 + 0 = 2.5.
    const plays = done.arms.reduce((n, a) => n + a.plays, 0);
    const sum = done.arms.reduce((n, a) => n + (a.meanReward ?? 0) * a.plays, 0);
    expect(plays).toBe(5);
    expect(sum).toBeCloseTo(2.5, 12);
    expect((await policySummary(wh, 'manual')).awaitingReward).toBe(1);
    expect((await sweep(1000)).found).toEqual([]);
  });

  it('a linear policy learns from the context logged with the decision', async () => {
    await createPolicy(wh, {
      policyId: 'lin',
      kind: 'linucb',
      arms: ['A', 'B'],
      contextFeatures: ['recency'],
      rewardFromEvents: { events: ['purchase', 'add_to_cart'], windowHours: 1 },
    });
    const d = await decide(wh, {
      policyId: 'lin',
      decisionId: 'l1',
      customerId: 'c1',
      context: { recency: 2 },
      at: at(0),
      rng: new Rng(3),
    });
    await insertLiveEvents(wh, [event('a1', 'add_to_cart', 0.5, { customer: 'c1' })]);
    expect((await sweep(0.75)).outcome).toEqual({ rewarded: 1, closed: 0 });
    // After one reward of 1 at x = (1, 2): the played arm's bound at x is x.theta + sqrt(x^T A^-1 x)
    // with A = I + x x^T: |x|^2 = 5, x.theta = 5 / 6, width sqrt(5 / 6); the untried arm's is sqrt(5):
    // 1.746 < 2.236, so LinUCB now plays the other arm with probability 1.
    const next = await decide(wh, {
      policyId: 'lin',
      decisionId: 'l2',
      context: { recency: 2 },
      at: at(0.8),
      rng: new Rng(3),
    });
    expect(next.probabilities[d.arm]).toBe(0);
  });

  it('refuses a rule with an unknown event type, a repeated one, or a window out of range', async () => {
    const make = (rewardFromEvents: { events?: string[]; windowHours?: number }) =>
      createPolicy(wh, { policyId: 'p', kind: 'thompson', arms: ['A', 'B'], rewardFromEvents });
    await expect(make({ events: ['wishlist'] })).rejects.toThrow(
      /body\/reward_from_events\/events\/0: 'wishlist' is not an event type \(known: view, search/,
    );
    await expect(make({ events: ['purchase', 'purchase'] })).rejects.toThrow(
      /events\/1: 'purchase' is named twice/,
    );
    await expect(make({ events: [] })).rejects.toThrow(/events: name at least one event type/);
    await expect(make({ windowHours: 0 })).rejects.toThrow(
      /window_hours: must be more than 0 and at most 8760 \(a year\); got 0/,
    );
    await expect(make({ windowHours: 9000 })).rejects.toThrow(/window_hours: .*got 9000/);
    const ok = await make({});
    expect(ok.rewardFromEvents).toEqual({ events: ['purchase'], windowHours: 168 });
  });
});
