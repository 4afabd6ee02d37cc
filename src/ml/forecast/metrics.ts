/**
 * @module ml/forecast/metrics
 * Forecast accuracy over one window: the sums every level-wide figure is built from, so WAPE
 * (sum |e| / sum |y|) and coverage aggregate exactly across series and origins, and MASE (mean |e|
 * divided by the in-sample mean absolute seasonal difference of the training window, Hyndman &
 * Koehler 2006) is averaged over windows.
 */
import type { Forecast } from './types.js';

export interface WindowScore {
  /** NaN when the training window has no seasonal variation to scale by (e.g. all zeros). */
  readonly mase: number;
  readonly absError: number;
  readonly absActual: number;
  /** Sum over points of 2|e| / (|y| + |yhat|), 0 where both are 0. */
  readonly smapeSum: number;
  readonly points: number;
  readonly in80: number;
  readonly in95: number;
}

/** Mean |y_t - y_{t-m}| over the training window (NaN when it is shorter than m + 1). */
export function seasonalScale(train: Float64Array, m: number): number {
  if (train.length <= m) return NaN;
  let sum = 0;
  for (let t = m; t < train.length; t++) sum += Math.abs(train[t]! - train[t - m]!);
  return sum / (train.length - m);
}

export function scoreWindow(train: Float64Array, actual: Float64Array, f: Forecast, m: number): WindowScore {
  let absError = 0;
  let absActual = 0;
  let smapeSum = 0;
  let in80 = 0;
  let in95 = 0;
  for (let j = 0; j < actual.length; j++) {
    const y = actual[j]!;
    const e = Math.abs(y - f.mean[j]!);
    absError += e;
    absActual += Math.abs(y);
    const d = Math.abs(y) + Math.abs(f.mean[j]!);
    smapeSum += d > 0 ? (2 * e) / d : 0;
    if (y >= f.lo80[j]! && y <= f.hi80[j]!) in80++;
    if (y >= f.lo95[j]! && y <= f.hi95[j]!) in95++;
  }
  const scale = seasonalScale(train, m);
  const mase = scale > 0 ? absError / actual.length / scale : NaN;
  return { mase, absError, absActual, smapeSum, points: actual.length, in80, in95 };
}

export interface Summary {
  /** Mean MASE over the windows that have a scale. */
  readonly mase: number;
  readonly wape: number;
  readonly smape: number;
  readonly coverage80: number;
  readonly coverage95: number;
  readonly windows: number;
  /** Windows left out of the MASE mean (no seasonal variation in their training window). */
  readonly unscaled: number;
}

export function summarise(scores: readonly WindowScore[]): Summary {
  let mase = 0;
  let scaled = 0;
  let absError = 0;
  let absActual = 0;
  let smape = 0;
  let points = 0;
  let in80 = 0;
  let in95 = 0;
  for (const s of scores) {
    if (Number.isFinite(s.mase)) {
      mase += s.mase;
      scaled++;
    }
    absError += s.absError;
    absActual += s.absActual;
    smape += s.smapeSum;
    points += s.points;
    in80 += s.in80;
    in95 += s.in95;
  }
  return {
    mase: scaled > 0 ? mase / scaled : NaN,
    wape: absActual > 0 ? absError / absActual : NaN,
    smape: points > 0 ? smape / points : NaN,
    coverage80: points > 0 ? in80 / points : NaN,
    coverage95: points > 0 ? in95 / points : NaN,
    windows: scores.length,
    unscaled: scores.length - scaled,
  };
}
