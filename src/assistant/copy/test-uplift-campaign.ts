/**
 * @module assistant/copy/test-uplift-campaign
 * A small randomised campaign for tests of uplift copy, over the customers of test-store.ts, with
 * its uplift model trained and promoted. Test-only.
 *
 * Campaign 'spring', 40 contacts: the e-mail lifts visits of recent customers (0.8 vs 0.2) and
 * lowers the others' (0.2 vs 0.4), so the top half by uplift is exactly the 20 recent contacts.
 * c1 and c3 (store customers) are recent contacts; the rest (u2..u39) have no orders.
 */
import { saveModel } from '../../registry/registry.js';
import { trainUplift, upliftTask } from '../../tasks/marketing/train-uplift.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export async function seedSpringCampaign(wh: Warehouse): Promise<void> {
  await wh.exec(
    `INSERT INTO campaigns (campaign_id, name, variants, control_variant) VALUES ('spring', 'Spring', '["email","none"]', 'none')`,
  );
  for (let i = 0; i < 40; i++) {
    const recent = i < 20;
    const treated = i % 2 === 0;
    const k = Math.floor(i / 2) % 10; // 0..9 within each (recent, treated) cell
    const rate = recent ? (treated ? 8 : 2) : treated ? 2 : 4;
    const id = i === 0 ? 'c1' : i === 1 ? 'c3' : `u${i}`;
    await wh.exec(
      `INSERT INTO campaign_contacts (campaign_id, customer_id, variant, is_control, features, visited, converted)
       VALUES ('spring', ?, ?, ?, ?, ?, false)`,
      [id, treated ? 'email' : 'none', !treated, JSON.stringify({ recent: recent ? 1 : 0 }), k < rate],
    );
  }
  const trained = await trainUplift(wh, {
    campaign: 'spring',
    outcome: 'visit',
    method: 't-learner logistic',
  });
  await saveModel(
    wh,
    { task: upliftTask('spring'), artifact: trained.artifact, trainedOn: {}, params: {} },
    { promote: true },
  );
}
