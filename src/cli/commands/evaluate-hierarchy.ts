/**
 * @module cli/commands/evaluate-hierarchy
 * `shopsight evaluate forecast --level country --hierarchy`: the store's total over every series of
 * the level, backtested as base forecasts, bottom-up and MinT-shrink (tasks/forecast/backtest-hierarchy.ts):
 * which is better at each level.
 */
import { loadSalesSeries, seriesValues, type SeriesLevel } from '../../features/sales-series.js';
import { backtestHierarchy, RECONCILE_METHODS } from '../../tasks/forecast/backtest-hierarchy.js';
import { formatTable, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-');

export async function evaluateHierarchy(opts: {
  db?: string;
  json?: boolean;
  level: SeriesLevel;
  top?: number;
  horizon: number;
  origins: number;
  step: number;
}): Promise<void> {
  if (opts.level === 'total')
    throw new Error('--hierarchy needs a --level below the total: country, category or product');
  if (opts.top !== undefined)
    throw new Error('--hierarchy uses every series of the level (they add up to the total): leave out --top');
  const r = await withWarehouse(
    opts.db,
    async (wh) => {
      const total = await loadSalesSeries(wh, { level: 'total' });
      const level = await loadSalesSeries(wh, { level: opts.level });
      const progress = startProgress(wh, 'evaluate forecast --hierarchy');
      try {
        return backtestHierarchy(
          seriesValues(total, 0),
          level.values,
          level.ids.length,
          { horizon: opts.horizon, origins: opts.origins, step: opts.step, season: 7 },
          (done, all) => progress.step(`origin ${done} of ${all}`, 0, 1, done, all),
        );
      } finally {
        progress.stop();
      }
    },
    { clickhouse: true },
  );
  if (opts.json) return printJson(r);
  const rows = [
    ...RECONCILE_METHODS.map((m) => ['total', m, r.total[m]]),
    ...RECONCILE_METHODS.map((m) => [opts.level, m, r.bottomLevel[m]]),
  ].map(([level, m, s]) => {
    const x = s as (typeof r.total)['base'];
    return [
      level as string,
      m as string,
      x.mase.toFixed(3),
      pct(x.wape),
      pct(x.smape),
      m === 'base' ? pct(x.coverage80) : '-',
      m === 'base' ? pct(x.coverage95) : '-',
    ];
  });
  process.stdout.write(
    formatTable(['level', 'method', 'MASE', 'WAPE', 'sMAPE', '80% coverage', '95% coverage'], rows) +
      `\ntotal over ${r.bottom} ${opts.level} series x ${r.origins} origins, horizon ${r.horizon}; ` +
      `MinT shrinkage intensity ${r.meanLambda.toFixed(2)} on average\n`,
  );
}
