/**
 * CDNOW transactions turned into BTYD calibration/holdout summaries with DuckDB, shared by the
 * 'clv' eval and bench suites. Same-day purchases of a customer are merged into one transaction
 * (as BTYD's dc.MergeTransactionsOnSameDate does), times are in weeks, and each customer's clock
 * starts at their first purchase:
 *   x = transaction days in the calibration period - 1, t_x = (last - first) / 7,
 *   T = (calibration end - first) / 7, holdout = transaction days after the calibration end,
 *   up to the holdout end.
 */
import type { Warehouse } from '../../src/warehouse/warehouse.js';

export interface CalibrationSummary {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  /** Repeat transactions in the holdout period. */
  readonly holdout: Float64Array;
  readonly length: number;
}

/** BTYD's split of CDNOW: calibration through 1997-09-30 (39 weeks), holdout through 1998-06-30 (39 weeks). */
export const CDNOW_CALIBRATION_END = '1997-09-30';
export const CDNOW_HOLDOUT_END = '1998-06-30';

const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** Loads transaction days (customer, day) into the temp table cdnow_days from cdnowElog.csv (2,357 customers). */
export async function loadElog(wh: Warehouse, path: string): Promise<void> {
  await wh.exec(`CREATE OR REPLACE TEMP TABLE cdnow_days AS
    SELECT DISTINCT CAST(sampleid AS INTEGER) AS cust, strptime(CAST(date AS VARCHAR), '%Y%m%d')::DATE AS d
    FROM read_csv(${literal(path)}, header = true)`);
}

/** The same from CDNOW_master.txt (all 23,570 customers; space-aligned columns id, yyyymmdd, cds, dollars). */
export async function loadMaster(wh: Warehouse, path: string): Promise<void> {
  await wh.exec(`CREATE OR REPLACE TEMP TABLE cdnow_days AS
    SELECT DISTINCT CAST(f[1] AS INTEGER) AS cust, strptime(f[2], '%Y%m%d')::DATE AS d
    FROM (SELECT regexp_split_to_array(trim(line), '\\s+') AS f
          FROM read_csv(${literal(path)}, columns = {'line': 'VARCHAR'}, header = false, delim = E'\\x01',
                        quote = '', escape = '', auto_detect = false))
    WHERE f[1] <> 'customer_id' AND trim(f[1]) <> ''`);
}

/** Per customer (in id order) the calibration summary and the holdout count, from cdnow_days. */
export async function calibrationSummary(
  wh: Warehouse,
  calibrationEnd: string,
  holdoutEnd: string,
): Promise<CalibrationSummary> {
  const c = await wh.columns(
    `SELECT cust,
            count(*) FILTER (WHERE d <= DATE ${literal(calibrationEnd)}) - 1 AS frequency,
            date_diff('day', min(d), max(d) FILTER (WHERE d <= DATE ${literal(calibrationEnd)})) / 7.0 AS recency,
            date_diff('day', min(d), DATE ${literal(calibrationEnd)}) / 7.0 AS T,
            count(*) FILTER (WHERE d > DATE ${literal(calibrationEnd)} AND d <= DATE ${literal(holdoutEnd)}) AS holdout
     FROM cdnow_days GROUP BY cust HAVING min(d) <= DATE ${literal(calibrationEnd)} ORDER BY cust`,
    { cust: 'i32', frequency: 'f64', recency: 'f64', T: 'f64', holdout: 'f64' },
  );
  return { frequency: c.frequency, recency: c.recency, T: c.T, holdout: c.holdout, length: c.length };
}
