/**
 * Issue 11's bad-input cases on the Hillstrom store itself (suite `uplift`): campaigns cut from the
 * imported contacts with no control group and with a single variant, a budget of 0% and of 150%, a
 * customer whose features are missing or lack one the model needs. Each must be refused with the
 * reason the issue asks for; the check records the message.
 */
import { holds, type Check } from './check.js';
import { loadCampaign } from '../src/tasks/marketing/campaign-data.js';
import { campaignReport } from '../src/tasks/marketing/campaign-report.js';
import { parseBudget, targetList } from '../src/tasks/marketing/target.js';
import { contactRecords, readUpliftArtifact, trainUplift } from '../src/tasks/marketing/train-uplift.js';
import type { Warehouse } from '../src/warehouse/warehouse.js';

const SOURCE = 'issue 11, "Bad input": refused with the reason';

async function refused(
  suite: string,
  name: string,
  pattern: RegExp,
  fn: () => unknown | Promise<unknown>,
): Promise<Check> {
  let message = 'accepted (no error)';
  try {
    await fn();
  } catch (err) {
    message = err instanceof Error ? err.message : String(err);
  }
  return holds(suite, name, pattern.test(message), message, `${SOURCE} (${pattern.source})`);
}

/** `wh` holds the Hillstrom import (campaign `hillstrom`); the cut campaigns are added beside it. */
export async function refusalChecks(wh: Warehouse, suite: string): Promise<Check[]> {
  const cut = async (id: string, where: string): Promise<void> => {
    await wh.exec(
      `INSERT INTO campaign_contacts (campaign_id, customer_id, variant, is_control, sent_at, features, visited, converted, revenue)
       SELECT ?, customer_id, variant, is_control, sent_at, features, visited, converted, revenue
       FROM campaign_contacts WHERE campaign_id = 'hillstrom' AND ${where}`,
      [id],
    );
    await wh.exec('INSERT INTO campaigns (campaign_id) VALUES (?)', [id]);
  };
  await cut('hillstrom-emails-only', 'NOT is_control');
  await cut('hillstrom-womens-only', "variant = 'Womens E-Mail'");

  const checks: Check[] = [
    await refused(
      suite,
      'bad input: a campaign with no control group (the two e-mails only) is refused with the reason',
      /has no control group .*cannot be attributed to the campaign/,
      async () => campaignReport(await loadCampaign(wh, 'hillstrom-emails-only')),
    ),
    await refused(
      suite,
      'bad input: a single-variant campaign (Womens e-mail only) is refused',
      /has a single variant \('Womens E-Mail'\)/,
      async () => campaignReport(await loadCampaign(wh, 'hillstrom-womens-only')),
    ),
    await refused(suite, 'bad input: --budget 0% is refused', /more than 0% and at most 100%/, () =>
      parseBudget('0%'),
    ),
    await refused(suite, 'bad input: --budget 150% is refused', /--budget 150%.*at most 100%/, () =>
      parseBudget('150%'),
    ),
  ];

  // A customer missing from the features: the model is trained on all contacts, then one contact
  // loses its features, then one of them (`history`), as a store's own data could.
  const trained = await trainUplift(wh, {
    campaign: 'hillstrom',
    outcome: 'visit',
    method: 't-learner logistic',
    features: ['recency', 'history'],
  });
  const { model, meta } = readUpliftArtifact(trained.artifact);
  const target = async (): Promise<unknown> => {
    const data = await loadCampaign(wh, 'hillstrom');
    return targetList(model, meta, data, contactRecords(data, data.contacts), { budget: 0.3 });
  };
  await wh.exec(
    "UPDATE campaign_contacts SET features = NULL WHERE campaign_id = 'hillstrom' AND customer_id = '2'",
  );
  checks.push(
    await refused(
      suite,
      'bad input: a customer with no features is refused, naming the campaign and customer',
      /campaign 'hillstrom', customer '2': the customer has no features/,
      target,
    ),
  );
  await wh.exec(
    `UPDATE campaign_contacts SET features = '{"recency": "10"}' WHERE campaign_id = 'hillstrom' AND customer_id = '2'`,
  );
  checks.push(
    await refused(
      suite,
      'bad input: a customer missing a feature of the model is refused, naming the column',
      /campaign 'hillstrom', customer '2', column history: the feature is missing/,
      target,
    ),
  );
  return checks;
}
