/**
 * @module ml/forecast/ets-select
 * `ets`: every candidate ETS variant fitted, the lowest AICc kept (Hyndman et al. 2008, ch. 7).
 * Candidates: error A with trend N/Ad and season N/A; when the series is strictly positive also
 * error M with trend N/Ad and season N/M. Undamped trends are left out: over a month of daily
 * sales a straight-line trend extrapolates too far (the reason R's ets damps by default too).
 * Seasonal variants need two full seasons; shorter series get the non-seasonal ones only. Each is
 * fitted with fitEtsQuick.
 */
import { etsMinLength, fitEtsQuick, type EtsFit, type EtsSpec } from './ets.js';
import { ForecastInputError, type Forecaster } from './types.js';

export function etsCandidates(y: Float64Array, m: number): EtsSpec[] {
  const positive = y.every((v) => v > 0);
  const out: EtsSpec[] = [];
  for (const error of positive ? (['A', 'M'] as const) : (['A'] as const)) {
    for (const trend of ['N', 'Ad'] as const) {
      for (const season of ['N', error === 'A' ? 'A' : 'M'] as const) {
        const spec = { error, trend, season } as const;
        if (season !== 'N' && m < 2) continue;
        if (y.length >= etsMinLength(spec, m)) out.push(spec);
      }
    }
  }
  return out;
}

export function fitEtsByAicc(y: Float64Array, m: number): EtsFit {
  let best: EtsFit | null = null;
  for (const spec of etsCandidates(y, m)) {
    const fit = fitEtsQuick(y, m, spec);
    if (Number.isFinite(fit.aicc) && (!best || fit.aicc < best.aicc)) best = fit;
  }
  // Input the model cannot use, not a fault: a level's other series still get their forecasts.
  if (!best) throw new ForecastInputError(`no ETS variant could be fitted to a series of ${y.length} values`);
  return best;
}

export const etsAuto: Forecaster = { name: 'ets', minLength: () => 4, fit: fitEtsByAicc };
