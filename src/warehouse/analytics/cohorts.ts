/**
 * @module warehouse/analytics/cohorts
 * Monthly retention cohorts: a customer's cohort is the month of their first sales order; the matrix
 * says which share of each cohort placed a sales order k months later (k = 0 is always 1).
 * SQL returns one row per (cohort, k) with the active count; the matrix is assembled here because
 * it is tiny (cohorts x months), and filling the zeros in JS keeps the SQL a single GROUP BY.
 *
 * @example
 *   const m = await cohortRetention(wh);
 *   m.cohorts[0]; // { cohort: '2010-12-01', size: 948, active: [948, 362, ...], retention: [1, 0.38, ...] }
 */
import type { Warehouse } from '../warehouse.js';
import { fromClause, resolvePeriod, toClause, type Period, type ResolvedPeriod } from './period.js';
import { isSale, Params } from './sql.js';

export interface CohortOptions {
  /** Keeps cohorts whose first sales order falls in the period; activity is counted up to `to`. */
  readonly period?: Period;
}

export interface CohortRow {
  /** First day of the cohort month, 'YYYY-MM-DD'. */
  readonly cohort: string;
  /** Customers whose first sales order is in this month. */
  readonly size: number;
  /** active[k] = cohort customers with a sales order in month cohort + k. */
  readonly active: number[];
  /** retention[k] = active[k] / size. */
  readonly retention: number[];
}

export interface CohortMatrix {
  readonly period: ResolvedPeriod;
  /** The last month with any sales order up to `to` (the right edge), or null when no cohort matched. */
  readonly lastMonth: string | null;
  /** Columns of the widest row (the oldest cohort): months since first purchase 0..months-1. */
  readonly months: number;
  readonly cohorts: CohortRow[];
}

export type CellRow = { cohort: string; k: number; n: number; span: number; last_month: string };

export async function cohortRetention(wh: Warehouse, options: CohortOptions = {}): Promise<CohortMatrix> {
  const period = resolvePeriod(options.period);
  const params = new Params();
  // s: one row per customer and month with a sales order; f: each customer's first order.
  const sql = `
    WITH s AS (
      SELECT customer_id, date_trunc('month', ordered_at) AS m, min(ordered_at) AS first_in_month
      FROM orders o
      WHERE ${isSale('o')} AND customer_id IS NOT NULL AND ${toClause('ordered_at', period, params)}
      GROUP BY customer_id, m
    ),
    f AS (
      SELECT customer_id, min(m) AS cohort, min(first_in_month) AS first_at FROM s GROUP BY customer_id
    ),
    edge AS (SELECT max(m) AS last_m FROM s)
    SELECT strftime(f.cohort, '%Y-%m-%d') AS cohort,
           date_diff('month', f.cohort, s.m) AS k,
           count(*) AS n,
           any_value(date_diff('month', f.cohort, edge.last_m)) + 1 AS span,
           any_value(strftime(edge.last_m, '%Y-%m-%d')) AS last_month
    FROM s JOIN f ON f.customer_id = s.customer_id, edge
    WHERE ${fromClause('f.first_at', period, params)}
    GROUP BY f.cohort, k
    ORDER BY f.cohort, k`;
  return cohortMatrix(period, await wh.rows<CellRow>(sql, params.values));
}

/**
 * The matrix from one row per (cohort, k) with its active count, the cohort's span in months up to
 * the right edge and that edge; shared by the engines (clickhouse/analytics/cohorts.ts).
 */
export function cohortMatrix(period: ResolvedPeriod, cells: readonly CellRow[]): CohortMatrix {
  const byCohort = new Map<string, { span: number; active: number[] }>();
  for (const c of cells) {
    let row = byCohort.get(c.cohort);
    if (!row) {
      row = { span: c.span, active: new Array<number>(c.span).fill(0) };
      byCohort.set(c.cohort, row);
    }
    row.active[c.k] = c.n;
  }
  const cohorts: CohortRow[] = [...byCohort].map(([cohort, { active }]) => {
    const size = active[0] ?? 0;
    return { cohort, size, active, retention: active.map((n) => (size > 0 ? n / size : 0)) };
  });
  return {
    period,
    lastMonth: cells[0]?.last_month ?? null,
    months: Math.max(0, ...cohorts.map((c) => c.active.length)),
    cohorts,
  };
}
