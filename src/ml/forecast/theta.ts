/**
 * @module ml/forecast/theta
 * The standard Theta method (Assimakopoulos & Nikolopoulos 2000, in Hyndman & Billah's 2003 form,
 * as statsmodels' ThetaModel with use_mle=False): deseasonalise by classical decomposition
 * (multiplicative for a positive series, additive otherwise; only with two full seasons), fit the
 * OLS slope b0 on t = 0..n-1 and a simple exponential smoothing with its level started at y[0]
 * and alpha by least squares, then
 *   yhat_{n+h} = SES level + b0/2 (h - 1 + 1/alpha - (1-alpha)^n / alpha), reseasonalised.
 * The reproduction test compares with statsmodels on the airline series.
 */
import { minimize } from '../optimize/minimize.js';
import { seasonalIndices } from './decompose.js';
import type { Fitted, Forecaster } from './types.js';

export interface ThetaFit extends Fitted {
  readonly alpha: number;
  readonly b0: number;
  /** Seasonal slot values (empty when the series was not deseasonalised). */
  readonly seasonal: Float64Array;
  readonly seasonKind: 'add' | 'mul' | 'none';
}

function sesLevel(x: Float64Array, n: number, alpha: number): { level: number; sse: number } {
  let level = x[0]!;
  let sse = 0;
  for (let t = 1; t < n; t++) {
    const e = x[t]! - level;
    sse += e * e;
    level += alpha * e;
  }
  // statsmodels counts the first (zero) error and updates the level with y[0] too: no change to either.
  return { level, sse };
}

export function fitTheta(y: Float64Array, m: number): ThetaFit {
  const n = y.length;
  const seasonal = m > 1 && n >= 2 * m;
  let kind: 'add' | 'mul' | 'none' = 'none';
  let indices: Float64Array = new Float64Array(0);
  const x = Float64Array.from(y);
  if (seasonal) {
    kind = y.every((v) => v > 0) ? 'mul' : 'add';
    indices = seasonalIndices(y, m, kind);
    for (let t = 0; t < n; t++) x[t] = kind === 'mul' ? y[t]! / indices[t % m]! : y[t]! - indices[t % m]!;
  }
  const slope = (len: number): number => {
    const tMean = (len - 1) / 2;
    let xMean = 0;
    for (let t = 0; t < len; t++) xMean += x[t]!;
    xMean /= len;
    let num = 0;
    let den = 0;
    for (let t = 0; t < len; t++) {
      num += (t - tMean) * (x[t]! - xMean);
      den += (t - tMean) * (t - tMean);
    }
    return den > 0 ? num / den : 0;
  };
  const b0 = slope(n);
  const toAlpha = (u: number): number => 1e-4 + (1 - 2e-4) / (1 + Math.exp(-u));
  const fitAlpha = minimize((u) => sesLevel(x, n, toAlpha(u[0]!)).sse, Float64Array.of(0));
  const alpha = toAlpha(fitAlpha.x[0]!);
  return { ...thetaFitted(y, m, indices, kind, b0, alpha), alpha, b0, seasonal: indices, seasonKind: kind };
}

/** The Fitted answers of fixed Theta parameters (seasonal indices, slope, alpha) over y. */
function thetaFitted(
  y: Float64Array,
  m: number,
  indices: Float64Array,
  kind: 'add' | 'mul' | 'none',
  b0: number,
  alpha: number,
): Fitted {
  const n = y.length;
  const x = Float64Array.from(y);
  if (kind !== 'none') {
    for (let t = 0; t < n; t++) x[t] = kind === 'mul' ? y[t]! / indices[t % m]! : y[t]! - indices[t % m]!;
  }
  const forecastFrom = (t: number, h: number, out: Float64Array): void => {
    const { level } = sesLevel(x, t, alpha);
    const tail = (1 - Math.pow(1 - alpha, t)) / alpha;
    for (let j = 0; j < h; j++) {
      const v = level + 0.5 * b0 * (j + tail);
      const slot = (t + j) % m;
      out[j] = kind === 'mul' ? v * indices[slot]! : kind === 'add' ? v + indices[slot]! : v;
    }
  };
  return {
    model: 'theta',
    firstOrigin: 1,
    forecastFrom,
    forecast(h) {
      const out = new Float64Array(h);
      forecastFrom(n, h, out);
      return out;
    },
    variance: () => null,
    extend: (longer) => thetaFitted(longer, m, indices, kind, b0, alpha),
  };
}

export const theta: Forecaster = { name: 'theta', minLength: () => 3, fit: fitTheta };
