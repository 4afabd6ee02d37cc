/**
 * @module warehouse/clickhouse/analytics/cohorts
 * analytics/cohorts.ts on ClickHouse: the same cells (cohort month, months since, active customers)
 * from 18.16 SQL with no CTEs and one JOIN per level: each customer's months with a sales order are
 * gathered into an array next to the first month, then ARRAY JOIN turns them into cells. The matrix
 * is assembled by the same function as DuckDB's (cohortMatrix).
 */
import {
  cohortMatrix,
  type CellRow,
  type CohortMatrix,
  type CohortOptions,
} from '../../analytics/cohorts.js';
import { resolvePeriod } from '../../analytics/period.js';
import type { ClickHouseStore } from '../clickhouse-store.js';
import { chString } from '../format-value.js';
import { fromCond, IS_SALE, toCond } from './sql.js';

const MONTHS_BETWEEN = (a: string, b: string): string =>
  `((toYear(${b}) - toYear(${a})) * 12 + toMonth(${b}) - toMonth(${a}))`;

export async function chCohortRetention(
  ch: ClickHouseStore,
  options: CohortOptions = {},
): Promise<CohortMatrix> {
  const period = resolvePeriod(options.period);
  const sales = `${IS_SALE} AND customer_id IS NOT NULL AND ${toCond('ordered_at', period)}`;
  const [edge] = await ch.rows<{ last_m: string; n: number }>(
    `SELECT toString(max(toStartOfMonth(ordered_at))) AS last_m, count() AS n FROM orders WHERE ${sales}`,
  );
  if (!edge || Number(edge.n) === 0) return cohortMatrix(period, []);
  const lastM = `toDate(${chString(edge.last_m)})`;
  const cells = await ch.rows<CellRow>(`
    SELECT toString(first_m) AS cohort, ${MONTHS_BETWEEN('first_m', 'm')} AS k, count() AS n,
           any(${MONTHS_BETWEEN('first_m', lastM)}) + 1 AS span, ${chString(edge.last_m)} AS last_month
    FROM (
      SELECT customer_id, min(m) AS first_m, min(first_in_month) AS first_at, groupArray(m) AS months
      FROM (
        SELECT customer_id, toStartOfMonth(ordered_at) AS m, min(ordered_at) AS first_in_month
        FROM orders WHERE ${sales}
        GROUP BY customer_id, m
      )
      GROUP BY customer_id
    )
    ARRAY JOIN months AS m
    WHERE ${fromCond('first_at', period)}
    GROUP BY first_m, k
    ORDER BY first_m, k`);
  return cohortMatrix(
    period,
    cells.map((c) => ({ ...c, k: Number(c.k), n: Number(c.n), span: Number(c.span) })),
  );
}
