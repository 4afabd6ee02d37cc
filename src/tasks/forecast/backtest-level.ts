/**
 * @module tasks/forecast/backtest-level
 * The rolling-origin backtest of several models over every series of a level (total, countries,
 * products, ...): per model the MASE averaged over windows (series x origins), the level's WAPE,
 * sMAPE and 80%/95% interval coverage, and for `auto` how often each model was chosen. What
 * `shopsight evaluate forecast` prints and the eval suite asserts.
 *
 * `gbdt` (the global model) is trained at each origin on every series' days before it, then
 * scored per series like the others; `auto+gbdt` takes it per series when its backtest error is
 * lower than auto's own choice's (ml/forecast/global-choice.ts); plain `auto` goes without it. `global` gives it the calendar and prices
 * (global-inputs.ts); without them it learns from the series alone.
 */
import type { SalesSeries } from '../../features/sales-series.js';
import { seriesValues } from '../../features/sales-series.js';
import { backtestOrigins, backtestSeries, type BacktestOptions } from '../../ml/forecast/backtest.js';
import { forecastSeries } from '../../ml/forecast/forecast-series.js';
import { chooseWithGlobal } from '../../ml/forecast/global-choice.js';
import {
  AUTO_WITH_GLOBAL,
  GLOBAL_MODEL,
  globalGbdtForecast,
  type GlobalForecast,
  type GlobalInput,
} from '../../ml/forecast/global-gbdt.js';
import { ForecastInputError } from '../../ml/forecast/types.js';
import { summarise, type Summary, type WindowScore } from '../../ml/forecast/metrics.js';

/** The protocol: 12 origins a week apart ending at the last full horizon, 14 days, MASE period 7. */
export const DEFAULT_BACKTEST: BacktestOptions = { horizon: 14, origins: 12, step: 7, season: 7 };

export interface LevelBacktest {
  readonly level: string;
  /** Series backtested. */
  readonly series: number;
  /** Series too short for the protocol, left out (with the reason of the first one). */
  readonly skipped: number;
  readonly skippedReason?: string;
  readonly models: Record<string, Summary>;
  /** For `auto`: windows in which each model was chosen. */
  readonly chosen: Record<string, number>;
  /** For `auto+gbdt`, when it was backtested: windows in which each model was chosen. */
  readonly chosenWithGlobal?: Record<string, number>;
  /** Seconds the global GBDT's trainings took over all origins (when it ran). */
  readonly globalTrainSeconds?: number;
  /** Why daily `auto` went without the global GBDT (a history too short for it). */
  readonly globalLeftOut?: string;
}

/** The calendar and prices of the level's series (global-inputs.ts). */
export type GlobalExtras = Pick<GlobalInput, 'calendar' | 'price'>;

export function backtestLevel(
  s: SalesSeries,
  models: readonly string[],
  options: BacktestOptions = DEFAULT_BACKTEST,
  onSeries?: (done: number, total: number) => void,
  global: GlobalExtras = {},
): LevelBacktest {
  const scores = new Map<string, WindowScore[]>(models.map((m) => [m, []]));
  const chosen: Record<string, number> = {};
  const chosenWithGlobal: Record<string, number> = {};
  const daily = options.season === 7;
  const withGlobal = models.includes(GLOBAL_MODEL) || models.includes(AUTO_WITH_GLOBAL);
  if (withGlobal && !daily) {
    throw new ForecastInputError(`${GLOBAL_MODEL} forecasts daily series (season 7)`);
  }
  // The global model at each origin, trained on every series' days before it.
  const byOrigin = new Map<number, GlobalForecast>();
  let globalTrainSeconds = 0;
  let globalLeftOut: string | undefined;
  if (withGlobal) {
    let origins: number[] = [];
    try {
      origins = backtestOrigins(s.length, options);
    } catch {
      // Too short for the protocol: every series is skipped below.
    }
    for (const t of origins) {
      try {
        const g = globalGbdtForecast(
          { values: s.values, length: s.length, count: s.ids.length, ...global },
          { horizon: options.horizon, history: t },
        );
        byOrigin.set(t, g);
        globalTrainSeconds += g.trainSeconds;
      } catch (e) {
        if (!(e instanceof ForecastInputError) || models.includes(GLOBAL_MODEL)) throw e;
        // auto+gbdt goes on as auto, saying why.
        globalLeftOut = e.message;
        byOrigin.clear();
        break;
      }
    }
  }
  let series = 0;
  let skipped = 0;
  let skippedReason: string | undefined;
  for (let i = 0; i < s.ids.length; i++) {
    const y = seriesValues(s, i);
    try {
      backtestOrigins(y.length, options);
    } catch (e) {
      skipped++;
      skippedReason ??= `${s.ids[i]}: ${(e as Error).message}`;
      continue;
    }
    series++;
    for (const model of models) {
      const windows = backtestSeries(
        y,
        (train, horizon) => {
          const g = byOrigin.get(train.length)?.series[i];
          if (model === GLOBAL_MODEL) return g!;
          const own = model === AUTO_WITH_GLOBAL ? 'auto' : model;
          let f = forecastSeries(train, { model: own, season: options.season, horizon });
          if (model === 'auto') chosen[f.model] = (chosen[f.model] ?? 0) + 1;
          if (model === AUTO_WITH_GLOBAL) {
            if (g) f = chooseWithGlobal(f, g);
            chosenWithGlobal[f.model] = (chosenWithGlobal[f.model] ?? 0) + 1;
          }
          return f;
        },
        options,
      );
      scores.get(model)!.push(...windows);
    }
    onSeries?.(i + 1, s.ids.length);
  }
  const summaries: Record<string, Summary> = {};
  for (const [model, list] of scores) summaries[model] = summarise(list);
  return {
    level: s.level,
    series,
    skipped,
    ...(skippedReason ? { skippedReason } : {}),
    models: summaries,
    chosen,
    ...(models.includes(AUTO_WITH_GLOBAL) ? { chosenWithGlobal } : {}),
    ...(byOrigin.size > 0 ? { globalTrainSeconds } : {}),
    ...(globalLeftOut ? { globalLeftOut } : {}),
  };
}
