/**
 * Issue 9 "Demand forecasting": the rolling-origin backtest on Online Retail with the issue's
 * protocol. Daily units (cancellations and negative quantities left out, every stock code as in
 * the reference recount), zero-filled days; levels: the total, the top 5 countries and the top 50
 * products by units; 12 origins one week apart, the last at the last full horizon; horizon 14
 * days; MASE scaled by the seasonal-naive (period 7) in-sample error of each training window,
 * averaged over origins and series.
 *
 * Checks:
 * - the series equal an independent pandas recount (eval/reference/forecast_online_retail.py):
 *   days, ids and units per series, and the seasonal-naive and 28-day-mean MASE (models without
 *   parameters, so any difference is in the data or the protocol);
 * - floors from the issue: `auto` at or below the issue's Holt-Winters MASE on total and
 *   countries, and below the best simple baseline on products;
 * - 80% and 95% interval coverage of `auto` within 10 points of nominal at every level.
 * Reported beside them: our ETS(A,Ad,A) (the same model as statsmodels' Holt-Winters with damped
 * trend and additive season, fitted by likelihood), WAPE, sMAPE, and how often auto chose each model.
 *
 * Time: 56 series x 12 origins x 4 models; 196.7 s wall measured under load 24.4 on the 2-core
 * machine (shared: not a speed figure), most of it the import of the file; the three levels'
 * backtests took 5.4 s of CPU in a separate run. With SHOPSIGHT_EVAL_FORECAST_GBDT=1 the global GBDT
 * is trained twice per origin and level (72 trainings) for the `gbdt` and `auto+gbdt` rows:
 * 1,166 s wall under load 33 before (99.3 s in the quiet CI run at 4359274).
 */
import os from 'node:os';
import {
  loadSalesSeries,
  seriesValues,
  type SalesSeries,
  type SeriesLevel,
} from '../../src/features/sales-series.js';
import { getPreset } from '../../src/ingest/presets/index.js';
import type { Summary } from '../../src/ml/forecast/metrics.js';
import {
  backtestLevel,
  DEFAULT_BACKTEST,
  type LevelBacktest,
} from '../../src/tasks/forecast/backtest-level.js';
import { loadGlobalInputs } from '../../src/tasks/forecast/global-inputs.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../src/warehouse/import/import-source.js';
import { equals, holds, within, type Check, type SuiteResult } from '../check.js';
import { dataset } from '../datasets.js';
import { recorded } from '../reference/recorded.js';

const SUITE = 'forecast';
const ISSUE = 'issue 9, reference measured with this protocol (statsmodels Holt-Winters)';
const COVERAGE_SOURCE = 'issue 9: interval coverage within 10 points of nominal at every level';
/**
 * The global GBDT (`gbdt`, and `auto+gbdt` choosing with it) only with SHOPSIGHT_EVAL_FORECAST_GBDT=1:
 * its 2 x 12 trainings per level were nearly all of the suite's time, and `auto` goes without it.
 */
const WITH_GBDT = process.env['SHOPSIGHT_EVAL_FORECAST_GBDT'] === '1';
const MODELS: readonly string[] = [
  'seasonal-naive',
  'moving-average',
  'ets(A,Ad,A)',
  'auto',
  ...(WITH_GBDT ? ['gbdt', 'auto+gbdt'] : []),
];

interface ReferenceLevel {
  readonly ids: string[];
  readonly units: number[];
  readonly mase: { seasonalNaive: number; mean28: number; holtWinters: number };
  readonly skipped: number;
}
type Levels = Record<'total' | 'country' | 'product', ReferenceLevel>;
interface ForecastReference {
  readonly days: number;
  readonly firstDay: string;
  /** The issue's line definition (the raw file's lines). */
  readonly raw: Levels;
  /** Without the lines the import quarantines (exact duplicates, price <= 0): what the warehouse holds. */
  readonly warehouse: Levels;
}

/** The issue's reference MASE per level: seasonal naive, 28-day mean, Holt-Winters. */
const ISSUE_MASE: Record<'total' | 'country' | 'product', [number, number, number]> = {
  total: [1.235, 1.931, 1.159],
  country: [1.468, 1.43, 1.24],
  product: [11.54, 11.34, 13.64],
};

function atMost(name: string, ceiling: number, actual: number, source: string, strict = false): Check {
  return {
    suite: SUITE,
    name,
    expected: `${strict ? '<' : '<='} ${ceiling}`,
    actual: actual.toFixed(4),
    pass: strict ? actual < ceiling : actual <= ceiling,
    source,
  };
}

function table(results: LevelBacktest[], py: ForecastReference): string {
  const lines = [
    '| level | series | model | MASE | WAPE | sMAPE | 80% coverage | 95% coverage |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const hw = py.warehouse[r.level as keyof Levels]?.mase.holtWinters;
    if (hw !== undefined)
      lines.push(
        `| ${r.level} | ${r.series} | statsmodels Holt-Winters (recount) | ${hw.toFixed(3)} | | | | |`,
      );
    for (const m of MODELS) {
      const s: Summary = r.models[m]!;
      lines.push(
        `| ${r.level} | ${r.series} | ${m} | ${s.mase.toFixed(3)} | ${s.wape.toFixed(3)} | ${s.smape.toFixed(3)} | ` +
          `${(s.coverage80 * 100).toFixed(1)}% | ${(s.coverage95 * 100).toFixed(1)}% |`,
      );
    }
  }
  lines.push(
    '',
    '| level | models auto chose (windows) | auto+gbdt chose | gbdt trainings (12 origins x 2) |',
    '|---|---|---|---|',
  );
  const counts = (c: Record<string, number> | undefined): string =>
    c
      ? Object.entries(c)
          .sort((a, b) => b[1] - a[1])
          .map(([m, n]) => `${m} ${n}`)
          .join(', ')
      : '-';
  for (const r of results) {
    const train = r.globalTrainSeconds !== undefined ? `${r.globalTrainSeconds.toFixed(1)} s` : '-';
    lines.push(`| ${r.level} | ${counts(r.chosen)} | ${counts(r.chosenWithGlobal)} | ${train} |`);
  }
  return lines.join('\n');
}

export async function forecast(): Promise<SuiteResult> {
  const checks: Check[] = [];
  const ref = recorded<ForecastReference>('forecast_online_retail');
  const py = ref.figures;
  const wh = await DuckDBWarehouse.open(':memory:');
  const results: LevelBacktest[] = [];
  const started = Date.now();
  try {
    await importSource(wh, {
      target: dataset('online-retail', 'online_retail.csv.gz'),
      preset: getPreset('online-retail'),
    });
    const levels: [keyof Levels, SeriesLevel, number | undefined][] = [
      ['total', 'total', undefined],
      ['country', 'country', 5],
      ['product', 'product', 50],
    ];
    for (const [key, level, top] of levels) {
      const s: SalesSeries = await loadSalesSeries(wh, { level, top, merchandiseOnly: false });
      const r = py.warehouse[key];
      const raw = py.raw[key];
      checks.push(
        equals(SUITE, `${key}: days`, py.days, s.length, ref.source),
        equals(SUITE, `${key}: first day`, py.firstDay, s.start.toISOString().slice(0, 10), ref.source),
        equals(SUITE, `${key}: series ids, largest first`, r.ids.join(','), s.ids.join(','), ref.source),
      );
      const units = s.ids.map((_, i) => seriesValues(s, i).reduce((a, b) => a + b, 0));
      const mismatched = units.filter((u, i) => u !== r.units[i]).length;
      checks.push(
        equals(SUITE, `${key}: series whose units differ from the recount`, 0, mismatched, ref.source),
      );
      // The global GBDT's calendar (UK holidays: the store's country) and prices, from the same lines.
      const g = WITH_GBDT
        ? await loadGlobalInputs(wh, s, DEFAULT_BACKTEST.horizon, { merchandiseOnly: false })
        : null;
      const b = backtestLevel(
        s,
        MODELS,
        DEFAULT_BACKTEST,
        undefined,
        g ? { calendar: g.calendar, price: g.price } : {},
      );
      results.push(b);
      // Parameter-free baselines: equal to the recount's on the same series, or the protocol differs.
      checks.push(
        within(
          SUITE,
          `${key}: seasonal-naive MASE = recount`,
          r.mase.seasonalNaive,
          b.models['seasonal-naive']!.mase,
          1e-3,
          ref.source,
        ),
        within(
          SUITE,
          `${key}: 28-day mean MASE = recount`,
          r.mase.mean28,
          b.models['moving-average']!.mase,
          1e-3,
          ref.source,
        ),
      );
      const auto = b.models['auto']!;
      if (key === 'product') {
        // The issue's product figures (11.54 / 11.34 / 13.64) are not what its protocol gives on the
        // raw file (the recount's raw rows, in docs/forecasting.md): the floor is the recount's.
        const best = Math.min(r.mase.seasonalNaive, r.mase.mean28);
        checks.push(
          atMost(
            `${key}: auto MASE below the best simple baseline`,
            best,
            auto.mase,
            `${ref.source}, warehouse lines; floor from issue 9`,
            true,
          ),
        );
      } else {
        const [issueNaive, issueMean, issueHw] = ISSUE_MASE[key];
        // The recount on the raw file reproduces the issue's reference: the protocol is the issue's.
        checks.push(
          within(
            SUITE,
            `${key}: recount (raw lines) seasonal naive = issue's`,
            issueNaive,
            raw.mase.seasonalNaive,
            1e-3,
            ISSUE,
          ),
          within(
            SUITE,
            `${key}: recount (raw lines) 28-day mean = issue's`,
            issueMean,
            raw.mase.mean28,
            1e-3,
            ISSUE,
          ),
          within(
            SUITE,
            `${key}: recount (raw lines) Holt-Winters = issue's`,
            issueHw,
            raw.mase.holtWinters,
            1e-3,
            ISSUE,
          ),
          atMost(`${key}: auto MASE at or below the issue's Holt-Winters`, issueHw, auto.mase, ISSUE),
          atMost(
            `${key}: auto MASE at or below statsmodels Holt-Winters on the same series`,
            r.mase.holtWinters,
            auto.mase,
            `${ref.source}, warehouse lines`,
          ),
        );
      }
      checks.push(
        holds(
          SUITE,
          `${key}: auto 80% coverage within 10 points`,
          Math.abs(auto.coverage80 - 0.8) <= 0.1,
          `${(auto.coverage80 * 100).toFixed(1)}%`,
          COVERAGE_SOURCE,
        ),
        holds(
          SUITE,
          `${key}: auto 95% coverage within 10 points`,
          Math.abs(auto.coverage95 - 0.95) <= 0.1,
          `${(auto.coverage95 * 100).toFixed(1)}%`,
          COVERAGE_SOURCE,
        ),
      );
    }
  } finally {
    await wh.close();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  return {
    checks,
    report: `Online Retail, daily units, 12 origins a week apart, horizon 14 (ran in ${seconds} s, load ${loadText()}).\n\n${table(results, py)}`,
  };
}

function loadText(): string {
  // Not a claim about speed: the load says how busy the machine was when the time above was taken.
  return String(Math.round(os.loadavg()[0]! * 10) / 10);
}
