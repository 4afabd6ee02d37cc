/**
 * The Hillstrom e-mail test file (shared/datasets/marketing/hillstrom.csv) read straight from disk
 * by DuckDB's read_csv, independently of the importer, for the suites that evaluate marketing
 * decisions on it (uplift, bandits). One row per customer, in file order.
 */
import { DuckDBWarehouse } from '../src/warehouse/duckdb/duckdb-warehouse.js';
import type { FeatureRecord } from '../src/tasks/marketing/contact-features.js';
import { dataset } from './datasets.js';

export interface HillstromRow extends FeatureRecord {
  readonly recency: number;
  readonly history: number;
  readonly mens: number;
  readonly womens: number;
  readonly newbie: number;
  readonly zip_code: string;
  readonly channel: string;
  /** 'Mens E-Mail', 'Womens E-Mail' or 'No E-Mail'. */
  readonly segment: string;
  readonly visit: number;
  readonly conversion: number;
}

export async function readHillstrom(): Promise<HillstromRow[]> {
  const path = dataset('marketing', 'hillstrom.csv').replaceAll("'", "''");
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    return await wh.rows<HillstromRow>(
      `SELECT CAST(recency AS DOUBLE) AS recency, CAST(history AS DOUBLE) AS history,
              CAST(mens AS DOUBLE) AS mens, CAST(womens AS DOUBLE) AS womens, CAST(newbie AS DOUBLE) AS newbie,
              zip_code, channel, segment, CAST(visit AS INTEGER) AS visit, CAST(conversion AS INTEGER) AS conversion
       FROM read_csv('${path}', all_varchar = true)`,
    );
  } finally {
    await wh.close();
  }
}
