/**
 * @module tasks/forecast/backtest-level
 * The rolling-origin backtest of several models over every series of a level (total, countries,
 * products, ...): per model the MASE averaged over windows (series x origins), the level's WAPE,
 * sMAPE and 80%/95% interval coverage, and for `auto` how often each model was chosen. What
 * `shopsight evaluate forecast` prints and the eval suite asserts.
 */
import type { SalesSeries } from '../../features/sales-series.js';
import { seriesValues } from '../../features/sales-series.js';
import { backtestOrigins, backtestSeries, type BacktestOptions } from '../../ml/forecast/backtest.js';
import { forecastSeries } from '../../ml/forecast/forecast-series.js';
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
}

export function backtestLevel(
  s: SalesSeries,
  models: readonly string[],
  options: BacktestOptions = DEFAULT_BACKTEST,
  onSeries?: (done: number, total: number) => void,
): LevelBacktest {
  const scores = new Map<string, WindowScore[]>(models.map((m) => [m, []]));
  const chosen: Record<string, number> = {};
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
          const f = forecastSeries(train, { model, season: options.season, horizon });
          if (model === 'auto') chosen[f.model] = (chosen[f.model] ?? 0) + 1;
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
  };
}
