/**
 * @module ml/forecast/inventory
 * A reorder plan from a fitted forecast (periodic review, order-up-to):
 * - lead-time demand: the forecast summed over the lead time L;
 * - safety stock: the serviceLevel quantile of how much the actual L-day total exceeded the
 *   forecast L-day total from each of the last CONFORMAL_ORIGINS origins of the history
 *   (split-conformal, one-sided; 0 when it never did): no normal assumption, and the errors of the
 *   L days are summed as they came, correlated or not. The forecasts come from the model as it was
 *   judged before those origins (`backtest`: parameters fitted on the periods before them), so the
 *   errors are out of sample; without one (a model asked for by name, a history too short for a
 *   backtest) they come from the fitted model itself, in sample, and the plan says so;
 * - reorder point = lead-time demand + safety stock: order when the stock falls to it;
 * - order-up-to level = forecast over L + the review period R + safety stock; the order quantity is
 *   that level minus the stock on hand when the stock is known, else the forecast over R (one
 *   cycle's demand);
 * - with a known stock, the first forecast day on which the expected cumulative demand exceeds it.
 */
import { checkHorizon } from './check-series.js';
import { CONFORMAL_ORIGINS, conformalQuantile } from './intervals.js';
import type { Fitted } from './types.js';
import { ForecastInputError } from './types.js';

export interface ReorderOptions {
  /** Days from order to delivery (1..365). */
  readonly leadTime: number;
  /** Share of replenishment cycles without a stock-out the safety stock aims at (0.5..0.999). */
  readonly serviceLevel: number;
  /** Days between orders (1..365). */
  readonly reviewPeriod: number;
  /** Units on hand, when known. */
  readonly stock?: number;
}

export interface ReorderPlan {
  readonly leadTimeDemand: number;
  readonly safetyStock: number;
  readonly reorderPoint: number;
  readonly orderUpTo: number;
  readonly orderQuantity: number;
  /** Days after the history's end until the expected demand exceeds the stock (1 = the first forecast day); null when the stock is unknown or lasts beyond STOCKOUT_HORIZON. */
  readonly stockoutDay: number | null;
  /** Past lead-time totals the safety stock was computed from. */
  readonly errorsUsed: number;
  /** Whether those totals were forecast out of sample (the backtest fit) or by the refitted model. */
  readonly safetyFrom: 'backtest' | 'in-sample';
}

/** A fit made before `start` and extended over the history: its forecasts from `start` on are out of sample. */
export interface BacktestFit {
  readonly fit: Fitted;
  readonly start: number;
}

/** How far the stock-out date is looked for: a year of days. */
export const STOCKOUT_HORIZON = 365;

export function checkReorderOptions(o: ReorderOptions): void {
  for (const [name, v] of [
    ['lead time', o.leadTime],
    ['review period', o.reviewPeriod],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 365) {
      throw new ForecastInputError(`${name} must be a whole number of days from 1 to 365, got ${v}`);
    }
  }
  if (!(o.serviceLevel >= 0.5 && o.serviceLevel <= 0.999)) {
    throw new ForecastInputError(`service level must be from 0.5 to 0.999, got ${o.serviceLevel}`);
  }
  if (o.stock !== undefined && !(Number.isFinite(o.stock) && o.stock >= 0)) {
    throw new ForecastInputError(`stock must be a number >= 0, got ${o.stock}`);
  }
}

const sum = (a: Float64Array, from = 0, to = a.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]!;
  return s;
};

export function reorderPlan(
  fit: Fitted,
  y: Float64Array,
  o: ReorderOptions,
  backtest?: BacktestFit,
): ReorderPlan {
  checkReorderOptions(o);
  const L = o.leadTime;
  const R = o.reviewPeriod;
  const horizon = Math.max(L + R, o.stock !== undefined ? STOCKOUT_HORIZON : 0);
  checkHorizon(horizon);
  const mean = fit.forecast(horizon).map((v) => Math.max(0, v));
  const leadTimeDemand = sum(mean, 0, L);
  const n = y.length;
  const errors: number[] = [];
  const out = new Float64Array(L);
  const errorFit = backtest?.fit ?? fit;
  const first = Math.max(errorFit.firstOrigin, backtest?.start ?? 0, n - CONFORMAL_ORIGINS - L + 1, 1);
  for (let t = first; t + L <= n; t++) {
    errorFit.forecastFrom(t, L, out);
    let f = 0;
    for (let j = 0; j < L; j++) f += Math.max(0, out[j]!);
    errors.push(sum(y, t, t + L) - f);
  }
  const sorted = Float64Array.from(errors).sort();
  const safetyStock = errors.length > 0 ? Math.max(0, conformalQuantile(sorted, o.serviceLevel)) : 0;
  const reorderPoint = leadTimeDemand + safetyStock;
  const orderUpTo = sum(mean, 0, L + R) + safetyStock;
  const orderQuantity = o.stock !== undefined ? Math.max(0, orderUpTo - o.stock) : sum(mean, L, L + R);
  let stockoutDay: number | null = null;
  if (o.stock !== undefined) {
    let cumulative = 0;
    for (let j = 0; j < horizon; j++) {
      cumulative += mean[j]!;
      if (cumulative > o.stock) {
        stockoutDay = j + 1;
        break;
      }
    }
  }
  return {
    leadTimeDemand,
    safetyStock,
    reorderPoint,
    orderUpTo,
    orderQuantity,
    stockoutDay,
    errorsUsed: errors.length,
    safetyFrom: backtest ? 'backtest' : 'in-sample',
  };
}
