import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignTargets } from '../../registry/campaign-targets.js';
import { trainUpliftAndRegister } from '../../registry/uplift.js';
import { addTestCampaign } from '../../warehouse/test-campaign.js';
import { startTestServer, type TestServer } from '../test-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = async (r: Response): Promise<Json> => (await r.json()) as Json;

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({
    seed: async (wh) => {
      // 'c': control 4 contacts, 1 visit; mail 4 contacts, 2 visits, one converting with 10 (the
      // marketing task test's hand-computed campaign).
      await wh.exec(`INSERT INTO campaign_contacts (campaign_id, customer_id, variant, is_control, visited, converted, revenue) VALUES
        ('c', 'a', 'ctl', true, true, false, 0), ('c', 'b', 'ctl', true, false, false, 0),
        ('c', 'c', 'ctl', true, false, false, 0), ('c', 'd', 'ctl', true, false, false, 0),
        ('c', 'e', 'mail', false, true, true, 10), ('c', 'f', 'mail', false, true, false, 0),
        ('c', 'g', 'mail', false, false, false, 0), ('c', 'h', 'mail', false, false, false, 0),
        ('nocontrol', 'a', 'x', false, true, false, 0), ('nocontrol', 'b', 'y', false, false, false, 0)`);
      await wh.exec(`INSERT INTO campaigns (campaign_id, variants, control_variant) VALUES
        ('c', '["ctl","mail"]', 'ctl'), ('nocontrol', '["x","y"]', NULL)`);
      // 'spring': 600 contacts drawn at random, with a promoted uplift model.
      await addTestCampaign(
        wh,
        'spring',
        Array.from({ length: 600 }, (_, i) => `s${i}`),
      );
      await trainUpliftAndRegister(wh, {
        campaign: 'spring',
        outcome: 'visit',
        method: 't-learner logistic',
      });
    },
  });
}, 120_000);
afterAll(async () => {
  await s?.close();
});

describe('GET /v1/campaigns', () => {
  it('lists each campaign with its arms and its serving uplift model', async () => {
    const body = await json(await s.fetch('/v1/campaigns', { key: 'read' }));
    expect(body['campaigns'].map((c: Json) => c['campaign_id'])).toEqual(['c', 'nocontrol', 'spring']);
    const c = body['campaigns'][0];
    expect(c).toMatchObject({
      contacts: 8,
      control_variant: 'ctl',
      arms: [
        { variant: 'ctl', contacts: 4, is_control: true },
        { variant: 'mail', contacts: 4, is_control: false },
      ],
      uplift_model: null,
    });
    const spring = body['campaigns'][2];
    expect(spring['contacts']).toBe(600);
    expect(spring['arms'].reduce((n: number, a: Json) => n + a['contacts'], 0)).toBe(600);
    expect(spring['uplift_model']).toMatchObject({
      model_id: 'uplift:spring@1',
      method: 't-learner logistic',
      outcome: 'visit',
    });
  });
});

describe('GET /v1/campaigns/:id/report', () => {
  it('compares the treatment with the control as computed by hand', async () => {
    const r = await json(await s.fetch('/v1/campaigns/c/report', { key: 'read' }));
    expect(r['control']).toMatchObject({
      variant: 'ctl',
      contacts: 4,
      successes: { visit: 1, conversion: 0 },
    });
    expect(r['treated'][0]).toMatchObject({ variant: 'mail', contacts: 4, revenue_per_contact: 2.5 });
    const visit = r['comparisons'][0]['outcomes']['visit'];
    // 2/4 - 1/4 = 0.25; Wald se = sqrt(0.25 x 0.75 / 4 + 0.5 x 0.5 / 4) = 0.330719, x 1.959964;
    // pooled z = 0.25 / sqrt(0.375 x 0.625 x (1/4 + 1/4)) = 0.730297, p = 0.46521.
    expect(visit['difference']).toBeCloseTo(0.25, 12);
    expect(visit['ci'][0]).toBeCloseTo(-0.398196, 5);
    expect(visit['ci'][1]).toBeCloseTo(0.898196, 5);
    expect(visit['p_value']).toBeCloseTo(0.46521, 4);
    expect(r['alpha']).toBe(0.05);
  });

  it('refuses an unknown campaign (404) and one without a control group (422), saying why', async () => {
    const unknown = await s.fetch('/v1/campaigns/nope/report', { key: 'read' });
    expect(unknown.status).toBe(404);
    expect((await json(unknown))['error']['code']).toBe('unknown_campaign');
    const none = await s.fetch('/v1/campaigns/nocontrol/report', { key: 'read' });
    expect(none.status).toBe(422);
    expect((await json(none))['error']['message']).toMatch(/no control group/);
  });
});

describe('GET /v1/campaigns/:id/targets', () => {
  it("answers what the library's target list gives for the budget, scored on the worker", async () => {
    const body = await json(
      await s.fetch('/v1/campaigns/spring/targets?budget=0.3&limit=1000', { key: 'read' }),
    );
    const direct = await s.ctx.db.read((wh) => campaignTargets(wh, 'spring', { budget: 0.3 }));
    expect(body).toMatchObject({
      campaign: 'spring',
      outcome: 'visit',
      customers: 600,
      budget_customers: 180, // floor(600 x 0.3)
      listed: direct.list.rows.length,
      value_per_response: null,
    });
    expect(body['model']['model_id']).toBe('uplift:spring@1');
    expect(body['rows'].length).toBe(direct.list.rows.length);
    expect(body['rows'][0]).toEqual({
      rank: 1,
      customer_id: direct.list.rows[0]!.customerId,
      treatment: direct.list.rows[0]!.treatment,
      uplift: direct.list.rows[0]!.uplift,
      expected_profit: null,
      reasons: direct.list.rows[0]!.reasons,
    });
    // limit cuts the rows, not the figures.
    const ten = await json(
      await s.fetch('/v1/campaigns/spring/targets?budget=0.3&limit=10', { key: 'read' }),
    );
    expect(ten['rows'].length).toBe(10);
    expect(ten['listed']).toBe(body['listed']);
  });

  it('ranks by expected profit with a cost and a margin', async () => {
    const body = await json(
      await s.fetch('/v1/campaigns/spring/targets?budget=0.5&cost=0.1&margin=0.3', { key: 'read' }),
    );
    // A response (a visit) is worth the mean revenue of the treated visitors.
    const [v] = await s.ctx.db.read((wh) =>
      wh.rows<{ v: number }>(
        `SELECT avg(CAST(revenue AS DOUBLE)) AS v FROM campaign_contacts WHERE campaign_id = 'spring' AND NOT is_control AND visited`,
      ),
    );
    expect(body['value_per_response']).toBeCloseTo(v!.v, 9);
    expect(body['rows'].length).toBeGreaterThan(0);
    for (const r of body['rows'] as Json[])
      expect(r['expected_profit']).toBeCloseTo(r['uplift'] * v!.v * 0.3 - 0.1, 9);
  });

  it('refuses a budget of 0 or above 1, a cost without a margin, a campaign without a model', async () => {
    for (const q of ['budget=0', 'budget=1.5']) {
      const r = await s.fetch(`/v1/campaigns/spring/targets?${q}`, { key: 'read' });
      expect(r.status).toBe(400);
      expect((await json(r))['error']['message']).toContain('budget');
    }
    const half = await s.fetch('/v1/campaigns/spring/targets?budget=0.3&cost=0.1', { key: 'read' });
    expect(half.status).toBe(400);
    expect((await json(half))['error']['message']).toContain('margin');
    const noModel = await s.fetch('/v1/campaigns/c/targets?budget=0.3', { key: 'read' });
    expect(noModel.status).toBe(404);
    const err = (await json(noModel))['error'];
    expect(err['code']).toBe('no_model');
    expect(err['message']).toContain('npx shopsight train uplift --campaign c');
    expect(
      (await json(await s.fetch('/v1/campaigns/nope/targets?budget=0.3', { key: 'read' })))['error']['code'],
    ).toBe('unknown_campaign');
  });
});
