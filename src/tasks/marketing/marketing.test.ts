import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { normalCdf } from '../../ml/special/normal.js';
import { getPreset } from '../../ingest/presets/index.js';
import { readUpliftArtifact, trainUplift, contactRecords } from './train-uplift.js';
import { loadCampaign } from './campaign-data.js';
import { campaignReport } from './campaign-report.js';
import { parseBudget, scoreRecords, targetList } from './target.js';
import { importSource } from '../../warehouse/import/import-source.js';
import { scratch, memoryWarehouse, type Scratch } from '../../warehouse/import/test-helpers.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

const HEADER =
  'recency,history_segment,history,mens,womens,zip_code,newbie,channel,segment,visit,conversion,spend';

/** A Hillstrom-shaped file: the Womens e-mail raises visits by 0.3 for recent customers only. */
function hillstromLike(n: number, seed: number): string {
  const rng = new Rng(seed);
  const lines = [HEADER];
  const segments = ['Mens E-Mail', 'Womens E-Mail', 'No E-Mail'];
  for (let i = 0; i < n; i++) {
    const recency = 1 + rng.int(12);
    const segment = segments[rng.int(3)]!;
    const lift = segment === 'Womens E-Mail' && recency <= 6 ? 0.3 : segment === 'Mens E-Mail' ? 0.05 : 0;
    const visit = rng.chance(0.1 + lift) ? 1 : 0;
    const conversion = visit && rng.chance(0.2) ? 1 : 0;
    const zip = ['Urban', 'Rural', 'Surburban'][rng.int(3)]!;
    const channel = ['Web', 'Phone', 'Multichannel'][rng.int(3)]!;
    lines.push(
      `${recency},1) $0 - $100,${(50 + rng.int(300)).toFixed(2)},${rng.int(2)},${rng.int(2)},${zip},${rng.int(2)},${channel},${segment},${visit},${conversion},${conversion ? 40 : 0}`,
    );
  }
  return lines.join('\n') + '\n';
}

let s: Scratch;
let wh: Warehouse;
beforeEach(async () => {
  s = scratch();
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
  s.cleanup();
});

async function importHillstrom(content: string): Promise<void> {
  await importSource(wh, { target: s.write('hillstrom.csv', content), preset: getPreset('hillstrom') });
}

describe('hillstrom preset', () => {
  it('imports contacts of campaign hillstrom with segment variants, No E-Mail the control, duplicates kept', async () => {
    const row = '6,3) $200 - $350,292.39,0,1,Rural,0,Phone,Womens E-Mail,1,0,0';
    await importHillstrom(
      [HEADER, row, row, '9,1) $0 - $100,29.99,0,1,Surburban,1,Web,No E-Mail,0,0,0'].join('\n'),
    );
    const data = await loadCampaign(wh, 'hillstrom');
    expect(data.campaign.variants).toEqual(['No E-Mail', 'Womens E-Mail']);
    expect(data.control).toBe('No E-Mail');
    expect(data.treatments).toEqual(['Womens E-Mail']);
    expect(data.contacts.map((c) => [c.customerId, c.variant, c.visited])).toEqual([
      ['2', 'Womens E-Mail', true],
      ['3', 'Womens E-Mail', true],
      ['4', 'No E-Mail', false],
    ]);
    expect(data.contacts[0]!.features).toMatchObject({
      recency: '6',
      zip_code: 'Rural',
      channel: 'Phone',
      history: '292.39',
    });
  });
});

describe('campaign report', () => {
  it('differences, interval and test match a hand computation', async () => {
    // control: 4 contacts, 1 visit, no revenue; mail: 4 contacts, 2 visits, one spends 10
    await wh.exec(`INSERT INTO campaign_contacts (campaign_id, customer_id, variant, is_control, visited, converted, revenue) VALUES
      ('c', 'a', 'ctl', true, true, false, 0), ('c', 'b', 'ctl', true, false, false, 0),
      ('c', 'c', 'ctl', true, false, false, 0), ('c', 'd', 'ctl', true, false, false, 0),
      ('c', 'e', 'mail', false, true, true, 10), ('c', 'f', 'mail', false, true, false, 0),
      ('c', 'g', 'mail', false, false, false, 0), ('c', 'h', 'mail', false, false, false, 0)`);
    await wh.exec(
      `INSERT INTO campaigns (campaign_id, variants, control_variant) VALUES ('c', '["ctl","mail"]', 'ctl')`,
    );
    const r = campaignReport(await loadCampaign(wh, 'c'));
    const c = r.comparisons[0]!;
    expect(c.outcomes.visit.difference).toBeCloseTo(0.25, 12); // 2/4 - 1/4
    expect(c.outcomes.conversion.difference).toBeCloseTo(0.25, 12); // 1/4 - 0/4
    // revenue: treated mean 2.5, sample variance (7.5^2 + 3 x 2.5^2) / 3 = 25; control all 0
    // se = sqrt(25 / 4) = 2.5, z = 1, p = 2 (1 - Phi(1)) = 0.317311; 95% CI 2.5 +- 1.959964 x 2.5
    expect(c.revenue!.difference).toBeCloseTo(2.5, 12);
    expect(c.revenue!.pValue).toBeCloseTo(0.3173105, 6);
    expect(c.revenue!.ci[0]).toBeCloseTo(2.5 - 1.959964 * 2.5, 5);
    expect(r.alphaPerTest).toBe(0.05);
    expect(campaignReport(await loadCampaign(wh, 'c'), { looks: 5 }).alphaPerTest).toBeCloseTo(0.01, 12);
    expect(r.method).toMatch(/Bonferroni over 1 treatment\(s\) x 1 planned look/);

    // O'Brien-Fleming-type spending, look 2 of 5 (one treatment, alpha 0.05): boundary 3.357
    // (gsDesign / ldbounds; ml/metrics/group-sequential.test.ts), the interval d +- 3.357 se.
    const seq = campaignReport(await loadCampaign(wh, 'c'), {
      looks: 5,
      look: 2,
      sequential: 'obrien-fleming',
    });
    expect(Math.abs(seq.boundary! - 3.357)).toBeLessThan(0.0015);
    expect(seq.alphaPerTest).toBeCloseTo(2 * (1 - normalCdf(seq.boundary!)), 10);
    const v = seq.comparisons[0]!.outcomes.visit;
    const se = Math.sqrt((0.5 * 0.5) / 4 + (0.25 * 0.75) / 4);
    expect(v.ci![1]).toBeCloseTo(0.25 + seq.boundary! * se, 6);
    expect(seq.method).toMatch(
      /look 2 of 5, boundary \|z\| >= 3\.35\d .*repeated confidence intervals.*continue to the next look/,
    );
    await expect(async () =>
      campaignReport(await loadCampaign(wh, 'c'), { looks: 3, look: 4, sequential: 'obrien-fleming' }),
    ).rejects.toThrow(/--look 4: must be a whole number from 1 to --looks 3/);
    await expect(async () =>
      campaignReport(await loadCampaign(wh, 'c'), { looks: 3, look: 2 }),
    ).rejects.toThrow(/--look is for --sequential obrien-fleming/);
  });

  it('refuses a campaign with no control group, a single variant, several controls, an unknown one', async () => {
    await wh.exec(`INSERT INTO campaign_contacts (campaign_id, customer_id, variant, is_control) VALUES
      ('nocontrol', 'a', 'A', false), ('nocontrol', 'b', 'B', false),
      ('single', 'a', 'A', false), ('single', 'b', 'A', false),
      ('two', 'a', 'X', true), ('two', 'b', 'Y', true), ('two', 'c', 'Z', false)`);
    await wh.exec(`INSERT INTO campaigns (campaign_id) VALUES ('nocontrol'), ('single'), ('two')`);
    await expect(loadCampaign(wh, 'nocontrol')).rejects.toThrow(
      /campaign 'nocontrol' has no control group .*cannot be attributed to the campaign/,
    );
    await expect(loadCampaign(wh, 'single')).rejects.toThrow(
      /campaign 'single' has a single variant \('A'\)/,
    );
    await expect(loadCampaign(wh, 'two')).rejects.toThrow(/marks several variants as control \(X, Y\)/);
    await expect(loadCampaign(wh, 'nope')).rejects.toThrow(
      /no campaign 'nope' .*known: nocontrol, single, two/,
    );
  });
});

describe('train uplift, target, score', () => {
  it('finds whom the Womens e-mail changes, lists them within the budget, scores a file in order', async () => {
    await importHillstrom(hillstromLike(3000, 1));
    const trained = await trainUplift(wh, {
      campaign: 'hillstrom',
      outcome: 'visit',
      method: 't-learner logistic',
      features: ['recency', 'history', 'channel'],
    });
    expect(trained.treatments).toEqual(['Mens E-Mail', 'Womens E-Mail']);
    const { model, meta } = readUpliftArtifact(trained.artifact);
    expect(meta.encoding.numeric).toEqual(['recency', 'history']);
    expect(meta.encoding.categorical.map((c) => c.name)).toEqual(['channel']);

    const data = await loadCampaign(wh, 'hillstrom');
    const list = targetList(model, meta, data, contactRecords(data, data.contacts), { budget: 0.3 });
    expect(list.budgetCustomers).toBe(900);
    expect(list.rows.length).toBeGreaterThan(0);
    expect(list.rows.length).toBeLessThanOrEqual(900);
    for (let i = 1; i < list.rows.length; i++)
      expect(list.rows[i]!.uplift).toBeLessThanOrEqual(list.rows[i - 1]!.uplift);
    // recent customers get the Womens e-mail, and recency is their first reason
    expect(list.rows[0]!.treatment).toBe('Womens E-Mail');
    expect(list.rows[0]!.reasons).toMatch(/^recency=\d/);

    const records = [
      { recency: '2', history: '100', channel: 'Web' },
      { recency: '12', history: '100', channel: 'Web' },
      { recency: '3', history: '80', channel: 'Fax' },
    ];
    const scored = scoreRecords(model, meta, records, (i) => `f.csv:${i + 2}`);
    expect(scored.best[0]).toBe('Womens E-Mail');
    expect(scored.uplift[0]!).toBeGreaterThan(scored.uplift[1]!);
    expect(scored.uplift.length).toBe(3);
    const womens = scoreRecords(model, meta, records, String, 'Womens E-Mail');
    expect(womens.uplift[0]).toBe(scored.uplift[0]);
    expect(() => scoreRecords(model, meta, records, String, 'Kids')).toThrow(
      /knows 'Mens E-Mail', 'Womens E-Mail'/,
    );
    expect(() =>
      scoreRecords(model, meta, [{ recency: '2', channel: 'Web' }], (i) => `f.csv:${i + 2}`),
    ).toThrow('f.csv:2, column history: the feature is missing');
  });

  it('refuses a budget of 0% or 150%, cost without margin, a customer missing from the features', async () => {
    expect(parseBudget('30%')).toBe(0.3);
    expect(parseBudget('0.25')).toBe(0.25);
    expect(() => parseBudget('0%')).toThrow(/more than 0% and at most 100%/);
    expect(() => parseBudget('150%')).toThrow(/--budget 150%/);
    await importHillstrom(hillstromLike(600, 2));
    const trained = await trainUplift(wh, {
      campaign: 'hillstrom',
      outcome: 'visit',
      method: 't-learner logistic',
    });
    const { model, meta } = readUpliftArtifact(trained.artifact);
    const data = await loadCampaign(wh, 'hillstrom');
    const records = contactRecords(data, data.contacts);
    expect(() => targetList(model, meta, data, records, { budget: 0.3, cost: 0.1 })).toThrow(
      /--cost and --margin go together/,
    );
    await wh.exec(`UPDATE campaign_contacts SET features = NULL WHERE customer_id = '5'`);
    const broken = await loadCampaign(wh, 'hillstrom');
    expect(() => contactRecords(broken, broken.contacts)).toThrow(
      /campaign 'hillstrom', customer '5': the customer has no features/,
    );
    await wh.exec(`UPDATE campaign_contacts SET features = '{"recency": "3"}' WHERE customer_id = '5'`);
    const partial = await loadCampaign(wh, 'hillstrom');
    expect(() =>
      targetList(model, meta, partial, contactRecords(partial, partial.contacts), { budget: 0.3 }),
    ).toThrow(/campaign 'hillstrom', customer '5', column history: the feature is missing/);
  });
});
