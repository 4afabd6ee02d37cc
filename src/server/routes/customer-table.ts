/**
 * @module server/routes/customer-table
 * What a back office browses customers with: `GET /v1/customers` (one page of the customer table:
 * search by id, filters, sort, paging done by the warehouse; warehouse/analytics/customer-table.ts)
 * and `GET /v1/analytics/predictions` (the spread of the stored churn probabilities and CLVs;
 * warehouse/analytics/prediction-distributions.ts). The dashboard's Customers page reads both.
 * The customer's e-mail is shown as [EMAIL] unless an admin asks with `unmask=true` (server/unmask.ts).
 */
import {
  CHURN_RISKS,
  SPEND_TIER_NAMES,
  type ChurnRisk,
  type SpendTierName,
} from '../../schema/predictions.js';
import { RFM_SEGMENTS, type RfmSegment } from '../../warehouse/analytics/rfm-segments.js';
import {
  CUSTOMER_SORTS,
  customerTable,
  MAX_PAGE_SIZE,
  type CustomerSort,
  type CustomerTableRow,
} from '../../warehouse/analytics/customer-table.js';
import {
  DEFAULT_BINS,
  MAX_BINS,
  predictionDistributions,
} from '../../warehouse/analytics/prediction-distributions.js';
import { maskEmail } from '../../ml/text/personal-fields.js';
import { ERROR_BODY_SCHEMA } from '../errors.js';
import { snakeKeys } from '../snake-case.js';
import { UNMASK_QUERY, unmaskAllowed } from '../unmask.js';
import { readOr400 } from './analytics.js';
import { int, num, numOrNull, str, strOrNull } from './analytics-schemas.js';
import type { RoutePlugin } from './route-plugin.js';

const obj = (properties: Record<string, unknown>) =>
  ({ type: 'object', required: Object.keys(properties), properties }) as const;
const intOrNull = { type: ['integer', 'null'] } as const;

const ROW = obj({
  customer_id: str,
  country: strOrNull,
  email: strOrNull,
  segment: { type: 'string', enum: [...RFM_SEGMENTS] },
  segment_label: str,
  recency_days: intOrNull,
  last_order_at: strOrNull,
  orders: int,
  spend: num,
  r: intOrNull,
  f: intOrNull,
  m: intOrNull,
  churn_probability: numOrNull,
  churn_risk: { type: ['string', 'null'], enum: [...CHURN_RISKS, null] },
  purchase_probability: numOrNull,
  clv_365d: numOrNull,
  spend_tier: { type: ['string', 'null'], enum: [...SPEND_TIER_NAMES, null] },
});

const PAGE = obj({
  as_of: str,
  total: int,
  page: int,
  page_size: int,
  sort: str,
  order: str,
  predictions: obj({ available: { type: 'boolean' }, as_of: strOrNull, reason: strOrNull }),
  customers: { type: 'array', items: ROW },
});

const BIN = obj({ from: num, to: numOrNull, customers: int });
const DISTRIBUTIONS = obj({
  available: { type: 'boolean' },
  reason: strOrNull,
  as_of: strOrNull,
  predicted_at: strOrNull,
  customers: int,
  churn: obj({
    mean: numOrNull,
    bins: { type: 'array', items: BIN },
    by_risk: { type: 'array', items: obj({ risk: str, customers: int }) },
  }),
  clv: obj({
    total: num,
    mean: numOrNull,
    median: numOrNull,
    cap: numOrNull,
    bins: { type: 'array', items: BIN },
    by_tier: { type: 'array', items: obj({ tier: str, customers: int, clv: num }) },
  }),
});

interface TableQuery {
  as_of?: string;
  q?: string;
  segment?: RfmSegment;
  churn_risk?: ChurnRisk;
  spend_tier?: SpendTierName;
  country?: string;
  sort?: CustomerSort;
  order?: 'asc' | 'desc';
  page?: number;
  page_size?: number;
  unmask?: boolean;
}

/**
 * The row as the API names it: snake_case, the CLV field as the predictions table names it, the
 * e-mail masked unless an admin asked for it as stored.
 */
function rowJson(r: CustomerTableRow, asStored: boolean): Record<string, unknown> {
  const { clv365d, email, ...rest } = r;
  return {
    ...(snakeKeys(rest) as Record<string, unknown>),
    email: asStored ? email : maskEmail(email),
    clv_365d: clv365d,
  };
}

export const customerTableRoutes: RoutePlugin = (app, ctx) => {
  app.get(
    '/v1/customers',
    {
      config: { role: 'read' },
      schema: {
        tags: ['customers'],
        summary: 'The customer table: search by id, filter, sort and page (RFM and stored predictions)',
        description:
          'Every customer as of a day with RFM scores and segment (as /v1/segments scores them; prospects ' +
          'without a sales order included) and the stored churn, purchase and CLV predictions. Filtered, ' +
          'sorted and paged by the warehouse; `total` counts every match. Predictions stored as of a later ' +
          'day than `as_of` are left out (they read later data) and `predictions.reason` says so.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            as_of: {
              type: 'string',
              pattern: '^\\d{4}-\\d{2}-\\d{2}$',
              description: 'orders before this day count (default: the day after the last order)',
              examples: ['2011-12-10'],
            },
            q: {
              type: 'string',
              maxLength: 200,
              description: 'part of the customer id, any case',
              examples: ['1234'],
            },
            segment: {
              type: 'string',
              enum: [...RFM_SEGMENTS],
              description: 'only this RFM segment',
              examples: ['champions'],
            },
            churn_risk: {
              type: 'string',
              enum: [...CHURN_RISKS],
              description: 'only this churn risk band',
              examples: ['high'],
            },
            spend_tier: {
              type: 'string',
              enum: [...SPEND_TIER_NAMES],
              description: 'only this CLV spend tier',
              examples: ['high'],
            },
            country: {
              type: 'string',
              description: "only customers of this country (the customer's row)",
              examples: ['United Kingdom'],
            },
            sort: {
              type: 'string',
              enum: [...CUSTOMER_SORTS],
              default: 'spend',
              description: 'sort column',
              examples: ['spend'],
            },
            order: {
              type: 'string',
              enum: ['asc', 'desc'],
              description: 'default desc (asc for customer_id); empty values always last',
              examples: ['desc'],
            },
            page: { type: 'integer', minimum: 1, default: 1, description: '1-based', examples: [1] },
            page_size: {
              type: 'integer',
              minimum: 1,
              maximum: MAX_PAGE_SIZE,
              default: 20,
              description: 'rows per page',
              examples: [20],
            },
            unmask: UNMASK_QUERY,
          },
        },
        response: { 200: PAGE, 403: ERROR_BODY_SCHEMA },
      },
    },
    async (req) => {
      const q = req.query as TableQuery;
      const asStored = unmaskAllowed(req, q.unmask);
      const page = await readOr400(ctx, (wh) =>
        customerTable(wh, {
          asOf: q.as_of,
          search: q.q,
          segment: q.segment,
          churnRisk: q.churn_risk,
          spendTier: q.spend_tier,
          country: q.country,
          sort: q.sort,
          order: q.order,
          page: q.page,
          pageSize: q.page_size,
        }),
      );
      const { customers, ...rest } = page;
      return {
        ...(snakeKeys(rest) as Record<string, unknown>),
        customers: customers.map((r) => rowJson(r, asStored)),
      };
    },
  );

  app.get(
    '/v1/analytics/predictions',
    {
      config: { role: 'read' },
      schema: {
        tags: ['analytics'],
        summary:
          'How the stored predictions spread: churn probability and CLV histograms, risk bands, spend tiers',
        description:
          'Churn probability over equal bins of [0, 1] with the customers per risk band; CLV (365 days) over ' +
          'equal bins up to its 95th percentile (`cap`) plus an open last bin, with customers and value per ' +
          'spend tier. Reads the predictions `shopsight predict customers` stored (their `as_of` is given); ' +
          '`available: false` with the reason when there are none.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            bins: {
              type: 'integer',
              minimum: 2,
              maximum: MAX_BINS,
              default: DEFAULT_BINS,
              description: 'bins of each histogram (CLV has one more, the open last one)',
              examples: [10],
            },
          },
        },
        response: { 200: DISTRIBUTIONS },
      },
    },
    async (req) => {
      const { bins } = req.query as { bins?: number };
      return snakeKeys(await readOr400(ctx, (wh) => predictionDistributions(wh, { bins })));
    },
  );
};
