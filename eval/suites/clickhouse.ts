/**
 * Issue 14 (ClickHouse), must show: the full Online Retail file imported into a 2-shard ClickHouse
 * cluster gives the counts its README states, a second import changes nothing, and every analytics
 * section equals DuckDB's on the same file (counts exactly, money to the cent, other floats to 1e-9
 * relative). The cluster is started here (src/warehouse/clickhouse/test-cluster.ts, random ports)
 * and stopped at the end. Without clickhouse-server on the machine the suite prints that it is
 * SKIPPED and why (.ci/run installs the package); it never passes silently.
 *
 * Structure: one store pair (DuckDB, ClickHouse) imported once, then one comparison per section in
 * SECTIONS (clickhouse-same.ts), each one check of the two engines' answers. A section added on
 * ClickHouse (customer features, interactions) is one more entry there.
 *
 * Time: 3 imports of the 541,909-line file (DuckDB once, ClickHouse twice) dominate. Measured
 * 154.6 s under load 16 (2 cores shared by about 8 engineers); the quiet-machine time is for the
 * lead to measure (SHOPSIGHT_EVAL=clickhouse), expected under the 2.5-minute budget.
 */
import { isDeepStrictEqual } from 'node:util';
import { getPreset } from '../../src/ingest/presets/index.js';
import type { ImportSummary } from '../../src/ingest/summary.js';
import {
  revenueByCategory,
  revenueByCountry,
  topProducts,
} from '../../src/warehouse/analytics/breakdowns.js';
import { cohortRetention } from '../../src/warehouse/analytics/cohorts.js';
import { kpis } from '../../src/warehouse/analytics/kpis.js';
import { GRANULARITIES, revenueSeries } from '../../src/warehouse/analytics/revenue-series.js';
import { rfm } from '../../src/warehouse/analytics/rfm.js';
import {
  chRevenueByCategory,
  chRevenueByCountry,
  chTopProducts,
} from '../../src/warehouse/clickhouse/analytics/breakdowns.js';
import { chCohortRetention } from '../../src/warehouse/clickhouse/analytics/cohorts.js';
import { chKpis } from '../../src/warehouse/clickhouse/analytics/kpis.js';
import { chRevenueSeries } from '../../src/warehouse/clickhouse/analytics/revenue-series.js';
import { chRfm } from '../../src/warehouse/clickhouse/analytics/rfm.js';
import { ClickHouseStore } from '../../src/warehouse/clickhouse/clickhouse-store.js';
import { CH_TABLES } from '../../src/warehouse/clickhouse/schema.js';
import {
  clickhouseInstalled,
  startTestCluster,
  type TestCluster,
} from '../../src/warehouse/clickhouse/test-cluster.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { chCount, importIntoClickHouse } from '../../src/warehouse/import/import-into-clickhouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { equals, firstDifference, holds, type Check, type SuiteResult } from '../check.js';
import { PRICE_PANEL, SALES_SERIES } from './clickhouse-forecast.js';
import { compareEngines, comparisonCheck, type EngineComparison } from './clickhouse-same.js';
import { dataset } from '../datasets.js';

const SUITE = 'clickhouse: Online Retail on 2 shards';
const README = 'shared/datasets/README.md';
const SAME =
  'DuckDB on the same file (the reference engine), counts exact, money to the cent, floats 1e-9 relative';
const PERIODS = [undefined, { from: '2011-03-01', to: '2011-06-01' }, { from: '2011-11-01' }];

const periodOptions = PERIODS.map((period) => (period ? { period } : {}));

/** An analytics section: the same options to the cluster's function and to DuckDB's. */
const section = <O, T>(
  name: string,
  options: readonly O[],
  onClickHouse: (ch: ClickHouseStore, o: O) => Promise<T>,
  onDuckDB: (wh: Warehouse, o: O) => Promise<T>,
): EngineComparison => compareEngines({ name, options, onClickHouse, onDuckDB, source: SAME });

/** One row per section on the cluster, looped once in the suite; chfeatures adds features and interactions here. */
const SECTIONS: readonly EngineComparison[] = [
  section('KPIs', periodOptions, chKpis, kpis),
  section(
    'revenue series (day, week, month)',
    GRANULARITIES.flatMap((granularity) => periodOptions.map((o) => ({ ...o, granularity }))),
    chRevenueSeries,
    revenueSeries,
  ),
  section('monthly cohorts', periodOptions, chCohortRetention, cohortRetention),
  section(
    'RFM scores and segments, customer by customer',
    [{}, { asOf: '2011-06-01' }, { asOf: '2011-01-01' }],
    chRfm,
    rfm,
  ),
  section('revenue by country', periodOptions, chRevenueByCountry, revenueByCountry),
  section('revenue by category', periodOptions, chRevenueByCategory, revenueByCategory),
  section(
    'top products (by revenue, by units)',
    periodOptions.map((o) => ({ ...o, limit: 20 })),
    chTopProducts,
    topProducts,
  ),
  // issue 14, forecasting and pricing (clickhouse-forecast.ts):
  SALES_SERIES,
  PRICE_PANEL,
];

const importFigures = (s: ImportSummary): unknown => ({
  read: s.rowsRead,
  imported: s.rowsImported,
  quarantined: s.rowsQuarantined,
  reasons: s.quarantinedByReason,
  tables: s.tables,
});

async function tableCounts(ch: ClickHouseStore): Promise<number[]> {
  return Promise.all(CH_TABLES.filter((t) => t !== 'quarantine').map((t) => chCount(ch, t)));
}

export async function clickhouse(): Promise<SuiteResult> {
  if (!clickhouseInstalled) {
    const why =
      'clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client; .ci/run installs it)';
    console.warn(`eval suite clickhouse SKIPPED: ${why}`);
    return { checks: [], report: `### ClickHouse\n\nSKIPPED: ${why}.` };
  }
  const target = dataset('online-retail', 'online_retail.csv.gz');
  const preset = getPreset('online-retail');
  let cluster: TestCluster | undefined;
  let ch: ClickHouseStore | undefined;
  const wh = await DuckDBWarehouse.open(':memory:');
  try {
    cluster = startTestCluster(2);
    ch = await ClickHouseStore.open(cluster.url('shop'));
    const duck = await importSource(wh, { target, preset });
    const first = await importIntoClickHouse(ch, { target, preset });
    const checks: Check[] = [
      equals(SUITE, 'rows read', 541_909, first.rowsRead, README),
      equals(
        SUITE,
        'imported + quarantined = rows read',
        first.rowsRead,
        first.rowsImported + first.rowsQuarantined,
        README,
      ),
      equals(SUITE, 'orders', 25_900, await chCount(ch, 'orders'), README),
      equals(SUITE, 'customers', 4_372, await chCount(ch, 'customers'), README),
      equals(SUITE, 'products', 4_070, await chCount(ch, 'products'), README),
      holds(
        SUITE,
        'import summary (read, imported, quarantined by reason, per table) equals DuckDB',
        isDeepStrictEqual(importFigures(first), importFigures(duck)),
        JSON.stringify(importFigures(first)).slice(0, 200),
        SAME,
      ),
    ];
    for (const c of SECTIONS) checks.push(await comparisonCheck(SUITE, c, { ch, wh }));

    const before = await tableCounts(ch);
    const kpisBefore = await chKpis(ch);
    const again = await importIntoClickHouse(ch, { target, preset });
    const after = await tableCounts(ch);
    checks.push(
      holds(
        SUITE,
        'a second import changes nothing (table counts, KPIs)',
        again.rowsRead === 541_909 &&
          isDeepStrictEqual(after, before) &&
          firstDifference(await chKpis(ch), kpisBefore) === null,
        `counts ${after.join(', ')} (before ${before.join(', ')})`,
        'the first import into the same cluster',
      ),
    );
    return { checks };
  } finally {
    await ch?.close();
    await wh.close();
    cluster?.stop();
  }
}
