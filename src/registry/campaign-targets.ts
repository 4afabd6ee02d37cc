/**
 * @module registry/campaign-targets
 * A campaign's target list from its promoted uplift model (`uplift:<campaign>`): the model, the
 * campaign's contacts and `targetList` of tasks/marketing/target.ts, as `shopsight target` computes
 * it. The server runs it on a worker thread (./campaign-targets-thread.ts): scoring every contact
 * and the what-if reasons take seconds on a large campaign.
 *
 * @example
 *   const t = await campaignTargets(wh, 'hillstrom', { budget: 0.3 });
 *   t.list.rows[0]; // { rank: 1, customerId, treatment, uplift, expectedProfit: null, reasons }
 */
import type { ModelRecord } from '../schema/models.js';
import { loadCampaign } from '../tasks/marketing/campaign-data.js';
import { targetList, type TargetList, type TargetOptions } from '../tasks/marketing/target.js';
import {
  contactRecords,
  readUpliftArtifact,
  upliftTask,
  type UpliftMeta,
} from '../tasks/marketing/train-uplift.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { loadModel } from './registry.js';

export interface CampaignTargets {
  readonly record: ModelRecord;
  readonly meta: UpliftMeta;
  readonly list: TargetList;
}

/** Throws the registry's error when the campaign has no promoted uplift model, CampaignError on bad input. */
export async function campaignTargets(
  wh: Warehouse,
  campaign: string,
  options: TargetOptions,
): Promise<CampaignTargets> {
  const { record, artifact } = await loadModel(wh, upliftTask(campaign));
  const { model, meta } = readUpliftArtifact(artifact);
  const data = await loadCampaign(wh, campaign);
  const list = targetList(model, meta, data, contactRecords(data, data.contacts), options);
  return { record, meta, list };
}
