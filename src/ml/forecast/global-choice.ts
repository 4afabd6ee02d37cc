/**
 * @module ml/forecast/global-choice
 * `auto+gbdt` over a level: each series' own `auto` choice (forecast-series.ts: the candidate with
 * the lowest mean absolute error over out-of-sample forecasts from the backtest window, fitted on
 * the days before it) against the global GBDT, trained on the days before the same window and
 * scored on forecasts from origins spread over it (global-gbdt.ts): the same kind of error. The
 * lower wins; the GBDT's error joins `candidates` either way, so the evidence is printed with the
 * choice.
 */
import type { SeriesForecast } from './forecast-series.js';
import { GLOBAL_MODEL, type GlobalSeriesForecast } from './global-gbdt.js';

export function chooseWithGlobal(local: SeriesForecast, global: GlobalSeriesForecast): SeriesForecast {
  // A history without a sale (model `zero`) has no candidates: nothing to choose.
  if (!local.candidates || !Number.isFinite(global.error)) return local;
  const candidates = { ...local.candidates, [GLOBAL_MODEL]: global.error };
  const best = Math.min(...Object.values(local.candidates));
  if (global.error < best) {
    const { error: _error, ...forecast } = global;
    return { ...forecast, candidates };
  }
  return { ...local, candidates };
}
