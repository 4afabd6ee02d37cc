/**
 * @module warehouse/campaign-list
 * The campaigns of the store with the size of each arm, for the dashboard's Marketing page
 * (`GET /v1/campaigns`). The contacts themselves are read by campaign-store.ts.
 */
import type { Warehouse } from './warehouse.js';

export interface CampaignListRow {
  readonly campaignId: string;
  readonly name: string | null;
  readonly channel: string | null;
  readonly startsAt: Date | null;
  readonly endsAt: Date | null;
  readonly controlVariant: string | null;
  /** Contacts per variant, the control included, by variant name. */
  readonly arms: readonly {
    readonly variant: string;
    readonly contacts: number;
    readonly isControl: boolean;
  }[];
  readonly contacts: number;
}

export async function listCampaigns(wh: Warehouse): Promise<CampaignListRow[]> {
  const campaigns = await wh.rows<{
    campaign_id: string;
    name: string | null;
    channel: string | null;
    starts_at: Date | null;
    ends_at: Date | null;
    control_variant: string | null;
  }>(
    'SELECT campaign_id, name, channel, starts_at, ends_at, control_variant FROM campaigns ORDER BY campaign_id',
  );
  const arms = await wh.rows<{ campaign_id: string; variant: string; control: boolean; n: bigint | number }>(
    `SELECT campaign_id, variant, bool_or(is_control) AS control, count(*) AS n
     FROM campaign_contacts GROUP BY campaign_id, variant ORDER BY campaign_id, variant`,
  );
  return campaigns.map((c) => {
    const own = arms
      .filter((a) => a.campaign_id === c.campaign_id)
      .map((a) => ({ variant: a.variant, contacts: Number(a.n), isControl: a.control }));
    return {
      campaignId: c.campaign_id,
      name: c.name,
      channel: c.channel,
      startsAt: c.starts_at,
      endsAt: c.ends_at,
      controlVariant: c.control_variant,
      arms: own,
      contacts: own.reduce((n, a) => n + a.contacts, 0),
    };
  });
}
