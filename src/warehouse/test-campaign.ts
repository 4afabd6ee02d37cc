/**
 * @module warehouse/test-campaign
 * A randomised campaign over customers a test names, for the dashboard and route tests: control
 * 'No E-Mail' and treatments 'Mail A' and 'Mail B' drawn 1/3 each (seeded), features recency (1-12),
 * spend (20-400) and channel (Web, Phone), recorded outcomes. Visit rate 0.10 in the control; Mail A
 * adds 0.05; Mail B adds 0.25 for customers with recency <= 6 only. A visit converts with 0.2 and
 * brings 40.
 *
 * @example
 *   await addTestCampaign(wh, 'spring', ['12347', '12348', ...]);
 */
import { Rng } from '../core/random.js';
import type { Warehouse } from './warehouse.js';

export const TEST_CAMPAIGN_VARIANTS = ['Mail A', 'Mail B', 'No E-Mail'] as const;

export async function addTestCampaign(
  wh: Warehouse,
  campaignId: string,
  customers: readonly string[],
  seed = 3,
): Promise<void> {
  const rng = new Rng(seed);
  const contacts = customers.map((customerId) => {
    const variant = TEST_CAMPAIGN_VARIANTS[rng.int(3)]!;
    const recency = 1 + rng.int(12);
    const lift = variant === 'Mail B' ? (recency <= 6 ? 0.25 : 0) : variant === 'Mail A' ? 0.05 : 0;
    const visited = rng.chance(0.1 + lift);
    const converted = visited && rng.chance(0.2);
    return {
      campaign_id: campaignId,
      customer_id: customerId,
      variant,
      is_control: variant === 'No E-Mail',
      features: { recency, spend: 20 + rng.int(381), channel: rng.chance(0.5) ? 'Web' : 'Phone' },
      visited,
      converted,
      revenue: converted ? 40 : 0,
    };
  });
  await wh.exec(
    `INSERT INTO campaigns (campaign_id, name, channel, variants, control_variant)
     VALUES (?, ?, 'email', ?, 'No E-Mail')`,
    [campaignId, `Test campaign ${campaignId}`, JSON.stringify(TEST_CAMPAIGN_VARIANTS)],
  );
  await wh.exec(
    `INSERT INTO campaign_contacts (campaign_id, customer_id, variant, is_control, features, visited, converted, revenue)
     SELECT campaign_id, customer_id, variant, is_control, features, visited, converted, revenue
     FROM (SELECT unnest(from_json(?::VARCHAR, '[{"campaign_id":"VARCHAR","customer_id":"VARCHAR","variant":"VARCHAR",
           "is_control":"BOOLEAN","features":"JSON","visited":"BOOLEAN","converted":"BOOLEAN","revenue":"DOUBLE"}]'),
           recursive := true))`,
    [JSON.stringify(contacts)],
  );
}
