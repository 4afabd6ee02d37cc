/**
 * @module tasks/marketing/campaign-data
 * A campaign's contacts, checked for what a causal question needs: the campaign exists, has at
 * least two variants, and kept a control group. Each refusal says why, because the alternative
 * (comparing treated customers with nobody, or with themselves) gives a number that means nothing.
 *
 * @example
 *   const c = await loadCampaign(wh, 'hillstrom');
 *   c.treatments; // ['Mens E-Mail', 'Womens E-Mail']; c.control: 'No E-Mail'
 */
import {
  campaignContacts,
  campaignIds,
  findCampaign,
  type CampaignRow,
  type ContactRow,
} from '../../warehouse/campaign-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export const OUTCOMES = ['visit', 'conversion'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcome window after sent_at when outcomes are derived from orders and events (Hillstrom's two weeks). */
export const OUTCOME_WINDOW_DAYS = 14;

export interface CampaignData {
  readonly campaign: CampaignRow;
  readonly control: string;
  /** The variants other than the control, sorted by name. */
  readonly treatments: readonly string[];
  readonly contacts: readonly ContactRow[];
}

export class CampaignError extends Error {
  override readonly name = 'CampaignError';
}

export async function loadCampaign(wh: Warehouse, campaignId: string): Promise<CampaignData> {
  const campaign = await findCampaign(wh, campaignId);
  if (!campaign) {
    const known = await campaignIds(wh);
    throw new CampaignError(
      `no campaign '${campaignId}' in ${wh.location} (known: ${known.join(', ') || 'none; import one, e.g. --preset hillstrom'})`,
    );
  }
  const contacts = await campaignContacts(wh, campaignId, OUTCOME_WINDOW_DAYS);
  const variants = [...new Set(contacts.map((c) => c.variant))].sort();
  if (variants.length < 2) {
    throw new CampaignError(
      `campaign '${campaignId}' has a single variant ('${variants[0] ?? 'none'}'): there is nothing to compare it with; ` +
        'an uplift model or a causal comparison needs a treatment and a control group',
    );
  }
  const controls = [...new Set(contacts.filter((c) => c.isControl).map((c) => c.variant))];
  if (controls.length === 0) {
    throw new CampaignError(
      `campaign '${campaignId}' has no control group (no contact is marked is_control; variants: ${variants.join(', ')}): ` +
        'without customers held out at random, a difference between variants cannot be attributed to the campaign ' +
        '(who was sent what may itself explain the outcome), so the causal comparison is refused',
    );
  }
  if (controls.length > 1) {
    throw new CampaignError(
      `campaign '${campaignId}' marks several variants as control (${controls.join(', ')}): keep one control group`,
    );
  }
  const control = controls[0]!;
  return { campaign, control, treatments: variants.filter((v) => v !== control), contacts };
}

/** The outcome of a contact as 0/1, or null when neither recorded nor derivable. */
export function outcomeOf(c: ContactRow, outcome: Outcome): number | null {
  const v = outcome === 'visit' ? c.visited : c.converted;
  return v === null ? null : v ? 1 : 0;
}
