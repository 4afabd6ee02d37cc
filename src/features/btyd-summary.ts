/**
 * @module features/btyd-summary
 * The per-customer summary the "buy till you die" models (BG/NBD, Pareto/NBD, Gamma-Gamma) fit on,
 * as of a cutoff, in days - the layout of the `lifetimes` package's summary_data_from_transaction_data
 * with freq='D':
 *   frequency      = purchase days - 1 (repeat purchase days; several orders on one day are one)
 *   recency        = days from the first to the last purchase day (0 for one-time buyers)
 *   T              = days from the first purchase day to the cutoff day
 *   monetary_value = mean spend per repeat purchase day (0 when frequency = 0), as lifetimes does,
 *                    so the Gamma-Gamma fit sees repeat purchases only
 * Rows are aligned with the customer ids asked for (the feature matrix's order). Orders carry the
 * status they had at the cutoff (analytics/sql.ts ordersAsOf).
 *
 * @example
 *   const s = await btydSummary(wh, m.customerIds, cutoff);
 *   s.frequency[i]; s.recency[i]; s.T[i]; s.monetary[i];
 */
import { lineAmount, ordersAsOf } from '../warehouse/analytics/sql.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface BtydSummary {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly monetary: Float64Array;
}

export async function btydSummary(
  wh: Warehouse,
  customerIds: readonly string[],
  cutoff: Date,
): Promise<BtydSummary> {
  const c = await wh.columns(
    `WITH ord AS (
       SELECT o.order_id, any_value(o.customer_id) AS customer_id, CAST(any_value(o.ordered_at) AS DATE) AS d,
              coalesce(CAST(sum(${lineAmount('i')}) AS DOUBLE), CAST(any_value(o.total) AS DOUBLE), 0) AS amount
       FROM ${ordersAsOf('CAST($1 AS TIMESTAMP)')} o LEFT JOIN order_items i ON i.order_id = o.order_id
       WHERE o.customer_id IS NOT NULL AND o.status NOT IN ('cancelled', 'returned')
         AND o.ordered_at < CAST($1 AS TIMESTAMP)
       GROUP BY o.order_id
     ),
     days AS (
       SELECT customer_id, d, sum(amount) AS amount, row_number() OVER (PARTITION BY customer_id ORDER BY d) AS k
       FROM ord GROUP BY customer_id, d
     )
     SELECT customer_id, count(*) - 1 AS frequency,
            date_diff('day', min(d), max(d)) AS recency,
            date_diff('day', min(d), CAST(CAST($1 AS TIMESTAMP) AS DATE)) AS t,
            coalesce(avg(amount) FILTER (WHERE k > 1), 0) AS monetary
     FROM days GROUP BY customer_id`,
    { customer_id: 'str', frequency: 'f64', recency: 'f64', t: 'f64', monetary: 'f64' },
    [cutoff],
  );
  const index = new Map<string, number>();
  for (let r = 0; r < c.length; r++) index.set(c.customer_id[r] ?? '', r);
  const n = customerIds.length;
  const out = {
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    T: new Float64Array(n),
    monetary: new Float64Array(n),
  };
  customerIds.forEach((id, i) => {
    const r = index.get(id);
    if (r === undefined) throw new Error(`btyd summary: customer ${id} has no sales order before the cutoff`);
    out.frequency[i] = c.frequency[r]!;
    out.recency[i] = c.recency[r]!;
    out.T[i] = c.t[r]!;
    out.monetary[i] = c.monetary[r]!;
  });
  return out;
}
