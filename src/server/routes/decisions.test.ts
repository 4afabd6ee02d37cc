import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawArm } from '../../tasks/marketing/decisions.js';
import { startTestServer, type TestServer } from '../test-server.js';

type Json = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'shopsight-decisions-'));
const dbPath = join(dir, 'store.duckdb');
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ dbPath });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call: TestServer['call'] = (...args) => s.call(...args);

const message = (b: Json): string => String((b['error'] as Json)['message']);

describe('drawArm', () => {
  it('takes the arm whose cumulative probability first exceeds u, never one of probability 0', () => {
    const p = Float64Array.of(0.2, 0, 0.8);
    expect([0, 0.1999, 0.2, 0.9999].map((u) => drawArm(p, u))).toEqual([0, 0, 2, 2]);
    expect(drawArm(Float64Array.of(0.5, 0.5), 0.5)).toBe(1);
    expect(drawArm(Float64Array.of(0.3, 0.3, 0.3999999999), 0.99999999999)).toBe(2);
  });
});

describe('bandit decisions over HTTP', () => {
  it('creates a policy once; decides with the exact propensity; learns from a reward once', async () => {
    const created = await call('PUT', '/v1/admin/bandits/offers', {
      policy: 'epsilon-greedy',
      arms: ['10% off', 'free shipping'],
      params: { epsilon: 0.2 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      policy: 'offers',
      kind: 'epsilon-greedy',
      params: { epsilon: 0.2 },
    });
    const again = await call('PUT', '/v1/admin/bandits/offers', { policy: 'thompson', arms: ['a', 'b'] });
    expect(again.status).toBe(409);
    expect(message(again.body)).toMatch(/policy 'offers' exists already/);

    // Fresh: both arms untried, tied: 1/2 each.
    const first = await call('POST', '/v1/decide', { policy: 'offers', customer_id: 'c1' }, 'read', {
      'x-request-id': 'dec-1',
    });
    expect(first.status).toBe(200);
    expect(first.body['decision_id']).toBe('dec-1');
    expect(first.body['probabilities']).toEqual({ '10% off': 0.5, 'free shipping': 0.5 });
    expect(first.body['propensity']).toBe(0.5);
    const armOne = String(first.body['arm']);
    const other = armOne === '10% off' ? 'free shipping' : '10% off';

    const dup = await call('POST', '/v1/decide', { policy: 'offers' }, 'read', { 'x-request-id': 'dec-1' });
    expect(dup.status).toBe(409);

    const reward = await call('POST', '/v1/decisions/dec-1/reward', { reward: 1 }, 'ingest');
    expect(reward.status).toBe(200);
    expect(reward.body).toMatchObject({ decision_id: 'dec-1', arm: armOne, reward: 1, duplicate: false });
    const retry = await call('POST', '/v1/decisions/dec-1/reward', { reward: 1 }, 'ingest');
    expect(retry.body['duplicate']).toBe(true);
    const conflict = await call('POST', '/v1/decisions/dec-1/reward', { reward: 0 }, 'ingest');
    expect(conflict.status).toBe(409);
    expect(message(conflict.body)).toMatch(/was rewarded 1 .*a reward counts once/);

    // The rewarded arm has mean 1, the other is untried (+infinity): epsilon-greedy plays the
    // untried one: 0.8 + 0.1 for it, 0.1 for the rewarded arm.
    const second = await call('POST', '/v1/decide', { policy: 'offers' }, 'read', {
      'x-request-id': 'dec-2',
    });
    expect((second.body['probabilities'] as Json)[other]).toBeCloseTo(0.9, 12);
    expect((second.body['probabilities'] as Json)[armOne]).toBeCloseTo(0.1, 12);
    const arm2 = String(second.body['arm']);
    expect(second.body['propensity']).toBeCloseTo(arm2 === other ? 0.9 : 0.1, 12);
    expect((await call('POST', '/v1/decisions/dec-2/reward', { reward: 0 }, 'ingest')).status).toBe(200);

    const summary = await call('GET', '/v1/bandits/offers', undefined, 'read');
    expect(summary.status).toBe(200);
    const arms = summary.body['arms'] as Json[];
    const plays = Object.fromEntries(
      arms.map((a) => [a['arm'], [a['plays'], a['mean_reward'], a['decisions']]]),
    );
    if (arm2 === armOne) {
      expect(plays[armOne]).toEqual([2, 0.5, 2]);
      expect(plays[other]).toEqual([0, null, 0]);
    } else {
      expect(plays[armOne]).toEqual([1, 1, 1]);
      expect(plays[other]).toEqual([1, 0, 1]);
    }
  });

  it('keeps the learnt state across a restart', async () => {
    const before = await call('GET', '/v1/bandits/offers', undefined, 'read');
    await s.close();
    s = await startTestServer({ dbPath });
    const after = await call('GET', '/v1/bandits/offers', undefined, 'read');
    expect(after.body['arms']).toEqual(before.body['arms']);
    const next = await call('POST', '/v1/decide', { policy: 'offers' }, 'read', { 'x-request-id': 'dec-3' });
    expect(next.status).toBe(200);
    expect((await call('POST', '/v1/decisions/dec-3/reward', { reward: 1 }, 'ingest')).status).toBe(200);
    const total = (
      (await call('GET', '/v1/bandits/offers', undefined, 'read')).body['arms'] as Json[]
    ).reduce((a, r) => a + Number(r['plays']), 0);
    expect(total).toBe(3);
  });

  it('a contextual policy: LinUCB ties at the start, learns from the context of the decision', async () => {
    const created = await call('PUT', '/v1/admin/bandits/banner', {
      policy: 'linucb',
      arms: ['A', 'B'],
      context_features: ['recency', 'spend'],
    });
    expect(created.status).toBe(201);
    const d = await call(
      'POST',
      '/v1/decide',
      { policy: 'banner', context: { recency: 2, spend: 0.5 } },
      'read',
      {
        'x-request-id': 'ban-1',
      },
    );
    expect(d.body['probabilities']).toEqual({ A: 0.5, B: 0.5 });
    expect((await call('POST', '/v1/decisions/ban-1/reward', { reward: 1 }, 'ingest')).status).toBe(200);
    // After one reward of 1 at x = (1, 2, 0.5) the played arm's bound at x is
    // x.theta + sqrt(x^T A^-1 x) with A = I + x x^T: |x|^2 = 5.25, x.theta = 5.25 / 6.25 = 0.84,
    // width sqrt(5.25 / 6.25) = 0.9165: 1.7565 against the untried arm's sqrt(5.25) = 2.2913.
    const again = await call(
      'POST',
      '/v1/decide',
      { policy: 'banner', context: { recency: 2, spend: 0.5 } },
      'read',
    );
    const played = String(d.body['arm']);
    expect((again.body['probabilities'] as Json)[played]).toBe(0);
    expect((again.body['probabilities'] as Json)[played === 'A' ? 'B' : 'A']).toBe(1);
  });

  it('refuses bad input with the field and the reason', async () => {
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/v1/decide', { policy: 'nope' }, 404, /no bandit policy 'nope' \(known: banner, offers\)/],
      [
        'POST',
        '/v1/decide',
        { policy: 'banner' },
        400,
        /body\/context: policy 'banner' needs recency, spend/,
      ],
      [
        'POST',
        '/v1/decide',
        { policy: 'banner', context: { recency: 1 } },
        400,
        /body\/context\/spend: is missing/,
      ],
      [
        'POST',
        '/v1/decide',
        { policy: 'banner', context: { recency: 'x', spend: 1 } },
        400,
        /body\/context\/recency: "x" is not a finite number/,
      ],
      [
        'POST',
        '/v1/decide',
        { policy: 'banner', context: { recency: 1, spend: 1, age: 3 } },
        400,
        /body\/context\/age: not a context feature of policy 'banner'/,
      ],
      ['POST', '/v1/decisions/none/reward', { reward: 1 }, 404, /no decision 'none'/],
      ['POST', '/v1/decisions/dec-1/reward', { reward: 1.5 }, 400, /reward/],
      [
        'PUT',
        '/v1/admin/bandits/x1',
        { policy: 'linucb', arms: ['a', 'b'] },
        400,
        /body\/context_features: linucb chooses by context/,
      ],
      [
        'PUT',
        '/v1/admin/bandits/x2',
        { policy: 'thompson', arms: ['a', 'b'], context_features: ['f'] },
        400,
        /thompson does not look at context/,
      ],
      [
        'PUT',
        '/v1/admin/bandits/x3',
        { policy: 'ucb1', arms: ['a', 'a'] },
        400,
        /body\/arms\/1: 'a' is named twice/,
      ],
      [
        'PUT',
        '/v1/admin/bandits/x4',
        { policy: 'thompson', arms: ['a', 'b'], params: { epsilon: 0.1 } },
        400,
        /body\/params\/epsilon: not a parameter of thompson \(its parameters: prior_alpha, prior_beta\)/,
      ],
      [
        'PUT',
        '/v1/admin/bandits/x5',
        { policy: 'epsilon-greedy', arms: ['a', 'b'], params: { epsilon: 2 } },
        400,
        /epsilon must be in \[0, 1\]/,
      ],
      ['PUT', '/v1/admin/bandits/x6', { policy: 'softmax', arms: ['a', 'b'] }, 400, /policy/],
    ];
    for (const [method, path, json, status, pattern] of cases) {
      const r = await call(method, path, json);
      expect(r.status, `${method} ${path} ${JSON.stringify(json)}`).toBe(status);
      expect(message(r.body), `${method} ${path}`).toMatch(pattern);
    }
  });
});
