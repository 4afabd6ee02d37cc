/**
 * Foundation benchmarks (issue 2): import speed against DuckDB's raw read, warm analytics, and a
 * 10-million-event generated store imported in a child process for its own peak RSS.
 *
 *   BENCH_EVENTS=1000000 BENCH_ONLY=foundation npm run bench   # a quicker scale run
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { getPreset } from '../../src/ingest/presets/index.js';
import {
  cohortRetention,
  funnel,
  kpis,
  revenueByCategory,
  revenueByCountry,
  revenueSeries,
  rfm,
  topProducts,
} from '../../src/warehouse/analytics/index.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import type { BenchContext } from '../context.js';
import { generateStore } from '../generate-store.js';
import { median, timed } from '../machine.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 10_000_000);
const RUNS = 3;

export async function foundation({ work: WORK, root: ROOT, report }: BenchContext): Promise<void> {
  const SAMPLE = join(ROOT, 'fixtures', 'online-retail', 'online_retail.csv.gz');
  // 1. Online Retail, end to end, against DuckDB reading the same file into a table (alternating runs).
  {
    const ours: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const rawDb = await DuckDBWarehouse.open(join(WORK, `raw-${i}.duckdb`));
      raw.push(
        (await timed(() => rawDb.exec(`CREATE TABLE t AS SELECT * FROM read_csv('${SAMPLE}')`))).seconds,
      );
      await rawDb.close();
      const db = await DuckDBWarehouse.open(join(WORK, `retail-${i}.duckdb`));
      ours.push(
        (await timed(() => importSource(db, { target: SAMPLE, preset: getPreset('online-retail') }))).seconds,
      );
      await db.close();
    }
    const ratio = median(ours) / median(raw);
    report({
      name: 'Online Retail import, 541,909 lines, .csv.gz (median of 3)',
      figure: `${median(ours).toFixed(2)} s (${ratio.toFixed(2)}x the raw read)`,
      baseline: `DuckDB read_csv into a table ${median(raw).toFixed(2)} s`,
      target: '<= 2x the raw read, < 5 s',
      ok: ratio <= 2 && median(ours) < 5,
    });
  }

  // 2. Analytics, warm, on the imported Online Retail store.
  {
    const wh: Warehouse = await DuckDBWarehouse.open(join(WORK, 'retail-0.duckdb'));
    const queries: Record<string, () => Promise<unknown>> = {
      kpis: () => kpis(wh),
      'revenue by day': () => revenueSeries(wh, { granularity: 'day' }),
      'revenue by month': () => revenueSeries(wh, { granularity: 'month' }),
      'by country': () => revenueByCountry(wh),
      'by category': () => revenueByCategory(wh),
      'top products': () => topProducts(wh, { limit: 10 }),
      'cohort retention': () => cohortRetention(wh),
      'rfm segments + per-customer rows': () => rfm(wh, { includeCustomers: true }),
    };
    for (const [name, q] of Object.entries(queries)) {
      await q();
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push((await timed(q)).seconds * 1000);
      report({
        name: `analytics: ${name} (warm, median of 5)`,
        figure: `${median(times).toFixed(0)} ms`,
        baseline: '-',
        target: '< 300 ms',
        ok: median(times) < 300,
      });
    }
    await wh.close();
  }

  // 3. A generated store at scale: generation, then import in a child process for its own peak RSS.
  {
    const store = join(WORK, 'store');
    const gen = generateStore(ROOT, EVENTS, store);
    const events = gen.events;
    report({
      name: `generate a store with ${events.toLocaleString('en-US')} events (${(gen.bytes / 2 ** 20).toFixed(0)} MiB CSV)`,
      figure: `${gen.seconds.toFixed(1)} s (${(events / gen.seconds / 1e6).toFixed(2)} M events/s)`,
      baseline: '-',
      target: '-',
      ok: true,
    });
    const out = JSON.parse(
      execFileSync(
        'node',
        [
          '--import',
          'tsx',
          join(ROOT, 'bench', 'import-child.ts'),
          store,
          'shopsight',
          join(WORK, 'store.duckdb'),
        ],
        {
          encoding: 'utf8',
        },
      ),
    ) as { seconds: number; maxRssMB: number; rowsRead: number; events: number };
    report({
      name: `import the generated store (${out.rowsRead.toLocaleString('en-US')} rows, ${out.events.toLocaleString('en-US')} events)`,
      figure: `${out.seconds.toFixed(1)} s, peak RSS ${(out.maxRssMB / 1024).toFixed(2)} GiB`,
      baseline: `generation itself ${gen.seconds.toFixed(1)} s`,
      target: EVENTS >= 10_000_000 ? '< 60 s, peak < 2 GB' : '(target is set for 10M events)',
      ok: out.seconds < 60 && out.maxRssMB < 2000,
    });
    // The funnel needs events, which Online Retail lacks: time it (and the KPIs) on the generated store.
    const wh = await DuckDBWarehouse.open(join(WORK, 'store.duckdb'));
    const storeQueries: Record<string, () => Promise<unknown>> = {
      funnel: () => funnel(wh),
      kpis: () => kpis(wh),
    };
    for (const [name, q] of Object.entries(storeQueries)) {
      await q();
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push((await timed(q)).seconds * 1000);
      report({
        name: `analytics on the generated store: ${name} (warm, median of 5)`,
        figure: `${median(times).toFixed(0)} ms`,
        baseline: '-',
        target: '-',
        ok: true,
      });
    }
    await wh.close();
  }
}
