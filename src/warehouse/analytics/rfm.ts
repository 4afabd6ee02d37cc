/**
 * @module warehouse/analytics/rfm
 * RFM scores and segments as of a date, computed in one SQL pass over the orders before that date.
 *
 * Scores are quintiles that never split ties: score = 1 + floor(5 * below / n), where `below` is the
 * number of customers with a strictly worse value (rank() - 1) and n the number of scored customers.
 * Equal values share a rank, so they always share a score (NTILE would cut a run of equal values
 * arbitrarily). Recency is ranked with the longest gap as worst, so more recent = higher score.
 * Monetary sums stay DECIMAL until ranked, so two equal spends cannot differ by float noise.
 *
 * @example
 *   const r = await rfm(wh);                     // as of the day after the last order
 *   r.segments.find((s) => s.segment === 'champions')?.customers;
 */
import type { Warehouse } from '../warehouse.js';
import { parseInstant } from './period.js';
import {
  PROSPECTS_RULE,
  SEGMENT_LABELS,
  SEGMENT_RULES,
  segmentCaseSql,
  type RfmSegment,
} from './rfm-segments.js';
import { isSale, lineAmount, money, ordersAsOf, Params, ratio } from './sql.js';

export interface RfmOptions {
  /** 'YYYY-MM-DD': orders before this day count, recency is measured to it. Default: day after the last order. */
  readonly asOf?: string;
  /** Return one row per scored customer (default true). Segment counts are always returned. */
  readonly includeCustomers?: boolean;
}

/** One scored customer (field names follow the warehouse columns so features can join on them). */
export interface RfmCustomer {
  readonly customer_id: string;
  /** Days from the day of the last sales order to asOf (>= 1 with the default asOf). */
  readonly recency_days: number;
  /** Number of sales orders before asOf. */
  readonly frequency: number;
  /** Gross revenue of those orders. */
  readonly monetary: number;
  readonly r: number;
  readonly f: number;
  readonly m: number;
  readonly segment: Exclude<RfmSegment, 'prospects'>;
}

export interface RfmSegmentSummary {
  readonly segment: RfmSegment;
  readonly label: string;
  readonly customers: number;
  /** customers / (scored customers + prospects). */
  readonly share: number | null;
  /** Averages over the segment's customers (null for prospects and empty segments). */
  readonly avgRecencyDays: number | null;
  readonly avgFrequency: number | null;
  readonly avgMonetary: number | null;
  /** Gross revenue of the segment's customers. */
  readonly monetary: number;
}

export interface RfmResult {
  readonly asOf: string;
  /** Customers with at least one sales order before asOf. */
  readonly scoredCustomers: number;
  /** Customers rows seen before asOf without any sales order. */
  readonly prospects: number;
  /** Every rule's segment in rule-table order (zero counts included), then prospects when any exist. */
  readonly segments: RfmSegmentSummary[];
  /** Ordered by customer_id; empty when includeCustomers is false. */
  readonly customers: RfmCustomer[];
}

/**
 * The scored-customers CTEs shared by the summary, the per-customer query and the customer table
 * (customer-table.ts): `seg` holds one row per scored customer. Orders carry their status as of the
 * day (a later return does not undo a sale), so the RFM baseline of the customer models sees what
 * the features see. `asOf` is a placeholder bound to a 'YYYY-MM-DD' day.
 */
export function scoredSql(asOf: string): string {
  return `
    o AS (
      SELECT o.order_id, any_value(o.customer_id) AS customer_id, any_value(o.ordered_at) AS ordered_at,
             coalesce(sum(${lineAmount('i')}), 0) AS amount
      FROM ${ordersAsOf(`CAST(CAST(${asOf} AS DATE) AS TIMESTAMP)`)} o
      LEFT JOIN order_items i ON i.order_id = o.order_id
      WHERE ${isSale('o')} AND o.customer_id IS NOT NULL AND o.ordered_at < CAST(${asOf} AS DATE)
      GROUP BY o.order_id
    ),
    c AS (
      SELECT customer_id,
             date_diff('day', CAST(max(ordered_at) AS DATE), CAST(${asOf} AS DATE)) AS recency_days,
             count(*) AS frequency, sum(amount) AS monetary
      FROM o GROUP BY customer_id
    ),
    scored AS (
      SELECT *,
             CAST(1 + (5 * (rank() OVER (ORDER BY recency_days DESC) - 1)) // count(*) OVER () AS INTEGER) AS r,
             CAST(1 + (5 * (rank() OVER (ORDER BY frequency) - 1)) // count(*) OVER () AS INTEGER) AS f,
             CAST(1 + (5 * (rank() OVER (ORDER BY monetary) - 1)) // count(*) OVER () AS INTEGER) AS m
      FROM c
    ),
    seg AS (SELECT *, ${segmentCaseSql()} AS segment FROM scored)`;
}

/** RfmCustomer as a row type (a type alias, which rows<T> accepts). */
type CustomerRow = { [K in keyof RfmCustomer]: RfmCustomer[K] };

export async function rfm(wh: Warehouse, options: RfmOptions = {}): Promise<RfmResult> {
  const asOf = options.asOf !== undefined ? rfmAsOfDay(options.asOf) : await defaultAsOf(wh);
  const params = new Params();
  const asOfParam = params.add(asOf);
  const summary = await wh.rows<SegmentTotals>(
    `WITH ${scoredSql(asOfParam)}
     SELECT segment, count(*) AS customers, avg(recency_days) AS avg_recency, avg(frequency) AS avg_frequency,
            CAST(sum(monetary) AS DOUBLE) AS monetary
     FROM seg GROUP BY segment
     UNION ALL
     SELECT '${PROSPECTS_RULE.segment}', count(*), NULL, NULL, 0
     FROM customers k
     WHERE (k.first_seen_at IS NULL OR k.first_seen_at < CAST(${asOfParam} AS DATE))
       AND NOT EXISTS (SELECT 1 FROM c WHERE c.customer_id = k.customer_id)`,
    params.values,
  );
  const customers =
    options.includeCustomers === false
      ? []
      : (
          await wh.rows<CustomerRow>(
            `WITH ${scoredSql(asOfParam)}
             SELECT customer_id, recency_days, frequency, CAST(monetary AS DOUBLE) AS monetary, r, f, m, segment
             FROM seg ORDER BY customer_id`,
            params.values,
          )
        ).map((r) => ({ ...r, monetary: money(r.monetary) }));
  return rfmResult(asOf, summary, customers);
}

/** 'YYYY-MM-DD' checked (a real day), or a RangeError naming the value. */
export function rfmAsOfDay(asOf: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
    throw new RangeError(`asOf must be a day like 2024-01-31, got '${asOf}'`);
  }
  return parseInstant(asOf, 'asOf').slice(0, 10);
}

/**
 * One row per segment found (prospects included, with their count): what each engine's query
 * returns, so both build the RfmResult the same way (rfmResult).
 */
export type SegmentTotals = {
  readonly segment: string;
  readonly customers: number;
  readonly avg_recency: number | null;
  readonly avg_frequency: number | null;
  /** Gross revenue of the segment's customers (the exact sum cast to a double). */
  readonly monetary: number;
};

/** The RfmResult from the per-segment totals and the scored customers (empty when not asked for). */
export function rfmResult(
  asOf: string,
  summary: readonly SegmentTotals[],
  customers: RfmCustomer[],
): RfmResult {
  const found = new Map(summary.map((s) => [s.segment, s]));
  const unmatched = summary.filter(
    (s) =>
      s.segment === null ||
      (s.segment !== PROSPECTS_RULE.segment && !SEGMENT_LABELS[s.segment as RfmSegment]),
  );
  if (unmatched.length) throw new Error('rfm: some customers matched no segment rule');
  const prospects = found.get(PROSPECTS_RULE.segment)?.customers ?? 0;
  const scoredCustomers = summary.reduce(
    (s, r) => s + (r.segment === PROSPECTS_RULE.segment ? 0 : r.customers),
    0,
  );
  const total = scoredCustomers + prospects;

  const order: RfmSegment[] = SEGMENT_RULES.map((r) => r.segment);
  if (prospects > 0) order.push(PROSPECTS_RULE.segment);
  const segments = order.map((segment): RfmSegmentSummary => {
    const s = found.get(segment);
    const n = s?.customers ?? 0;
    const scored = segment !== PROSPECTS_RULE.segment && n > 0;
    return {
      segment,
      label: SEGMENT_LABELS[segment],
      customers: n,
      share: ratio(n, total),
      avgRecencyDays: scored ? (s?.avg_recency ?? null) : null,
      avgFrequency: scored ? (s?.avg_frequency ?? null) : null,
      avgMonetary: scored && s ? money(s.monetary / n) : null,
      monetary: money(s?.monetary ?? 0),
    };
  });
  return { asOf, scoredCustomers, prospects, segments, customers };
}

/**
 * One customer's RFM row as of a day, scored against every customer as `rfm` scores them (the same
 * SQL), or null when they have no sales order before that day (a prospect).
 */
export async function rfmOfCustomer(
  wh: Warehouse,
  customerId: string,
  asOf: string,
): Promise<RfmCustomer | null> {
  const params = new Params();
  const asOfParam = params.add(rfmAsOfDay(asOf));
  const [row] = await wh.rows<CustomerRow>(
    `WITH ${scoredSql(asOfParam)}
     SELECT customer_id, recency_days, frequency, CAST(monetary AS DOUBLE) AS monetary, r, f, m, segment
     FROM seg WHERE customer_id = ${params.add(customerId)}`,
    params.values,
  );
  return row ? { ...row, monetary: money(row.monetary) } : null;
}

/** The day after the last order of any status, so the newest order has recency 1. */
export async function defaultAsOf(wh: Warehouse): Promise<string> {
  const [row] = await wh.rows<{ as_of: string | null }>(
    `SELECT strftime(CAST(max(ordered_at) AS DATE) + 1, '%Y-%m-%d') AS as_of FROM orders`,
  );
  return row?.as_of ?? new Date().toISOString().slice(0, 10);
}
