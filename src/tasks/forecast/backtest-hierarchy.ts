/**
 * @module tasks/forecast/backtest-hierarchy
 * Which is better at each level, the forecasts made for that level or forecasts made coherent?
 * A two-level hierarchy, the store's total over every series of a level (every country, or every
 * product), backtested with the rolling origins of backtest-level.ts. At each origin every series
 * gets its `auto` forecast (the base forecasts), then:
 *
 * - `base`: each level's own forecasts (they do not add up);
 * - `bottom-up`: the total is the sum of the bottom forecasts (the bottom level is unchanged);
 * - `mint-shrink`: MinT with the shrunk covariance of the one-step errors of every series over the
 *   last 112 days of the training window (ml/forecast/reconcile.ts); reconciled values below 0 are
 *   cut to 0, as every sales forecast is (the cut breaks coherence by what it removes).
 *
 * Scored per level and method with MASE, WAPE and sMAPE (metrics.ts). Interval coverage is the base
 * forecasts' only: reconciliation moves the means, and intervals for the reconciled forecasts are
 * not derived here.
 */
import { backtestOrigins, type BacktestOptions } from '../../ml/forecast/backtest.js';
import { chooseFit } from '../../ml/forecast/forecast-series.js';
import { CONFORMAL_ORIGINS, oneStepResiduals, withIntervals } from '../../ml/forecast/intervals.js';
import { scoreWindow, summarise, type Summary, type WindowScore } from '../../ml/forecast/metrics.js';
import { bottomUp, reconcileMinT, shrunkCovariance, type Hierarchy } from '../../ml/forecast/reconcile.js';
import type { Forecast } from '../../ml/forecast/types.js';
import { ForecastInputError } from '../../ml/forecast/types.js';

/**
 * Most series a MinT-shrink backtest takes: W is n x n and its shrinkage intensity costs n^2 x 112
 * products per origin (1,000 series: 8 MB and about 10^8 multiply-adds).
 */
export const MAX_HIERARCHY_SERIES = 1000;

export const RECONCILE_METHODS = ['base', 'bottom-up', 'mint-shrink'] as const;
export type ReconcileMethod = (typeof RECONCILE_METHODS)[number];

export interface HierarchyBacktest {
  /** Bottom series (every series of the bottom level). */
  readonly bottom: number;
  readonly origins: number;
  readonly horizon: number;
  /** Mean shrinkage intensity of W over the origins. */
  readonly meanLambda: number;
  readonly total: Record<ReconcileMethod, Summary>;
  /** The bottom level: bottom-up is the base there. */
  readonly bottomLevel: Record<ReconcileMethod, Summary>;
}

function pointForecast(mean: Float64Array): Forecast {
  const inf = new Float64Array(mean.length).fill(Infinity);
  return {
    model: 'reconciled',
    mean,
    lo80: inf.map(() => -Infinity),
    hi80: inf,
    lo95: inf.map(() => -Infinity),
    hi95: inf,
    intervals: 'conformal',
  };
}

/**
 * @param total the total series
 * @param bottom the bottom series, row-major (count x length), summing to `total` day by day
 */
export function backtestHierarchy(
  total: Float64Array,
  bottom: Float64Array,
  count: number,
  options: BacktestOptions,
  onOrigin?: (done: number, total: number) => void,
): HierarchyBacktest {
  const n = total.length;
  if (count > MAX_HIERARCHY_SERIES) {
    throw new ForecastInputError(
      `a hierarchy backtest takes at most ${MAX_HIERARCHY_SERIES} bottom series (MinT's covariance is n x n), got ${count}`,
    );
  }
  if (bottom.length !== count * n) {
    throw new ForecastInputError(`the bottom series hold ${bottom.length} values, not ${count} x ${n}`);
  }
  for (let t = 0; t < n; t++) {
    let sum = 0;
    for (let b = 0; b < count; b++) sum += bottom[b * n + t]!;
    if (Math.abs(sum - total[t]!) > 1e-6 * Math.max(1, Math.abs(total[t]!))) {
      throw new ForecastInputError(
        `the bottom series do not add up to the total on period ${t} (${sum} vs ${total[t]})`,
      );
    }
  }
  const h: Hierarchy = { bottom: count, aggregates: [Int32Array.from({ length: count }, (_, i) => i)] };
  const series = [total, ...Array.from({ length: count }, (_, b) => bottom.subarray(b * n, (b + 1) * n))];
  const windows = {
    total: Object.fromEntries(RECONCILE_METHODS.map((m) => [m, [] as WindowScore[]])),
    bottom: Object.fromEntries(RECONCILE_METHODS.map((m) => [m, [] as WindowScore[]])),
  } as Record<'total' | 'bottom', Record<ReconcileMethod, WindowScore[]>>;
  const origins = backtestOrigins(n, options);
  let lambdaSum = 0;
  origins.forEach((t, o) => {
    const r = Math.min(CONFORMAL_ORIGINS, t - 1);
    const residuals = new Float64Array(r * series.length);
    const base = series.map((y, j) => {
      const train = y.subarray(0, t);
      const c = chooseFit(train, { model: 'auto', season: options.season, horizon: options.horizon });
      const e = oneStepResiduals(c.fit, c.y, r);
      for (let k = 0; k < r; k++) residuals[k * series.length + j] = e[k]!;
      return withIntervals(c.fit, c.y, options.horizon, { nonNegative: c.nonNegative });
    });
    const w = shrunkCovariance(residuals, series.length);
    lambdaSum += w.lambda;
    const means = base.map((f) => f.mean);
    const up = bottomUp(h, means.slice(1));
    const mint = reconcileMinT(h, means, w.cov).map((f) => f.map((v) => Math.max(0, v)));
    const score = (j: number, f: Forecast): WindowScore => {
      const y = series[j]!;
      return scoreWindow(y.subarray(0, t), y.subarray(t, t + options.horizon), f, options.season);
    };
    windows.total.base.push(score(0, base[0]!));
    windows.total['bottom-up'].push(score(0, pointForecast(up[0]!)));
    windows.total['mint-shrink'].push(score(0, pointForecast(mint[0]!)));
    for (let j = 1; j < series.length; j++) {
      const b = score(j, base[j]!);
      windows.bottom.base.push(b);
      windows.bottom['bottom-up'].push(b);
      windows.bottom['mint-shrink'].push(score(j, pointForecast(mint[j]!)));
    }
    onOrigin?.(o + 1, origins.length);
  });
  const sum = (w: Record<ReconcileMethod, WindowScore[]>): Record<ReconcileMethod, Summary> =>
    Object.fromEntries(RECONCILE_METHODS.map((m) => [m, summarise(w[m])])) as Record<
      ReconcileMethod,
      Summary
    >;
  return {
    bottom: count,
    origins: origins.length,
    horizon: options.horizon,
    meanLambda: lambdaSum / origins.length,
    total: sum(windows.total),
    bottomLevel: sum(windows.bottom),
  };
}
