/**
 * @module features/customer-outcomes
 * What each customer did in the window after a cutoff: the labels for training and evaluation.
 * Only evaluation and training read past the cutoff, and only through this module, so it is easy to
 * see where the future enters.
 *
 * A purchase = a sales order (not cancelled or returned) at or after the cutoff and before
 * cutoff + horizon days. Spend = the gross value of those orders. The status is the one the order
 * had at the end of the window (cutoff + horizon), so a label is what was known the day it could
 * first be computed: an order returned after the window stays a purchase in it, and a label does
 * not drift as later returns arrive. On a ClickHouse cluster the same query runs per shard
 * (customer-outcomes-clickhouse.ts); spend is summed exactly (DECIMAL) on both engines and read as
 * text, so the two give equal labels and spends to the last bit.
 *
 * @example
 *   const y = await customerOutcomes(wh, m.customerIds, { cutoff, horizonDays: 90 });
 *   y.bought[i]; // 1 when customer m.customerIds[i] ordered in [cutoff, cutoff + 90 days)
 */
import { lineAmount, ordersAsOf } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Columns, Warehouse } from '../warehouse/warehouse.js';
import { chOutcomeColumns } from './customer-outcomes-clickhouse.js';

export interface CustomerOutcomes {
  /** 1 = ordered in the window, 0 = did not; aligned with the ids asked for. */
  readonly bought: Float32Array;
  /** Orders in the window. */
  readonly orders: Float64Array;
  /** Gross spend in the window (0 when none). */
  readonly spend: Float64Array;
  /** Days from the cutoff to the first order in the window (NaN when none). */
  readonly firstOrderDays: Float64Array;
}

/** The window query's columns on either engine: spend is exact decimal text, parsed here. */
export const OUTCOME_COLUMNS = {
  customer_id: 'str',
  orders: 'f64',
  spend: 'str',
  first_seconds: 'f64',
} as const;

export async function customerOutcomes(
  wh: Warehouse,
  customerIds: readonly string[],
  window: { readonly cutoff: Date; readonly horizonDays: number },
): Promise<CustomerOutcomes> {
  const c =
    wh instanceof ClickHouseStore
      ? await chOutcomeColumns(wh, window.cutoff, window.horizonDays)
      : await duckOutcomeColumns(wh, window.cutoff, window.horizonDays);
  const index = new Map<string, number>();
  customerIds.forEach((id, i) => index.set(id, i));
  const n = customerIds.length;
  const out = {
    bought: new Float32Array(n),
    orders: new Float64Array(n),
    spend: new Float64Array(n),
    firstOrderDays: new Float64Array(n).fill(NaN),
  };
  for (let r = 0; r < c.length; r++) {
    const i = index.get(c.customer_id[r] ?? '');
    if (i === undefined) continue; // a first-time buyer in the window: not in the scored population
    out.bought[i] = 1;
    out.orders[i] = c.orders[r]!;
    out.spend[i] = Number(c.spend[r]);
    out.firstOrderDays[i] = c.first_seconds[r]! / 86400;
  }
  return out;
}

/**
 * DuckDB's window query. Amounts stay DECIMAL up to the customer's sum, read as text: both engines
 * then give the same double (a DOUBLE sum would depend on the order of the rows).
 */
function duckOutcomeColumns(
  wh: Warehouse,
  cutoff: Date,
  horizonDays: number,
): Promise<Columns<typeof OUTCOME_COLUMNS>> {
  return wh.columns(
    `WITH ord AS (
       SELECT o.order_id, any_value(o.customer_id) AS customer_id,
              date_diff('second', CAST($1 AS TIMESTAMP), any_value(o.ordered_at)) AS seconds,
              coalesce(sum(${lineAmount('i')}), any_value(o.total), 0) AS amount
       FROM ${ordersAsOf('CAST($1 AS TIMESTAMP) + to_days(CAST($2 AS INTEGER))')} o
       LEFT JOIN order_items i ON i.order_id = o.order_id
       WHERE o.customer_id IS NOT NULL AND o.status NOT IN ('cancelled', 'returned')
         AND o.ordered_at >= CAST($1 AS TIMESTAMP)
         AND o.ordered_at < CAST($1 AS TIMESTAMP) + to_days(CAST($2 AS INTEGER))
       GROUP BY o.order_id
     )
     SELECT customer_id, count(*) AS orders, CAST(sum(amount) AS VARCHAR) AS spend, min(seconds) AS first_seconds
     FROM ord GROUP BY customer_id`,
    OUTCOME_COLUMNS,
    [cutoff, horizonDays],
  );
}
