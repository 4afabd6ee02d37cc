/**
 * @module cli/commands/evaluate-forecast
 * `shopsight evaluate forecast`: the rolling-origin backtest of forecasting models side by side on
 * the store's series (default: 12 origins a week apart ending at the last full horizon, horizon 14
 * days, MASE scaled per training window by seasonal naive of period 7), and how often `auto` (and
 * `auto+gbdt`, when listed) chose each model. Nothing is stored.
 */
import { Command, Option } from 'commander';
import { loadSalesSeries, SERIES_LEVELS, type SeriesLevel } from '../../features/sales-series.js';
import { checkModelName } from '../../ml/forecast/models.js';
import { backtestLevel, DEFAULT_BACKTEST } from '../../tasks/forecast/backtest-level.js';
import { loadGlobalInputs } from '../../tasks/forecast/global-inputs.js';
import { evaluateHierarchy } from './evaluate-hierarchy.js';
import { dbOption, formatTable, jsonOption, printJson, withWarehouse } from '../context.js';
import { startProgress } from '../progress.js';
import { wholeNumber } from './forecast.js';

interface Options {
  db?: string;
  json?: boolean;
  level: SeriesLevel;
  top?: number;
  models: string[];
  horizon: number;
  origins: number;
  step: number;
  hierarchy?: boolean;
}

export const DEFAULT_EVALUATE_MODELS = ['seasonal-naive', 'moving-average', 'ets', 'theta', 'gbdt', 'auto'];

/** A comma-separated model list; commas inside `ets(A,Ad,A)` do not split it. */
export function parseModelList(v: string): string[] {
  const names = v
    .split(/,(?![^(]*\))/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names) checkModelName(n);
  return names;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

export function evaluateForecastCommand(): Command {
  return new Command('forecast')
    .description('forecasting models side by side: rolling-origin MASE, WAPE, sMAPE and interval coverage')
    .addOption(new Option('--level <level>', 'which series').choices([...SERIES_LEVELS]).default('total'))
    .addOption(
      new Option('--top <n>', 'the n largest series of the level (default: all)').argParser(
        wholeNumber('--top', 1),
      ),
    )
    .addOption(
      new Option('--models <list>', 'comma-separated model names')
        .default(DEFAULT_EVALUATE_MODELS)
        .argParser(parseModelList),
    )
    .addOption(
      new Option('--horizon <n>', 'days ahead')
        .default(DEFAULT_BACKTEST.horizon)
        .argParser(wholeNumber('--horizon', 1)),
    )
    .addOption(
      new Option('--origins <n>', 'forecast origins')
        .default(DEFAULT_BACKTEST.origins)
        .argParser(wholeNumber('--origins', 1)),
    )
    .addOption(
      new Option('--step <n>', 'days between origins')
        .default(DEFAULT_BACKTEST.step)
        .argParser(wholeNumber('--step', 1)),
    )
    .option(
      '--hierarchy',
      'the total over every series of --level: base forecasts, bottom-up and MinT-shrink reconciliation per level',
    )
    .addOption(dbOption())
    .addOption(jsonOption())
    .action(async (opts: Options) => {
      if (opts.hierarchy) return evaluateHierarchy(opts);
      const r = await withWarehouse(
        opts.db,
        async (wh) => {
          const s = await loadSalesSeries(wh, {
            level: opts.level,
            ...(opts.top !== undefined ? { top: opts.top } : {}),
          });
          // The global GBDT's calendar (holidays of the shop's country) and prices.
          const global = await loadGlobalInputs(wh, s, opts.horizon);
          const progress = startProgress(wh, 'evaluate forecast');
          try {
            return backtestLevel(
              s,
              opts.models,
              { horizon: opts.horizon, origins: opts.origins, step: opts.step, season: 7 },
              (done, total) => progress.step(`backtested ${done} of ${total} series`, 0, 1, done, total),
              { calendar: global.calendar, price: global.price },
            );
          } finally {
            progress.stop();
          }
        },
        { clickhouse: true },
      );
      if (r.series === 0) {
        throw new Error(
          `no ${opts.level} series is long enough for this backtest: ${r.skippedReason ?? 'no series'}`,
        );
      }
      if (opts.json) return printJson(r);
      const rows = opts.models.map((m) => {
        const s = r.models[m]!;
        return [m, s.mase.toFixed(3), pct(s.wape), pct(s.smape), pct(s.coverage80), pct(s.coverage95)];
      });
      const counts = (c: Record<string, number>): string =>
        Object.entries(c)
          .sort((a, b) => b[1] - a[1])
          .map(([m, n]) => `${m} ${n}`)
          .join(', ');
      const chosen = counts(r.chosen);
      const chosenWithGlobal = r.chosenWithGlobal ? counts(r.chosenWithGlobal) : '';
      process.stdout.write(
        formatTable(['model', 'MASE', 'WAPE', 'sMAPE', '80% coverage', '95% coverage'], rows) +
          `\n${r.series} ${opts.level} series x ${opts.origins} origins, horizon ${opts.horizon}` +
          (r.skipped ? `; ${r.skipped} too short, left out (${r.skippedReason})` : '') +
          (chosen ? `\nauto chose: ${chosen}` : '') +
          (chosenWithGlobal ? `\nauto+gbdt chose: ${chosenWithGlobal}` : '') +
          (r.globalTrainSeconds !== undefined
            ? `\ngbdt: ${opts.origins} x 2 trainings (calibration, final) in ${r.globalTrainSeconds.toFixed(1)} s`
            : '') +
          (r.globalLeftOut ? `\nauto+gbdt went without gbdt: ${r.globalLeftOut}` : '') +
          '\n',
      );
    });
}
