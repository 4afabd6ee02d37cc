/**
 * @module warehouse/analytics/customer-table
 * One page of the customer table: every customer as of a day with their RFM scores and segment
 * (scored against every customer exactly as `rfm` scores them, prospects included) and their stored
 * predictions (churn, purchase, CLV, spend tier), searched by id, filtered, sorted and paged in
 * DuckDB, so a store of millions sends a browser 20 rows, not millions.
 *
 * Point in time: orders before `asOf` count (their status as of it); stored predictions are joined
 * only when they are as of `asOf` or earlier (later ones read data after it), else the prediction
 * fields are null and `predictions.reason` says why.
 *
 * @example
 *   const page = await customerTable(wh, { segment: 'at_risk', sort: 'clv_365d', page: 1 });
 *   page.total; // customers at risk; page.customers: the 20 most valuable of them
 */
import type { ChurnRisk, SpendTierName } from '../../schema/predictions.js';
import type { Warehouse } from '../warehouse.js';
import { parseInstant } from './period.js';
import { defaultAsOf, scoredSql } from './rfm.js';
import { PROSPECTS_RULE, SEGMENT_LABELS, type RfmSegment } from './rfm-segments.js';
import { money, Params } from './sql.js';

/** Columns the table sorts by (the API's `sort`). */
export const CUSTOMER_SORTS = [
  'customer_id',
  'recency_days',
  'orders',
  'spend',
  'churn_probability',
  'purchase_probability',
  'clv_365d',
] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export const MAX_PAGE_SIZE = 100;

export interface CustomerTableOptions {
  /** 'YYYY-MM-DD' (default: the day after the last order, as /v1/segments). */
  readonly asOf?: string;
  /** Part of the customer id, any case. */
  readonly search?: string;
  readonly segment?: RfmSegment;
  readonly churnRisk?: ChurnRisk;
  readonly spendTier?: SpendTierName;
  readonly country?: string;
  /** Default 'spend'. */
  readonly sort?: CustomerSort;
  /** Default 'desc' ('asc' for customer_id). Nulls (prospects, no prediction) always last. */
  readonly order?: 'asc' | 'desc';
  /** 1-based (default 1). */
  readonly page?: number;
  /** 1 to MAX_PAGE_SIZE (default 20). */
  readonly pageSize?: number;
}

export interface CustomerTableRow {
  readonly customerId: string;
  readonly country: string | null;
  /** As stored: the surfaces mask it (server/routes/customer-table.ts). */
  readonly email: string | null;
  readonly segment: RfmSegment;
  readonly segmentLabel: string;
  /** Null for prospects (no sales order before asOf). */
  readonly recencyDays: number | null;
  /** Day of the last sales order, 'YYYY-MM-DD'. */
  readonly lastOrderAt: string | null;
  /** Sales orders before asOf. */
  readonly orders: number;
  /** Gross revenue of those orders (RFM monetary). */
  readonly spend: number;
  readonly r: number | null;
  readonly f: number | null;
  readonly m: number | null;
  /** The stored predictions (null when the customer has none usable as of asOf). */
  readonly churnProbability: number | null;
  readonly churnRisk: ChurnRisk | null;
  readonly purchaseProbability: number | null;
  readonly clv365d: number | null;
  readonly spendTier: SpendTierName | null;
}

export interface CustomerTablePage {
  readonly asOf: string;
  /** Customers matching the search and filters (all pages). */
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly sort: CustomerSort;
  readonly order: 'asc' | 'desc';
  /** Whether prediction columns are filled, the day they are as of, and why not when they are not. */
  readonly predictions: { available: boolean; asOf: string | null; reason: string | null };
  readonly customers: CustomerTableRow[];
}

/** SQL expression of each sort column over the `t` rows below. */
const SORT_SQL: Record<CustomerSort, string> = {
  customer_id: 'customer_id',
  recency_days: 'recency_days',
  orders: 'orders',
  spend: 'spend',
  churn_probability: 'churn_probability',
  purchase_probability: 'purchase_probability',
  clv_365d: 'clv_365d',
};

type Row = {
  customer_id: string;
  country: string | null;
  email: string | null;
  segment: RfmSegment;
  recency_days: number | null;
  last_order_at: string | null;
  orders: number;
  spend: number;
  r: number | null;
  f: number | null;
  m: number | null;
  churn_probability: number | null;
  churn_risk: ChurnRisk | null;
  purchase_probability: number | null;
  clv_365d: number | null;
  spend_tier: SpendTierName | null;
  total: number;
};

function wholeNumber(v: number | undefined, fallback: number, name: string, max = Infinity): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1 || v > max) {
    throw new RangeError(
      `${name} must be a whole number from 1${max < Infinity ? ` to ${max}` : ''}, got ${v}`,
    );
  }
  return v;
}

/** Stored predictions usable as of the day, or why none are. */
async function predictionsStatus(
  wh: Warehouse,
  asOf: string,
): Promise<{ available: boolean; asOf: string | null; reason: string | null }> {
  const [row] = await wh.rows<{ n: number; as_of: string | null }>(
    `SELECT count(*) AS n, strftime(max(as_of), '%Y-%m-%d') AS as_of FROM customer_predictions`,
  );
  if (!row || row.n === 0) {
    return {
      available: false,
      asOf: null,
      reason: 'no predictions stored: run `shopsight train customers` then `shopsight predict customers`',
    };
  }
  if (row.as_of !== null && row.as_of > asOf) {
    return {
      available: false,
      asOf: row.as_of,
      reason: `the stored predictions are as of ${row.as_of}, after ${asOf}: they read later data`,
    };
  }
  return { available: true, asOf: row.as_of, reason: null };
}

export async function customerTable(
  wh: Warehouse,
  options: CustomerTableOptions = {},
): Promise<CustomerTablePage> {
  if (options.asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.asOf)) {
    throw new RangeError(`as_of must be a day like 2024-01-31, got '${options.asOf}'`);
  }
  const asOf = options.asOf ? parseInstant(options.asOf, 'as_of').slice(0, 10) : await defaultAsOf(wh);
  const page = wholeNumber(options.page, 1, 'page');
  const pageSize = wholeNumber(options.pageSize, 20, 'page_size', MAX_PAGE_SIZE);
  const sort = options.sort ?? 'spend';
  if (!CUSTOMER_SORTS.includes(sort))
    throw new RangeError(`sort must be one of ${CUSTOMER_SORTS.join(', ')}`);
  const order = options.order ?? (sort === 'customer_id' ? 'asc' : 'desc');
  const predictions = await predictionsStatus(wh, asOf);

  const params = new Params();
  const day = params.add(asOf);
  const filters: string[] = [];
  if (options.search) filters.push(`contains(lower(customer_id), lower(${params.add(options.search)}))`);
  if (options.segment) filters.push(`segment = ${params.add(options.segment)}`);
  if (options.churnRisk) filters.push(`churn_risk = ${params.add(options.churnRisk)}`);
  if (options.spendTier) filters.push(`spend_tier = ${params.add(options.spendTier)}`);
  if (options.country) filters.push(`country = ${params.add(options.country)}`);
  // Prospects are the customers rows seen before the day with no sales order, as `rfm` counts them.
  const head = `
    WITH ${scoredSql(day)},
    t AS (
      SELECT coalesce(s.customer_id, k.customer_id) AS customer_id, k.country, k.email,
             coalesce(s.segment, '${PROSPECTS_RULE.segment}') AS segment,
             s.recency_days,
             strftime(CAST(${day} AS DATE) - CAST(s.recency_days AS INTEGER), '%Y-%m-%d') AS last_order_at,
             coalesce(s.frequency, 0) AS orders, CAST(coalesce(s.monetary, 0) AS DOUBLE) AS spend,
             s.r, s.f, s.m,
             p.churn_probability, p.churn_risk, p.purchase_probability, p.clv_365d, p.spend_tier
      FROM seg s
      FULL OUTER JOIN customers k ON k.customer_id = s.customer_id
      LEFT JOIN customer_predictions p
        ON p.customer_id = coalesce(s.customer_id, k.customer_id) AND ${predictions.available ? 'true' : 'false'}
      WHERE s.customer_id IS NOT NULL OR k.first_seen_at IS NULL OR k.first_seen_at < CAST(${day} AS DATE)
    ),
    filtered AS MATERIALIZED (SELECT * FROM t ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''})`;
  const rows = await wh.rows<Row>(
    `${head}
     SELECT *, (SELECT count(*) FROM filtered) AS total
     FROM filtered
     ORDER BY ${SORT_SQL[sort]} ${order === 'asc' ? 'ASC' : 'DESC'} NULLS LAST, customer_id
     LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
    params.values,
  );
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page > 1) {
    // Past the last page: still say how many there are.
    const [n] = await wh.rows<{ total: number }>(
      `${head} SELECT count(*) AS total FROM filtered`,
      params.values,
    );
    total = n?.total ?? 0;
  }
  return {
    asOf,
    total: Number(total),
    page,
    pageSize,
    sort,
    order,
    predictions,
    customers: rows.map((r) => ({
      customerId: r.customer_id,
      country: r.country,
      email: r.email,
      segment: r.segment,
      segmentLabel: SEGMENT_LABELS[r.segment],
      recencyDays: r.recency_days === null ? null : Number(r.recency_days),
      lastOrderAt: r.last_order_at,
      orders: Number(r.orders),
      spend: money(r.spend),
      r: r.r,
      f: r.f,
      m: r.m,
      churnProbability: r.churn_probability,
      churnRisk: r.churn_risk,
      purchaseProbability: r.purchase_probability,
      clv365d: r.clv_365d,
      spendTier: r.spend_tier,
    })),
  };
}
