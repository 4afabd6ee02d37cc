/**
 * The engine contract: the same import and the same questions (every section of `shopsight
 * analyze`: KPIs, revenue series, cohorts, RFM, countries, categories, products, funnel) on DuckDB
 * and on a 2-shard ClickHouse cluster started here (scripts/clickhouse-cluster.sh) must give the same answers: counts exactly,
 * money to the cent. Store: the bundled Online Retail file (fixtures/online-retail, 541,909 lines),
 * whose counts the README gives (25,900 orders, 4,372 customers, 4,070 products).
 * Without clickhouse-server on the machine the suite is skipped with a printed message.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateStore } from '../../generate/index.js';
import { getPreset } from '../../ingest/presets/index.js';
import type { ImportSummary } from '../../ingest/summary.js';
import { cohortRetention } from '../analytics/cohorts.js';
import { revenueByCategory, revenueByCountry, topProducts } from '../analytics/breakdowns.js';
import { funnel } from '../analytics/funnel.js';
import { analyticsReport, SECTIONS } from '../analytics/report.js';
import { rfm } from '../analytics/rfm.js';
import { kpis } from '../analytics/kpis.js';
import { GRANULARITIES, revenueSeries } from '../analytics/revenue-series.js';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import { chCount, importIntoClickHouse } from '../import/import-into-clickhouse.js';
import { importSource } from '../import/import-source.js';
import { NotOnClickHouseError, openWarehouse } from '../open.js';
import type { Warehouse } from '../warehouse.js';
import { chCohortRetention } from './analytics/cohorts.js';
import { chKpis } from './analytics/kpis.js';
import { chRevenueByCategory, chRevenueByCountry, chTopProducts } from './analytics/breakdowns.js';
import { chFunnel } from './analytics/funnel.js';
import { chAnalyticsReport } from './analytics/report.js';
import { chRfm } from './analytics/rfm.js';
import { chRevenueSeries } from './analytics/revenue-series.js';
import { ClickHouseStore } from './clickhouse-store.js';
import { ClickHouseError } from './errors.js';
import { CH_TABLES } from './schema.js';
import { clickhouseInstalled, SKIP_MESSAGE, startTestCluster, type TestCluster } from './test-cluster.js';

const SAMPLE = fileURLToPath(
  new URL('../../../fixtures/online-retail/online_retail.csv.gz', import.meta.url),
);
/** Events without a session, after the generated store's window (see the funnel test's answer). */
const SESSIONLESS_EVENTS = [
  'X01,C000001,,,view,P00001,,,2024-05-04 10:00:00,',
  'X02,C000001,,,add_to_cart,P00001,,,2024-05-04 11:00:00,',
  'X03,C000001,,,purchase,P00001,,,2024-05-05 09:00:00,',
  'X04,,anonA,,view,P00002,,,2024-05-04 10:00:00,',
  'X05,,anonA,,add_to_cart,P00002,,,2024-05-04 23:59:59,',
  'X06,,,,view,P00003,,,2024-05-04 12:00:00,',
  'X07,,,,add_to_cart,P00003,,,2024-05-04 12:00:00,',
  'X08,C000002,anonB,,view,P00004,,,2024-05-04 08:00:00,',
  'X09,C000002,anonC,,add_to_cart,P00004,,,2024-05-04 08:05:00,',
  'X10,C000002,,,purchase,P00004,,,2024-05-04 08:10:00,',
]
  .map((line) => `${line}\n`)
  .join('');
const RFM_DAYS = [undefined, '2011-06-01', '2011-01-01'];
const PERIODS = [
  undefined,
  { from: '2011-03-01', to: '2011-06-01' },
  { from: '2011-11-01' },
  { to: '2011-01-01' },
];

if (!clickhouseInstalled) {
  console.warn(SKIP_MESSAGE);
}

describe.skipIf(!clickhouseInstalled)('DuckDB and a 2-shard ClickHouse cluster give the same answers', () => {
  let cluster: TestCluster;
  let ch: ClickHouseStore;
  let wh: Warehouse;
  let dir: string;
  let duck: ImportSummary;
  let first: ImportSummary;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shopsight-contract-'));
    cluster = startTestCluster(2);
    ch = await ClickHouseStore.open(cluster.url('shop'));
    wh = await DuckDBWarehouse.open(join(dir, 'shop.duckdb'), { memoryLimit: '1GB' });
    duck = await importSource(wh, { target: SAMPLE, preset: getPreset('online-retail') });
    first = await importIntoClickHouse(ch, { target: SAMPLE, preset: getPreset('online-retail') });
  }, 600_000);

  afterAll(async () => {
    await ch?.close();
    await wh?.close();
    cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('imports Online Retail with the counts the README gives, the same as DuckDB', () => {
    expect(first.rowsRead).toBe(541_909);
    expect(first.rowsRead).toBe(first.rowsImported + first.rowsQuarantined);
    expect(first.tables.orders?.total).toBe(25_900);
    expect(first.tables.customers?.total).toBe(4_372);
    expect(first.tables.products?.total).toBe(4_070);
    const counts = (s: ImportSummary): unknown => ({
      read: s.rowsRead,
      imported: s.rowsImported,
      quarantined: s.rowsQuarantined,
      reasons: s.quarantinedByReason,
      tables: s.tables,
    });
    expect(counts(first)).toEqual(counts(duck));
  });

  it('shards the store: both shards hold orders, and every node holds the whole catalogue', async () => {
    const perShard = await ch.rowsOnEachNode<{ n: number }>(
      `SELECT count() AS n FROM ${ch.localTable('orders')}`,
    );
    expect(perShard).toHaveLength(2);
    const counts = perShard.map((rows) => Number(rows[0]!.n));
    expect(counts[0]! + counts[1]!).toBe(25_900);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    // An order's lines are on its order's shard, so a shard's local join finds every line.
    const orphanLines = await ch.rowsOnEachNode<{ n: number }>(
      `SELECT count() AS n FROM ${ch.localTable('order_items')} WHERE order_id NOT IN (SELECT order_id FROM ${ch.localTable('orders')})`,
    );
    expect(orphanLines.map((rows) => Number(rows[0]!.n))).toEqual([0, 0]);
    const catalogue = await ch.rowsOnEachNode<{ n: number }>('SELECT count() AS n FROM products');
    expect(catalogue.map((rows) => Number(rows[0]!.n))).toEqual([4_070, 4_070]);
  });
  it.each(PERIODS)('KPIs equal DuckDB to the cent and to the count (period %o)', async (period) => {
    const options = period ? { period } : {};
    const [a, b] = [await chKpis(ch, options), await kpis(wh, options)];
    expect(a).toEqual(b);
  });

  it.each(GRANULARITIES.flatMap((g) => PERIODS.map((p) => [g, p] as const)))(
    'revenue series equal DuckDB bucket by bucket (%s, period %o)',
    async (granularity, period) => {
      const options = { granularity, ...(period ? { period } : {}) };
      expect(await chRevenueSeries(ch, options)).toEqual(await revenueSeries(wh, options));
    },
  );

  it.each(PERIODS)('cohort retention equals DuckDB cell by cell (period %o)', async (period) => {
    const options = period ? { period } : {};
    const matrix = await chCohortRetention(ch, options);
    expect(matrix).toEqual(await cohortRetention(wh, options));
    if (!period) expect(matrix.cohorts).toHaveLength(13); // Dec 2010 .. Dec 2011
  });

  it.each(RFM_DAYS)('RFM scores and segments equal DuckDB customer by customer (as of %s)', async (asOf) => {
    const options = asOf ? { asOf } : {};
    const result = await chRfm(ch, options);
    expect(result).toEqual(await rfm(wh, options));
    // Not an empty agreement: every customer scored, and more than one segment used.
    if (!asOf) expect(result.scoredCustomers + result.prospects).toBe(4_372);
    expect(result.customers.length).toBe(result.scoredCustomers);
    expect(result.segments.filter((x) => x.customers > 0).length).toBeGreaterThan(5);
  });

  it.each(PERIODS)(
    'revenue by country and by category equal DuckDB row by row (period %o)',
    async (period) => {
      const options = period ? { period } : {};
      const countries = await chRevenueByCountry(ch, options);
      expect(countries).toEqual(await revenueByCountry(wh, options));
      expect(await chRevenueByCategory(ch, options)).toEqual(await revenueByCategory(wh, options));
      if (!period) expect(countries.rows).toHaveLength(38); // 38 countries in the file (README)
    },
  );

  it.each(PERIODS)('top products by revenue and by units equal DuckDB (period %o)', async (period) => {
    const options = { limit: 15, ...(period ? { period } : {}) };
    const top = await chTopProducts(ch, options);
    expect(top).toEqual(await topProducts(wh, options));
    expect(top.byRevenue).toHaveLength(15);
  });

  it('the analyze report with every section (what `shopsight analyze --db clickhouse://` prints) equals DuckDB', async () => {
    const options = {
      from: '2011-02-01',
      to: '2011-10-01',
      by: 'week' as const,
      top: 5,
      rfmCustomers: true,
    };
    const report = await chAnalyticsReport(ch, options);
    expect(Object.keys(report).sort()).toEqual([...SECTIONS].sort());
    expect(report).toEqual(await analyticsReport(wh, options));
    expect(report.funnel?.available).toBe(false); // Online Retail has no browsing events
  });

  // The funnel needs events, which Online Retail lacks: a small generated store (with returns dated
  // after their orders, so RFM's status-as-of-the-day matters too) imported into both engines, plus
  // events without a session so that every branch of the session key is exercised.
  describe('on a generated store with browsing events', () => {
    let gen: ClickHouseStore;
    let genWh: Warehouse;

    beforeAll(async () => {
      const out = join(dir, 'generated');
      await generateStore({ customers: 300, days: 90, seed: 5, out });
      appendFileSync(join(out, 'events.csv'), SESSIONLESS_EVENTS);
      gen = await ClickHouseStore.open(cluster.url('generated'));
      genWh = await DuckDBWarehouse.open(join(dir, 'generated.duckdb'), { memoryLimit: '1GB' });
      const a = await importSource(genWh, { target: out, preset: getPreset('shopsight') });
      const b = await importIntoClickHouse(gen, { target: out, preset: getPreset('shopsight') });
      expect(b.tables).toEqual(a.tables);
    }, 300_000);

    afterAll(async () => {
      await gen?.close();
      await genWh?.close();
    });

    it.each([
      undefined,
      { from: '2024-02-03', to: '2024-02-05' },
      { from: '2024-03-01' },
      { from: '2030-01-01' },
    ])('the funnel equals DuckDB (period %o)', async (period) => {
      const options = period ? { period } : {};
      const result = await chFunnel(gen, options);
      expect(result).toEqual(await funnel(genWh, options));
      expect(result.available).toBe(period?.from !== '2030-01-01');
    });

    it('events without a session group per visitor per UTC day, and an event without identity alone', async () => {
      // Only the appended events fall after the generated window (2024-01-01..2024-03-30), so the
      // answer is known by hand: sessions C1 4 May {view, cart}, C1 5 May {purchase}, visitor A
      // {view, cart}, two events with no identity (one each), C2 with two anonymous ids {view, cart,
      // purchase}: 6 sessions, 4 with a view, 4 with a cart, 2 with a purchase; 3 view+cart, 1 all three.
      const period = { from: '2024-05-01' };
      const result = await chFunnel(gen, { period });
      expect(result).toEqual(await funnel(genWh, { period }));
      expect(result).toMatchObject({
        available: true,
        sessions: 6,
        steps: [
          { step: 'view', sessions: 4, reached: 4, conversionFromPrevious: null },
          { step: 'add_to_cart', sessions: 4, reached: 3, conversionFromPrevious: 3 / 4 },
          { step: 'purchase', sessions: 2, reached: 1, conversionFromPrevious: 1 / 3 },
        ],
        viewToPurchase: 1 / 4,
      });
    });

    it.each(['2024-02-15', '2024-03-20', undefined])(
      'RFM equals DuckDB as of %s (returns dated later)',
      async (asOf) => {
        const options = asOf ? { asOf } : {};
        expect(await chRfm(gen, options)).toEqual(await rfm(genWh, options));
      },
    );

    it('every section of the report equals DuckDB', async () => {
      const options = { top: 5, rfmCustomers: true, by: 'day' as const };
      expect(await chAnalyticsReport(gen, options)).toEqual(await analyticsReport(genWh, options));
    });
  });

  it('a second import changes nothing', async () => {
    const before = await Promise.all(CH_TABLES.filter((t) => t !== 'quarantine').map((t) => chCount(ch, t)));
    const kpisBefore = await chKpis(ch);
    const again = await importIntoClickHouse(ch, { target: SAMPLE, preset: getPreset('online-retail') });
    expect(again.rowsRead).toBe(541_909);
    const after = await Promise.all(CH_TABLES.filter((t) => t !== 'quarantine').map((t) => chCount(ch, t)));
    expect(after).toEqual(before);
    expect(await chKpis(ch)).toEqual(kpisBefore);
    // Without FINAL too: the import merged the replaced rows away before returning.
    const [plain] = await ch.rows<{ n: number }>('SELECT count() AS n FROM orders');
    expect(Number(plain!.n)).toBe(25_900);
  }, 600_000);

  it('a cluster name the server does not define is a clear error naming the clusters it knows', async () => {
    const url = cluster.url('shop').replace('cluster=shopsight', 'cluster=nosuch');
    await expect(ClickHouseStore.open(url)).rejects.toThrow(/has no cluster 'nosuch'.*it knows: .*shopsight/);
  });

  it('a big GROUP BY or sort spills to disk at half the server limit instead of failing (the cluster sets 2 GB)', async () => {
    const rows = await ch.rows<{ name: string; value: string }>(
      "SELECT name, value FROM system.settings WHERE name IN ('max_memory_usage', 'max_bytes_before_external_group_by', " +
        "'max_bytes_before_external_sort', 'distributed_aggregation_memory_efficient') ORDER BY name",
    );
    expect(Object.fromEntries(rows.map((r) => [r.name, r.value]))).toEqual({
      distributed_aggregation_memory_efficient: '1',
      max_bytes_before_external_group_by: '1000000000',
      max_bytes_before_external_sort: '1000000000',
      max_memory_usage: '2000000000',
    });
  });

  it('a server error mid-query is an error with its code, not a short answer', async () => {
    const err = await ch
      .rows('SELECT throwIf(number = 100000) FROM system.numbers LIMIT 200000')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClickHouseError);
    expect((err as ClickHouseError).code).toBe(395);
  });
});

// These need no server: a closed port and a port that accepts but never answers.
describe('an unreachable ClickHouse is a clear error within the timeout, never a hang', () => {
  it('commands not built for ClickHouse refuse a clickhouse:// location by saying so, before connecting', async () => {
    const url = 'clickhouse://127.0.0.1:1/shop?cluster=c';
    await expect(openWarehouse(url)).rejects.toBeInstanceOf(NotOnClickHouseError);
    await expect(openWarehouse(url)).rejects.toThrow(/does not run on ClickHouse yet.*shopsight import/);
  });

  it('refused connection', async () => {
    const { createServer } = await import('node:net');
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r)); // a port nothing listens on
    await expect(
      ClickHouseStore.open(`clickhouse://127.0.0.1:${port}/shop?cluster=c&timeout=2`),
    ).rejects.toThrow(new RegExp(`cannot reach ClickHouse at http://127\\.0\\.0\\.1:${port}: ECONNREFUSED`));
  });

  it('a server that accepts and never answers', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      await expect(
        ClickHouseStore.open(`clickhouse://127.0.0.1:${port}/shop?cluster=c&timeout=1`),
      ).rejects.toThrow(/no answer within 1 s/);
    } finally {
      silent.close();
    }
  });
});
