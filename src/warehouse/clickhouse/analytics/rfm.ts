/**
 * @module warehouse/clickhouse/analytics/rfm
 * analytics/rfm.ts on ClickHouse. 18.16 has no window functions, so the cluster computes what is
 * per customer (recency, frequency, exact spend as of the day; a customer's orders live on one
 * shard) and rfm-scores.ts ranks and segments them by the rule DuckDB's SQL applies: the contract
 * suite checks every customer's scores and segment against DuckDB's. The RfmResult is assembled by
 * the same function as DuckDB's (rfmResult).
 */
import { PROSPECTS_RULE } from '../../analytics/rfm-segments.js';
import { parseDecimal, scoreRfm, segmentTotals, type RfmValues } from '../../analytics/rfm-scores.js';
import { rfmAsOfDay, rfmResult, type RfmOptions, type RfmResult } from '../../analytics/rfm.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { chString } from '../format-value.js';
import { isSaleStatus, ordersAsOfWithAmounts } from './sql.js';

/** Decimal scale of a line amount (sql.ts LINE_AMOUNT is Decimal(18, 8)); sums keep it. */
export const RFM_AMOUNT_SCALE = 8;

/**
 * The sales orders before the day (`asOf` checked, 'YYYY-MM-DD'), with their status as of its midnight
 * (a later return does not undo a sale), as DuckDB's scoredSql; every customer's, or one customer's.
 */
function salesSql(
  ch: ClickHouseStore,
  asOf: string,
  scope: { orders?: string; customerId?: string },
): string {
  return `
    SELECT customer_id, ordered_at, amount
    FROM ${ordersAsOfWithAmounts(
      ch,
      `${asOf} 00:00:00`,
      'customer_id, ordered_at',
      `customer_id IS NOT NULL AND ordered_at < toDateTime(toDate(${chString(asOf)}), 'UTC')`,
      scope,
    )}
    WHERE ${isSaleStatus('status_as_of')}`;
}

/**
 * Recency, frequency and exact spend as of the day (`asOf` checked) of every customer with a sale
 * before it, by customer id; with `customerId`, of that customer only (none: a prospect).
 */
export async function chRfmValues(
  ch: ClickHouseStore,
  asOf: string,
  customerId?: string,
): Promise<RfmValues[]> {
  const rows = await ch.rows<{
    customer_id: string;
    recency_days: number;
    frequency: string;
    monetary: string;
  }>(`
    SELECT assumeNotNull(customer_id) AS customer_id,
           toInt32(toDate(${chString(asOf)}) - toDate(max(ordered_at))) AS recency_days,
           count() AS frequency, toString(sum(amount)) AS monetary
    FROM (${salesSql(ch, asOf, { customerId })})
    GROUP BY customer_id
    ORDER BY customer_id`);
  return rows.map((r) => ({
    customer_id: r.customer_id,
    recency_days: Number(r.recency_days),
    frequency: Number(r.frequency),
    monetary: parseDecimal(r.monetary, RFM_AMOUNT_SCALE),
  }));
}

export async function chRfm(ch: ClickHouseStore, options: RfmOptions = {}): Promise<RfmResult> {
  const asOf = options.asOf !== undefined ? rfmAsOfDay(options.asOf) : await chDefaultAsOf(ch);
  const day = `toDate(${chString(asOf)})`;
  const values = await chRfmValues(ch, asOf);
  const scored = scoreRfm(values, RFM_AMOUNT_SCALE);
  // Customers rows seen before the day without a sale before it. The Distributed customers is the
  // left side, so each shard counts its own customers against its own orders (same hash, schema.ts).
  const [p] = await ch.rows<{ n: string }>(`
    SELECT count() AS n FROM customers
    WHERE (first_seen_at IS NULL OR first_seen_at < toDateTime(${day}, 'UTC'))
      AND customer_id NOT IN (SELECT customer_id FROM (${salesSql(ch, asOf, { orders: ch.localTable('orders') })}))`);
  const summary = segmentTotals(
    scored,
    values.map((v) => v.monetary),
    RFM_AMOUNT_SCALE,
  );
  summary.push({
    segment: PROSPECTS_RULE.segment,
    customers: Number(p?.n ?? 0),
    avg_recency: null,
    avg_frequency: null,
    monetary: 0,
  });
  return rfmResult(asOf, summary, options.includeCustomers === false ? [] : scored);
}

/** The day after the last order of any status (analytics/rfm.ts defaultAsOf). */
export async function chDefaultAsOf(ch: ClickHouseStore): Promise<string> {
  const [row] = await ch.rows<{ as_of: string; n: string }>(
    'SELECT toString(toDate(max(ordered_at)) + 1) AS as_of, count() AS n FROM orders',
  );
  return row && Number(row.n) > 0 ? row.as_of : new Date().toISOString().slice(0, 10);
}
