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
 * status they had at the cutoff (analytics/sql.ts ordersAsOf). Spend is summed exactly (DECIMAL)
 * and read as text, then divided by the repeat days here, so a ClickHouse cluster
 * (btyd-summary-clickhouse.ts) gives the same doubles as DuckDB.
 *
 * @example
 *   const s = await btydSummary(wh, m.customerIds, cutoff);
 *   s.frequency[i]; s.recency[i]; s.T[i]; s.monetary[i];
 */
import { lineAmount, ordersAsOf } from '../warehouse/analytics/sql.js';
import { ClickHouseStore } from '../warehouse/clickhouse/clickhouse-store.js';
import type { Columns, Warehouse } from '../warehouse/warehouse.js';
import { chBtydColumns } from './btyd-summary-clickhouse.js';

export interface BtydSummary {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly monetary: Float64Array;
}

/** The summary query's columns on either engine: the repeat days' spend is exact decimal text. */
export const BTYD_COLUMNS = {
  customer_id: 'str',
  frequency: 'f64',
  recency: 'f64',
  t: 'f64',
  repeat_spend: 'str',
} as const;

export async function btydSummary(
  wh: Warehouse,
  customerIds: readonly string[],
  cutoff: Date,
): Promise<BtydSummary> {
  const c =
    wh instanceof ClickHouseStore ? await chBtydColumns(wh, cutoff) : await duckBtydColumns(wh, cutoff);
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
    const frequency = c.frequency[r]!;
    out.frequency[i] = frequency;
    out.recency[i] = c.recency[r]!;
    out.T[i] = c.t[r]!;
    out.monetary[i] = frequency > 0 ? Number(c.repeat_spend[r]) / frequency : 0;
  });
  return out;
}

/** DuckDB's summary query: amounts DECIMAL up to the repeat days' sum, read as text (exact on both engines). */
function duckBtydColumns(wh: Warehouse, cutoff: Date): Promise<Columns<typeof BTYD_COLUMNS>> {
  return wh.columns(
    `WITH ord AS (
       SELECT o.order_id, any_value(o.customer_id) AS customer_id, CAST(any_value(o.ordered_at) AS DATE) AS d,
              coalesce(sum(${lineAmount('i')}), any_value(o.total), 0) AS amount
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
            CAST(coalesce(sum(amount) FILTER (WHERE k > 1), 0) AS VARCHAR) AS repeat_spend
     FROM days GROUP BY customer_id`,
    BTYD_COLUMNS,
    [cutoff],
  );
}
