/**
 * Bandit rewards from the feedback events over HTTP, against a real server on a free port: decide,
 * post events, the policy learns with no call to the reward route; a retried batch, a second
 * purchase and an explicit reward never count twice; events stored before a restart are rewarded
 * after it; a window that closes with no event gives 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConfig } from './config.js';
import { startTestServer, type TestServer } from './test-server.js';

type Json = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'shopsight-decision-rewards-'));
const dbPath = join(dir, 'store.duckdb');
/** Sweeps every 100 ms, no grace: the tests see a reward within a flush (1 s) and a sweep. */
const FAST: Partial<ServerConfig> = { decisionRewards: { sweepMs: 100, graceMs: 0 } };
/** A sweep an hour away: nothing is rewarded while this server runs. */
const SLOW: Partial<ServerConfig> = { decisionRewards: { sweepMs: 3_600_000, graceMs: 0 } };

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ dbPath, config: FAST });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call: TestServer['call'] = (...args) => s.call(...args);

const decideFor = async (policy: string, id: string, customer?: string): Promise<Json> => {
  const r = await call(
    'POST',
    '/v1/decide',
    { policy, ...(customer ? { customer_id: customer } : {}) },
    'read',
    {
      'x-request-id': id,
    },
  );
  expect(r.status).toBe(200);
  return r.body;
};

const decision = async (id: string): Promise<Json> =>
  (await call('GET', `/v1/decisions/${id}`, undefined, 'read')).body;

/** Polls GET /v1/decisions/:id until it has a reward (at most 15 s). */
async function untilRewarded(id: string): Promise<Json> {
  for (let i = 0; i < 300; i++) {
    const d = await decision(id);
    if (d['reward'] !== null) return d;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`decision ${id} got no reward`);
}

const now = (): string => new Date().toISOString();
const purchase = (id: string, who: Json, extra: Json = {}): Json => ({
  event: 'Order Completed',
  event_id: id,
  timestamp: now(),
  value: 20,
  ...who,
  ...extra,
});

const summary = async (policy: string): Promise<Json> =>
  (await call('GET', `/v1/bandits/${policy}`, undefined, 'read')).body;
const plays = (b: Json): number => (b['arms'] as Json[]).reduce((n, a) => n + Number(a['plays']), 0);

/** Waits until the events with these ids are in the warehouse (the ingest flushes every second). */
async function untilStored(ids: readonly string[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const [r] = await s.ctx.db.read((wh) =>
      wh.rows<{ n: number }>(
        `SELECT CAST(count(*) AS INTEGER) AS n FROM events
         WHERE event_id IN (SELECT unnest(from_json(?::VARCHAR, '["VARCHAR"]')))`,
        [JSON.stringify(ids)],
      ),
    );
    if (r!.n === ids.length) return;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`events ${ids.join(', ')} not stored`);
}

describe('bandit rewards from the feedback events', () => {
  it('an event naming the decision or a purchase by its customer rewards it once, automatically', async () => {
    const created = await call('PUT', '/v1/admin/bandits/mail', {
      policy: 'thompson',
      arms: ['Spring sale', 'New arrivals'],
      reward_from_events: { events: ['purchase'], window_hours: 24 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      reward_from_events: { events: ['purchase'], window_hours: 24 },
      rewards_by_source: { api: 0, event: 0, window: 0 },
      awaiting_reward: 0,
    });
    await decideFor('mail', 'dr-c1', 'c1');
    await decideFor('mail', 'dr-c2', 'c2');
    await decideFor('mail', 'dr-anon');
    const open = await decision('dr-c1');
    expect(open).toMatchObject({ policy: 'mail', customer_id: 'c1', reward: null, reward_source: null });
    expect(Date.parse(String(open['reward_closes_at'])) - Date.parse(String(open['decided_at']))).toBe(
      24 * 3_600_000,
    );

    const batch = {
      batch: [
        purchase('ev-1', { customer_id: 'c1' }),
        { event: 'search', event_id: 'ev-2', customer_id: 'c2', timestamp: now(), query: 'mugs' },
        purchase('ev-3', { anonymous_id: 'visitor-9' }, { decision_id: 'dr-anon' }),
      ],
    };
    const posted = await call('POST', '/v1/events', batch, 'ingest');
    expect(posted.body).toMatchObject({ accepted: 3, duplicates: 0 });

    expect(await untilRewarded('dr-c1')).toMatchObject({
      reward: 1,
      reward_source: 'event',
      reward_event_id: 'ev-1',
    });
    expect(await untilRewarded('dr-anon')).toMatchObject({ reward: 1, reward_event_id: 'ev-3' });
    expect((await decision('dr-c2'))['reward']).toBeNull(); // a search is not a purchase
    const learnt = await summary('mail');
    expect(plays(learnt)).toBe(2);
    expect(learnt).toMatchObject({ rewards_by_source: { api: 0, event: 2, window: 0 }, awaiting_reward: 1 });

    // The batch retried, a second purchase by c1, the reward route: none counts again.
    expect((await call('POST', '/v1/events', batch, 'ingest')).body).toMatchObject({
      accepted: 0,
      duplicates: 3,
    });
    await call('POST', '/v1/events', purchase('ev-4', { customer_id: 'c1' }), 'ingest');
    const same = await call('POST', '/v1/decisions/dr-c1/reward', { reward: 1 }, 'ingest');
    expect(same.body).toMatchObject({ duplicate: true, reward: 1 });
    const other = await call('POST', '/v1/decisions/dr-c1/reward', { reward: 0 }, 'ingest');
    expect(other.status).toBe(409);
    expect(String((other.body['error'] as Json)['message'])).toMatch(/was rewarded 1 from event 'ev-1'/);
    // Through the route first, then a purchase: the route's reward stays.
    expect((await call('POST', '/v1/decisions/dr-c2/reward', { reward: 0 }, 'ingest')).status).toBe(200);
    await call('POST', '/v1/events', purchase('ev-5', { customer_id: 'c2' }), 'ingest');
    await untilStored(['ev-4', 'ev-5']);
    // A marker: once its purchase (stored after ev-4 and ev-5) is rewarded, a sweep has seen them.
    await decideFor('mail', 'dr-mark', 'c-mark');
    await call('POST', '/v1/events', purchase('ev-mark', { customer_id: 'c-mark' }), 'ingest');
    expect(await untilRewarded('dr-mark')).toMatchObject({ reward: 1, reward_event_id: 'ev-mark' });
    expect(await decision('dr-c1')).toMatchObject({ reward: 1, reward_event_id: 'ev-1' });
    expect(await decision('dr-c2')).toMatchObject({ reward: 0, reward_source: 'api', reward_event_id: null });
    const after = await summary('mail');
    expect(plays(after)).toBe(4);
    expect(after).toMatchObject({ rewards_by_source: { api: 1, event: 3, window: 0 }, awaiting_reward: 0 });
  });

  it('keeps what it learnt across a restart, and rewards events stored before it after it', async () => {
    const before = await summary('mail');
    await s.close();
    s = await startTestServer({ dbPath, config: SLOW });
    expect(await summary('mail')).toEqual(before);

    await decideFor('mail', 'dr-c3', 'c3');
    await call('POST', '/v1/events', purchase('ev-6', { customer_id: 'c3' }), 'ingest');
    await untilStored(['ev-6']);
    expect((await decision('dr-c3'))['reward']).toBeNull(); // no sweep in this run
    await s.close(); // the ingest's log is flushed at close: ev-6 is in the warehouse

    s = await startTestServer({ dbPath, config: FAST });
    expect(await untilRewarded('dr-c3')).toMatchObject({ reward: 1, reward_event_id: 'ev-6' });
    expect(plays(await summary('mail'))).toBe(plays(before) + 1);
  });

  it('a window that ends with no event rewards the decision 0', async () => {
    // 0.0005 h = 1.8 s.
    expect(
      (
        await call('PUT', '/v1/admin/bandits/quick', {
          policy: 'ucb1',
          arms: ['A', 'B'],
          reward_from_events: { window_hours: 0.0005 },
        })
      ).status,
    ).toBe(201);
    await decideFor('quick', 'dr-q', 'c9');
    expect(await untilRewarded('dr-q')).toMatchObject({
      reward: 0,
      reward_source: 'window',
      reward_event_id: null,
    });
    expect((await summary('quick'))['rewards_by_source']).toEqual({ api: 0, event: 0, window: 1 });
  });

  it('refuses a bad rule with the field and the reason; an unknown decision is a 404', async () => {
    const cases: [unknown, RegExp][] = [
      [{ events: ['wishlist'] }, /reward_from_events\/events\/0/],
      [{ window_hours: 0 }, /window_hours: must be more than 0/],
      [{ window_hours: 9000 }, /reward_from_events\/window_hours/],
      [{ days: 3 }, /reward_from_events/],
    ];
    for (const [rule, pattern] of cases) {
      const r = await call('PUT', '/v1/admin/bandits/bad', {
        policy: 'thompson',
        arms: ['A', 'B'],
        reward_from_events: rule,
      });
      expect(r.status, JSON.stringify(rule)).toBe(400);
      expect(String((r.body['error'] as Json)['message']), JSON.stringify(rule)).toMatch(pattern);
    }
    const missing = await call('GET', '/v1/decisions/none', undefined, 'read');
    expect(missing.status).toBe(404);
    expect(String((missing.body['error'] as Json)['message'])).toMatch(/no decision 'none'/);
  });
});
