/**
 * @module ml/forecast/models
 * The model names the CLI, the API and the backtest accept, one line each, plus `ets(E,T,S)` for
 * one ETS variant (E in A/M, T in N/A/Ad, S in N/A/M), e.g. `ets(A,Ad,A)`, Holt-Winters with a
 * damped trend. `auto` is not here: it is a choice among these (forecast-series.ts); `auto+gbdt`
 * over a level also against `gbdt`, the global model over every series of the level
 * (global-gbdt.ts), which is named here but fitted by the level's code, not per series.
 */
import { croston } from './croston.js';
import { ets, type EtsSpec } from './ets.js';
import { etsAuto } from './ets-select.js';
import { AUTO_WITH_GLOBAL, GLOBAL_MODEL } from './global-gbdt.js';
import { movingAverage, seasonalNaive } from './simple.js';
import { theta } from './theta.js';
import type { Forecaster } from './types.js';
import { ForecastInputError } from './types.js';

/** The window of the moving-average baseline: four weeks of days. */
export const MOVING_AVERAGE_WINDOW = 28;

/** The merchant's "average of the last four weeks". */
export const movingAverageBaseline = movingAverage(MOVING_AVERAGE_WINDOW, 'moving-average');

const NAMED: Record<string, Forecaster> = {
  'seasonal-naive': seasonalNaive,
  'moving-average': movingAverageBaseline,
  ets: etsAuto,
  theta,
  croston: croston('croston'),
  sba: croston('sba'),
  tsb: croston('tsb'),
};

export const MODEL_NAMES: readonly string[] = [
  'auto',
  ...Object.keys(NAMED),
  'ets(E,T,S)',
  GLOBAL_MODEL,
  AUTO_WITH_GLOBAL,
];

/** A model name the level accepts: `auto`, `auto+gbdt`, the global GBDT or one per series (an error naming the choices otherwise). */
export function checkModelName(name: string): void {
  if (name !== 'auto' && name !== GLOBAL_MODEL && name !== AUTO_WITH_GLOBAL) forecasterByName(name);
}

const ETS_NAME = /^ets\(([AM]),(N|A|Ad),([NAM])\)$/;

export function forecasterByName(name: string): Forecaster {
  const known = NAMED[name];
  if (known) return known;
  const m = ETS_NAME.exec(name);
  if (m) return ets({ error: m[1], trend: m[2], season: m[3] } as EtsSpec);
  if (name === GLOBAL_MODEL) {
    throw new ForecastInputError(
      `${GLOBAL_MODEL} is one model over every series of a level: forecast a level (forecastLevel, backtestLevel), not one series alone`,
    );
  }
  throw new ForecastInputError(`unknown model "${name}": use one of ${MODEL_NAMES.join(', ')}`);
}
