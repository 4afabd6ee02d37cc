/**
 * @module server/routes/campaigns
 * Campaigns for the dashboard's Marketing page (docs/marketing.md):
 * - `GET /v1/campaigns` (read): every campaign with its arms and its serving uplift model.
 * - `GET /v1/campaigns/:id/report` (read): `shopsight campaign report`: each treatment against the
 *   control, visit and conversion rates and revenue per contact, the difference with its interval
 *   and test (tasks/marketing/campaign-report.ts; a few sums over the contacts).
 * - `GET /v1/campaigns/:id/targets` (read): `shopsight target`: whom to contact for a budget, with
 *   the treatment and the reasons, from the promoted `uplift:<id>` model. Every contact is scored and
 *   the reasons computed on a worker thread (registry/campaign-targets-thread.ts), never on the
 *   event loop.
 */
import type { CampaignTargets } from '../../registry/campaign-targets.js';
import { targetsInWorker } from '../../registry/campaign-targets-thread.js';
import { CampaignError, loadCampaign } from '../../tasks/marketing/campaign-data.js';
import { campaignReport } from '../../tasks/marketing/campaign-report.js';
import { upliftTask } from '../../tasks/marketing/train-uplift.js';
import { listCampaigns } from '../../warehouse/campaign-list.js';
import { findCampaign } from '../../warehouse/campaign-store.js';
import { findModel } from '../../warehouse/model-store.js';
import { ERROR_BODY_SCHEMA, httpError } from '../errors.js';
import { snakeKeys } from '../snake-case.js';
import { int, num, numOrNull, str, strOrNull, TWO_PROPORTION_TEST } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const obj = (properties: Record<string, unknown>, nullable = false) =>
  ({ type: nullable ? ['object', 'null'] : 'object', properties }) as const;
const interval = { type: ['array', 'null'], items: num } as const;
const byOutcome = (x: unknown) => obj({ visit: x, conversion: x });

const MODEL = obj(
  { model_id: str, version: int, method: strOrNull, outcome: strOrNull, created_at: str },
  true,
);

const CAMPAIGNS = obj({
  campaigns: {
    type: 'array',
    items: obj({
      campaign_id: str,
      name: strOrNull,
      channel: strOrNull,
      starts_at: strOrNull,
      ends_at: strOrNull,
      control_variant: strOrNull,
      contacts: int,
      arms: { type: 'array', items: obj({ variant: str, contacts: int, is_control: { type: 'boolean' } }) },
      uplift_model: MODEL,
    }),
  },
});

const ARM = obj({
  variant: str,
  contacts: int,
  known: byOutcome(int),
  successes: byOutcome(int),
  revenue_per_contact: numOrNull,
});
const REPORT = obj({
  campaign: str,
  control: ARM,
  treated: { type: 'array', items: ARM },
  comparisons: {
    type: 'array',
    items: obj({
      treatment: str,
      outcomes: byOutcome(TWO_PROPORTION_TEST),
      revenue: obj(
        { mean_control: num, mean_treated: num, difference: num, ci: interval, p_value: num },
        true,
      ),
    }),
  },
  alpha: num,
  alpha_per_test: num,
  looks: int,
  sequential: str,
  look: { type: ['integer', 'null'] },
  boundary: numOrNull,
  method: str,
});

const TARGETS = obj({
  campaign: str,
  model: MODEL,
  outcome: str,
  budget: num,
  customers: { ...int, description: "the campaign's contacts" },
  budget_customers: { ...int, description: 'customers the budget allows' },
  listed: { ...int, description: 'of them, with a positive expected uplift (or profit): the list' },
  value_per_response: numOrNull,
  rows: {
    type: 'array',
    items: obj({
      rank: int,
      customer_id: str,
      treatment: str,
      uplift: num,
      expected_profit: numOrNull,
      reasons: str,
    }),
  },
});

const ID_PARAM = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, examples: ['hillstrom'] } },
} as const;

/** 404 for a campaign the store does not have, naming the ones it has. */
async function mustExist(ctx: Parameters<RoutePlugin>[1], id: string): Promise<void> {
  const found = await ctx.db.read((wh) => findCampaign(wh, id));
  if (!found)
    throw httpError(
      404,
      'unknown_campaign',
      `id: no campaign '${id}' in this store (GET /v1/campaigns lists them)`,
    );
}

/** A campaign that cannot be compared (no control, one variant, a contact without features): 422 with the reason. */
function refused(err: unknown): never {
  if (err instanceof CampaignError || (err instanceof Error && err.name === 'CampaignError'))
    throw httpError(422, 'campaign_not_comparable', err.message);
  throw err;
}

export const campaignRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/campaigns',
    {
      config: { role: 'read' },
      schema: {
        tags: ['marketing'],
        summary: 'Campaigns: their arms (contacts per variant, the control) and the serving uplift model',
        response: { 200: CAMPAIGNS },
      },
    },
    async () =>
      ctx.db.read(async (wh) => {
        const rows = await listCampaigns(wh);
        const campaigns = [];
        for (const c of rows) {
          const m = await findModel(wh, upliftTask(c.campaignId), 'promoted');
          campaigns.push({
            ...(snakeKeys({
              ...c,
              startsAt: c.startsAt?.toISOString() ?? null,
              endsAt: c.endsAt?.toISOString() ?? null,
            }) as Record<string, unknown>),
            uplift_model: m
              ? {
                  model_id: m.modelId,
                  version: m.version,
                  method: (m.params['method'] as string | undefined) ?? null,
                  outcome: (m.trainedOn['outcome'] as string | undefined) ?? null,
                  created_at: m.createdAt.toISOString(),
                }
              : null,
          });
        }
        return { campaigns };
      }),
  );

  app.get(
    '/v1/campaigns/:id/report',
    {
      config: { role: 'read' },
      schema: {
        tags: ['marketing'],
        summary:
          'Each treatment against the control: rates, differences with intervals, tests (campaign report)',
        description:
          'What `shopsight campaign report` prints: per arm contacts, visit and conversion rates and revenue per ' +
          'contact; per treatment the difference from the control with its interval, two-sided p-value, the ' +
          'sample size per arm the observed difference would need at 80% power and a verdict. Several ' +
          'treatments: Bonferroni (each test at alpha / treatments). 404 for an unknown campaign, 422 with the ' +
          'reason for one that cannot be compared (no control group, a single variant).',
        params: ID_PARAM,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            alpha: {
              type: 'number',
              minimum: 0.0001,
              maximum: 0.5,
              description: 'significance level, 0.0001 to 0.5 (default 0.05)',
              examples: [0.05],
            },
          },
        },
        response: { 200: REPORT, 404: ERROR_BODY_SCHEMA, 422: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const { alpha } = req.query as { alpha?: number };
      await mustExist(ctx, id);
      try {
        const data = await ctx.db.read((wh) => loadCampaign(wh, id));
        return snakeKeys(campaignReport(data, alpha === undefined ? {} : { alpha }));
      } catch (err) {
        refused(err);
      }
    },
  );

  app.get(
    '/v1/campaigns/:id/targets',
    {
      config: { role: 'read' },
      schema: {
        tags: ['marketing'],
        summary: 'Whom to contact for a budget, with the treatment and why (uplift target list)',
        description:
          "What `shopsight target` writes: the campaign's contacts scored by the promoted uplift model " +
          '(`uplift:<id>`), ranked by expected incremental outcome, or with `cost` and `margin` by expected ' +
          'incremental profit; the top `budget` share, keeping positive expectations only; the first `limit` ' +
          'rows. Scored on a worker thread. 404 for an unknown campaign or one with no uplift model (train one: ' +
          '`npx shopsight train uplift --campaign <id>`), 422 for a campaign that cannot be scored.',
        params: ID_PARAM,
        querystring: {
          type: 'object',
          additionalProperties: false,
          required: ['budget'],
          properties: {
            budget: {
              type: 'number',
              // minimum, not an exclusive bound: the document is OpenAPI 3.0 (boolean exclusive bounds)
              // while the validator is JSON Schema draft 7 (numeric ones).
              minimum: 0.0001,
              maximum: 1,
              description: 'share of the customers to contact, 0.0001 to 1 (0.3 = 30%)',
              examples: [0.3],
            },
            cost: {
              type: 'number',
              minimum: 0,
              description: 'cost of one contact (with margin)',
              examples: [0.1],
            },
            margin: {
              type: 'number',
              minimum: 0,
              maximum: 1,
              description: 'margin on revenue, 0 to 1 (with cost: rank by expected profit)',
              examples: [0.3],
            },
            limit: {
              type: 'integer',
              minimum: 1,
              maximum: 1000,
              description: 'rows returned, best first (default 100)',
              examples: [50],
            },
          },
        },
        response: { 200: TARGETS, 404: ERROR_BODY_SCHEMA, 422: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const { id } = req.params as { id: string };
      const q = req.query as { budget: number; cost?: number; margin?: number; limit?: number };
      if ((q.cost === undefined) !== (q.margin === undefined))
        throw httpError(400, 'invalid_request', 'cost and margin go together: profit needs both');
      await mustExist(ctx, id);
      const model = await ctx.db.read((wh) => findModel(wh, upliftTask(id), 'promoted'));
      if (!model)
        throw httpError(
          404,
          'no_model',
          `campaign '${id}' has no uplift model: train one (npx shopsight train uplift --campaign ${id})`,
        );
      const options = {
        budget: q.budget,
        ...(q.cost !== undefined ? { cost: q.cost } : {}),
        ...(q.margin !== undefined ? { margin: q.margin } : {}),
      };
      let t: CampaignTargets;
      try {
        t = await targetsInWorker(await ctx.db.connect(), id, options);
      } catch (err) {
        refused(err);
      }
      return {
        campaign: id,
        model: {
          model_id: t.record.modelId,
          version: t.record.version,
          method: (t.record.params['method'] as string | undefined) ?? null,
          outcome: t.meta.outcome,
          created_at: new Date(t.record.createdAt).toISOString(),
        },
        outcome: t.meta.outcome,
        budget: q.budget,
        customers: t.list.customers,
        budget_customers: t.list.budgetCustomers,
        listed: t.list.rows.length,
        value_per_response: t.list.valuePerResponse,
        rows: snakeKeys(t.list.rows.slice(0, q.limit ?? 100)),
      };
    },
  );
};
