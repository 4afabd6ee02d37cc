/**
 * @module warehouse/campaign-store
 * Reads campaigns and their contacts for the marketing tasks. Outcomes the source recorded
 * (visited, converted, revenue) are used as they are; where one is null and the contact has a
 * sent_at, it is derived from the store's own data in the window [sent_at, sent_at + window days):
 * visited = any event of the customer, converted = any order not cancelled, revenue = the sum of
 * those orders' totals. A contact with neither stays null (the task refuses or skips it, saying so).
 *
 * @example
 *   const c = await findCampaign(wh, 'hillstrom'); // { variants: ['Mens E-Mail', ...], controlVariant: 'No E-Mail', ... }
 *   const rows = await campaignContacts(wh, 'hillstrom', 14);
 */
import type { Warehouse } from './warehouse.js';

export interface CampaignRow {
  readonly campaignId: string;
  readonly name: string | null;
  readonly channel: string | null;
  readonly variants: readonly string[];
  readonly controlVariant: string | null;
  readonly costPerContact: number | null;
}

export interface ContactRow {
  readonly customerId: string;
  readonly variant: string;
  readonly isControl: boolean;
  readonly features: Readonly<Record<string, string | number | boolean | null>> | null;
  readonly visited: boolean | null;
  readonly converted: boolean | null;
  readonly revenue: number | null;
}

export async function findCampaign(wh: Warehouse, campaignId: string): Promise<CampaignRow | null> {
  const [row] = await wh.rows<{
    campaign_id: string;
    name: string | null;
    channel: string | null;
    variants: string | null;
    control_variant: string | null;
    cost_per_contact: number | null;
  }>(
    `SELECT campaign_id, name, channel, CAST(variants AS VARCHAR) AS variants, control_variant,
            CAST(cost_per_contact AS DOUBLE) AS cost_per_contact
     FROM campaigns WHERE campaign_id = ?`,
    [campaignId],
  );
  if (!row) return null;
  return {
    campaignId: row.campaign_id,
    name: row.name,
    channel: row.channel,
    variants: row.variants ? (JSON.parse(row.variants) as string[]) : [],
    controlVariant: row.control_variant,
    costPerContact: row.cost_per_contact,
  };
}

export async function campaignIds(wh: Warehouse): Promise<string[]> {
  const rows = await wh.rows<{ campaign_id: string }>(
    'SELECT campaign_id FROM campaigns ORDER BY campaign_id',
  );
  return rows.map((r) => r.campaign_id);
}

/**
 * Every contact of the campaign, by customer id, with outcomes recorded or derived (see the module
 * note). Read as columns, not row objects: a campaign has tens of thousands of contacts (Hillstrom
 * 64,000), and a worker reading them over a lent connection (warehouse/remote) gets the columns
 * transferred instead of a clone of one object per contact made on the owning thread.
 */
export async function campaignContacts(
  wh: Warehouse,
  campaignId: string,
  windowDays = 14,
): Promise<ContactRow[]> {
  const c = await wh.columns(
    `WITH c AS (SELECT * FROM campaign_contacts WHERE campaign_id = ?),
     ord AS (
       SELECT c.customer_id, count(*) AS n, sum(o.total) AS total
       FROM c JOIN orders o ON o.customer_id = c.customer_id
        AND o.ordered_at >= c.sent_at AND o.ordered_at < c.sent_at + to_days(CAST(? AS INTEGER))
        AND o.status <> 'cancelled'
       WHERE c.sent_at IS NOT NULL GROUP BY c.customer_id),
     ev AS (
       SELECT DISTINCT c.customer_id
       FROM c JOIN events e ON e.customer_id = c.customer_id
        AND e.occurred_at >= c.sent_at AND e.occurred_at < c.sent_at + to_days(CAST(? AS INTEGER))
       WHERE c.sent_at IS NOT NULL)
     SELECT c.customer_id, c.variant, CAST(c.is_control AS DOUBLE) AS is_control,
            CAST(c.features AS VARCHAR) AS features,
            CAST(coalesce(c.visited, CASE WHEN c.sent_at IS NOT NULL THEN ev.customer_id IS NOT NULL END) AS DOUBLE) AS visited,
            CAST(coalesce(c.converted, CASE WHEN c.sent_at IS NOT NULL THEN coalesce(ord.n, 0) > 0 END) AS DOUBLE) AS converted,
            CAST(coalesce(c.revenue, CASE WHEN c.sent_at IS NOT NULL THEN coalesce(ord.total, 0) END) AS DOUBLE) AS revenue
     FROM c LEFT JOIN ord USING (customer_id) LEFT JOIN ev USING (customer_id)
     ORDER BY c.customer_id`,
    {
      customer_id: 'str',
      variant: 'str',
      is_control: 'f64',
      features: 'str',
      visited: 'f64',
      converted: 'f64',
      revenue: 'f64',
    },
    [campaignId, windowDays, windowDays],
  );
  // Booleans came as 1/0 and NULL as NaN.
  const flag = (v: number): boolean | null => (Number.isNaN(v) ? null : v === 1);
  const out: ContactRow[] = new Array<ContactRow>(c.length);
  for (let i = 0; i < c.length; i++) {
    const features = c.features[i];
    const revenue = c.revenue[i]!;
    out[i] = {
      customerId: c.customer_id[i]!,
      variant: c.variant[i]!,
      isControl: c.is_control[i] === 1,
      features: features ? (JSON.parse(features) as ContactRow['features']) : null,
      visited: flag(c.visited[i]!),
      converted: flag(c.converted[i]!),
      revenue: Number.isNaN(revenue) ? null : revenue,
    };
  }
  return out;
}
