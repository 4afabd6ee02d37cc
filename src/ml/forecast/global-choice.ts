/**
 * @module ml/forecast/global-choice
 * `auto` over a level: each series' own choice (forecast-series.ts: the candidate with the lowest
 * mean absolute error over forecasts from the last CONFORMAL_ORIGINS origins of its history) against
 * the global GBDT, whose error is the mean absolute error of its calibration forecasts over the
 * same window of origins (global-gbdt.ts). The lower wins; the GBDT's error joins `candidates`
 * either way, so the evidence is printed with the choice.
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
