/**
 * Forecasting at scale (issue 9): `auto` (model choice per series by past errors, 80%/95% intervals)
 * for 4,000 daily product series at horizon 28, as `shopsight forecast --level product` runs it.
 * The store is generated (4,800 products, 40,000 customers, 365 days, seed 1; a catalogue of 4,000
 * sells only 3,697 of them in the year, measured) and imported; the 4,000 best-selling products are
 * the series (the row fails unless all 4,000 are forecast or left out with a reason); the
 * figure is forecastLevel's wall time (series read from DuckDB included) on the default threads
 * (the machine's cores, at most 4) against the 60 s target, with the process CPU time (every
 * thread; it follows the work, not the machine's load), and 500 series on one thread for the
 * scaling. `auto` goes without the global GBDT (it is opt-in, `auto+gbdt`: docs/forecasting.md);
 * the GBDT alone (`--model gbdt`) over the same 4,000 series is the last row, with its training
 * time (calibration and final model, on one thread).
 *
 *   BENCH_FC_PRODUCTS=500 BENCH_ONLY=forecast npm run bench   # quick
 */
import { join } from 'node:path';
import { loadSalesSeries } from '../../src/features/sales-series.js';
import { defaultForecastThreads, forecastLevel } from '../../src/tasks/forecast/forecast-level.js';
import { openWarehouse } from '../../src/warehouse/open.js';
import { builtCli } from '../cli.js';
import type { BenchContext } from '../context.js';
import { formatLoad, readLoadAverage } from '../load.js';

const PRODUCTS = Number(process.env['BENCH_FC_PRODUCTS'] ?? 4_000);
/** Catalogue size: the Zipf tail of a catalogue of PRODUCTS leaves about 8% unsold in a year. */
const CATALOGUE = Math.ceil(PRODUCTS * 1.2);
const CUSTOMERS = Number(process.env['BENCH_FC_CUSTOMERS'] ?? 40_000);
const HORIZON = 28;
const TARGET_S = 60;
/** Series forecast on one thread for the scaling figure. */
const SAMPLE = Number(process.env['BENCH_FC_SAMPLE'] ?? 500);

export async function forecast({ work, root, report, note }: BenchContext): Promise<void> {
  const cli = builtCli(root);
  const store = join(work, 'store');
  const db = join(work, 'store.duckdb');
  cli([
    'generate',
    '--customers',
    String(CUSTOMERS),
    '--products',
    String(CATALOGUE),
    '--days',
    '365',
    '--seed',
    '1',
    '--out',
    store,
    '--json',
  ]);
  cli(['import', store, '--preset', 'shopsight', '--db', db, '--json']);
  const wh = await openWarehouse(db);
  try {
    const t0 = performance.now();
    const s = await loadSalesSeries(wh, { level: 'product', top: PRODUCTS });
    const readS = (performance.now() - t0) / 1000;
    const sample = Math.min(SAMPLE, s.ids.length);
    const runs: {
      threads: number;
      top: number;
      wall: number;
      cpu: number;
      series: number;
      models: Record<string, number>;
    }[] = [];
    // The whole level on the default threads (the machine's cores), then a sample on one thread for the scaling.
    for (const [threads, top] of [
      [defaultForecastThreads(), PRODUCTS],
      [1, sample],
    ] as const) {
      const loadAt = formatLoad(readLoadAverage());
      const c0 = process.cpuUsage();
      const t = performance.now();
      const f = await forecastLevel(wh, { level: 'product', top, horizon: HORIZON, threads });
      const wall = (performance.now() - t) / 1000;
      const cpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
      const models: Record<string, number> = {};
      for (const x of f.series) models[x.model] = (models[x.model] ?? 0) + 1;
      runs.push({ threads, top, wall, cpu, series: f.series.length, models });
      const perSeries = (v: number): string => `${((v * 1000) / f.series.length).toFixed(1)} ms`;
      report({
        name: `forecast auto, ${f.series.length.toLocaleString('en-US')} product series x ${s.length} days, horizon ${HORIZON}, ${threads} thread${threads > 1 ? 's' : ''}`,
        figure: `${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU (${perSeries(wall)} / ${perSeries(cpu)} a series; load ${loadAt})${f.skipped.length ? `; ${f.skipped.length} too short, left out with the reason` : ''}`,
        baseline:
          threads > 1
            ? `reading the series ${readS.toFixed(2)} s`
            : `${runs[0]!.threads} threads: ${((runs[0]!.wall * 1000) / runs[0]!.series).toFixed(1)} ms a series wall`,
        target: threads > 1 ? `${PRODUCTS.toLocaleString('en-US')} series, < ${TARGET_S} s` : '-',
        ok: threads > 1 ? wall < TARGET_S && f.series.length + f.skipped.length === PRODUCTS : true,
      });
    }
    // The global GBDT alone over the same series: its two trainings on this thread.
    const loadAt = formatLoad(readLoadAverage());
    const c0 = process.cpuUsage();
    const t = performance.now();
    const gf = await forecastLevel(wh, { level: 'product', top: PRODUCTS, horizon: HORIZON, model: 'gbdt' });
    const wall = (performance.now() - t) / 1000;
    const cpu = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6;
    const g = gf.global!;
    report({
      name: `global GBDT (--model gbdt) over ${g.series ?? 0} product series, horizon ${HORIZON}`,
      figure: `${wall.toFixed(1)} s wall, ${cpu.toFixed(1)} s CPU; its two trainings ${g.trainSeconds!.toFixed(1)} s on one thread, ${g.trainRows!.toLocaleString('en-US')} rows, ${g.calibrationOrigins} calibration origins (load ${loadAt})`,
      baseline: 'not in auto (opt-in: auto+gbdt)',
      target: '-',
      ok: gf.series.length + gf.skipped.length === PRODUCTS,
    });
    const models = Object.entries(runs[0]!.models).sort((a, b) => b[1] - a[1]);
    note(
      `Models auto chose over the ${runs[0]!.series} series: ${models.map(([m, k]) => `${m} ${k}`).join(', ')}.`,
    );
  } finally {
    await wh.close();
  }
}
