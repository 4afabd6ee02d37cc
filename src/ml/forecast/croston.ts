/**
 * @module ml/forecast/croston
 * Intermittent demand (most products sell a few units on a few days):
 * - Croston (1972): demand sizes z and the intervals p between demands, each smoothed with alpha
 *   at the periods with demand only; forecast z/p per period.
 * - SBA (Syntetos & Boylan 2005): Croston times (1 - alpha/2), which removes Croston's bias.
 * - TSB (Teunter, Syntetos & Babai 2011): the probability d of a demand smoothed every period with
 *   beta (so an item that stopped selling decays to 0), sizes with alpha; forecast d*z.
 * Start: z is the first demand, p the periods up to and including it (as statsforecast does), d is
 * 1/p; updates start after the first demand. Before any demand, and for an all-zero series, the
 * forecast is 0. Defaults alpha = 0.1, beta = 0.1 (Croston's and TSB's usual choice).
 *
 * @example  (hand-computed in croston.test.ts)
 *   crostonForecast(Float64Array.of(0, 2, 0, 0, 4), 'croston', 0.1, 0.1); // z 2.2, p 2.1: 1.0476
 */
import { statelessFit, type Fitted, type Forecaster } from './types.js';

export type CrostonKind = 'croston' | 'sba' | 'tsb';

/** The flat per-period forecast after seeing y[0..n). */
export function crostonForecast(
  y: Float64Array,
  kind: CrostonKind,
  alpha = 0.1,
  beta = 0.1,
  n = y.length,
): number {
  let first = -1;
  for (let t = 0; t < n; t++) {
    if (y[t]! > 0) {
      first = t;
      break;
    }
  }
  if (first < 0) return 0;
  let z = y[first]!;
  let p = first + 1;
  let d = 1 / p;
  let since = 0;
  for (let t = first + 1; t < n; t++) {
    since++;
    const v = y[t]!;
    if (kind === 'tsb') d += beta * ((v > 0 ? 1 : 0) - d);
    if (v > 0) {
      z += alpha * (v - z);
      if (kind !== 'tsb') p += alpha * (since - p);
      since = 0;
    }
  }
  if (kind === 'tsb') return d * z;
  return (kind === 'sba' ? 1 - alpha / 2 : 1) * (z / p);
}

export function croston(kind: CrostonKind, alpha = 0.1, beta = 0.1): Forecaster {
  const self: Forecaster = {
    name: kind,
    minLength: () => 1,
    fit(y, m): Fitted {
      const forecastFrom = (t: number, h: number, out: Float64Array): void => {
        out.fill(crostonForecast(y, kind, alpha, beta, t), 0, h);
      };
      return statelessFit(kind, y.length, 1, forecastFrom, (y2) => self.fit(y2, m));
    },
  };
  return self;
}
