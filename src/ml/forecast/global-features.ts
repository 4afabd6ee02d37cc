/**
 * @module ml/forecast/global-features
 * The rows the global GBDT (global-gbdt.ts) learns from and predicts: one per series, forecast
 * origin t and step k, the target day being d = t + k - 1. Direct multi-horizon: the step is a
 * feature and no forecast is fed back as an input, so every value of a row comes from the series
 * before the origin (y[0..t), price[0..t)) or from the calendar of the target day, and a row built
 * at origin t reads nothing that happened from t on (the point-in-time test changes every value
 * from t on and gets the same rows):
 * - lags of the target day 7, 14 and 28 days back, missing (NaN) when that day is not before t;
 * - the last known value on the target's weekday, and the mean of the last four known on it;
 * - the last value, the means of the last 7 and 28 days, the standard deviation and the share of
 *   days without a sale of the last 28;
 * - series statistics: log(1 + scale), log(1 + days since the first sale);
 * - price: the mean price of the last 28 days with a price, and the last price, each over the mean
 *   price of every day before t (NaN where the series has no price);
 * - the calendar columns of the target day (the caller's: weekday, month, holidays, ...).
 * Values of the series are divided by its scale at the origin (the mean |y| of the last 56 days, or
 * of every day since the first sale when those were all zero), and so is the label: one model
 * serves a product selling 2 a day and the store's total.
 */

export const SERIES_FEATURES = [
  'step',
  'lag_7',
  'lag_14',
  'lag_28',
  'same_weekday_last',
  'same_weekday_mean_4',
  'last_value',
  'mean_7',
  'mean_28',
  'sd_28',
  'zero_share_28',
  'log_scale',
  'log_days_selling',
  'price_28_vs_history',
  'last_price_vs_history',
] as const;

/** Days the scale looks back over. */
export const SCALE_DAYS = 56;

/** Calendar columns per day (days x cols, row-major), from the series' first day on. */
export interface GlobalCalendar {
  readonly values: Float32Array;
  readonly cols: number;
  readonly names: readonly string[];
}

/** One series with its prefix sums, so each row costs O(1) whatever the window. */
export class SeriesView {
  /** Index of the first non-zero value (the length when there is none). */
  readonly first: number;
  private readonly sum: Float64Array;
  private readonly sumAbs: Float64Array;
  private readonly sumSq: Float64Array;
  private readonly zeros: Float64Array;
  private readonly negatives: Float64Array;
  private readonly priceSum: Float64Array;
  private readonly priceDays: Float64Array;
  /** lastPriced[t]: the last index before t with a price, -1 when none. */
  private readonly lastPriced: Int32Array;

  constructor(
    readonly y: Float64Array,
    readonly price: Float64Array | null,
  ) {
    const n = y.length;
    this.sum = new Float64Array(n + 1);
    this.sumAbs = new Float64Array(n + 1);
    this.sumSq = new Float64Array(n + 1);
    this.zeros = new Float64Array(n + 1);
    this.negatives = new Float64Array(n + 1);
    this.priceSum = new Float64Array(n + 1);
    this.priceDays = new Float64Array(n + 1);
    this.lastPriced = new Int32Array(n + 1);
    let first = n;
    this.lastPriced[0] = -1;
    for (let i = 0; i < n; i++) {
      const v = y[i]!;
      if (v !== 0 && first === n) first = i;
      this.sum[i + 1] = this.sum[i]! + v;
      this.sumAbs[i + 1] = this.sumAbs[i]! + Math.abs(v);
      this.sumSq[i + 1] = this.sumSq[i]! + v * v;
      this.zeros[i + 1] = this.zeros[i]! + (v === 0 ? 1 : 0);
      this.negatives[i + 1] = this.negatives[i]! + (v < 0 ? 1 : 0);
      const p = price ? price[i]! : NaN;
      const priced = Number.isFinite(p) && p > 0;
      this.priceSum[i + 1] = this.priceSum[i]! + (priced ? p : 0);
      this.priceDays[i + 1] = this.priceDays[i]! + (priced ? 1 : 0);
      this.lastPriced[i + 1] = priced ? i : this.lastPriced[i]!;
    }
    this.first = first;
  }

  /** The scale at origin t (see the module comment); 0 when nothing was sold before t. */
  scale(t: number): number {
    if (this.first >= t) return 0;
    const a = Math.max(this.first, t - SCALE_DAYS);
    const recent = (this.sumAbs[t]! - this.sumAbs[a]!) / (t - a);
    if (recent > 0) return recent;
    return (this.sumAbs[t]! - this.sumAbs[this.first]!) / (t - this.first);
  }

  /** Whether every value before t is >= 0 (forecasts and bounds are then cut at 0). */
  nonNegative(t: number): boolean {
    return this.negatives[t] === 0;
  }

  private window(t: number, w: number): number {
    return Math.max(0, t - w);
  }

  mean(t: number, w: number): number {
    const a = this.window(t, w);
    return t > a ? (this.sum[t]! - this.sum[a]!) / (t - a) : NaN;
  }

  sd(t: number, w: number): number {
    const a = this.window(t, w);
    const m = t - a;
    if (m < 2) return NaN;
    const mean = (this.sum[t]! - this.sum[a]!) / m;
    return Math.sqrt(Math.max(0, (this.sumSq[t]! - this.sumSq[a]!) / m - mean * mean));
  }

  zeroShare(t: number, w: number): number {
    const a = this.window(t, w);
    return t > a ? (this.zeros[t]! - this.zeros[a]!) / (t - a) : NaN;
  }

  /** Mean price over the days with a price in [max(0, t - w), t); NaN when none. */
  meanPrice(t: number, w: number): number {
    const a = this.window(t, w);
    const days = this.priceDays[t]! - this.priceDays[a]!;
    return days > 0 ? (this.priceSum[t]! - this.priceSum[a]!) / days : NaN;
  }

  lastPrice(t: number): number {
    const i = this.lastPriced[t]!;
    return i >= 0 ? this.price![i]! : NaN;
  }
}

export function featureCount(calendar: GlobalCalendar | null): number {
  return SERIES_FEATURES.length + (calendar?.cols ?? 0);
}

export function featureNames(calendar: GlobalCalendar | null): string[] {
  return [...SERIES_FEATURES, ...(calendar?.names ?? [])];
}

/**
 * Writes the row of series `v` at origin t, step k into out[offset ..]; `scale` is v.scale(t)
 * (> 0). Reads y and price before t only, and the calendar of the target day.
 */
export function writeRow(
  out: Float32Array,
  offset: number,
  v: SeriesView,
  t: number,
  k: number,
  scale: number,
  calendar: GlobalCalendar | null,
): void {
  const y = v.y;
  const d = t + k - 1;
  const at = (i: number): number => (i >= 0 && i < t ? y[i]! / scale : NaN);
  let c = offset;
  out[c++] = k;
  out[c++] = at(d - 7);
  out[c++] = at(d - 14);
  out[c++] = at(d - 28);
  // The latest day on the target's weekday before the origin.
  const back = 7 * Math.ceil(k / 7);
  out[c++] = at(d - back);
  let sum = 0;
  let count = 0;
  for (let j = 0; j < 4; j++) {
    const i = d - back - 7 * j;
    if (i >= 0) {
      sum += y[i]!;
      count++;
    }
  }
  out[c++] = count > 0 ? sum / count / scale : NaN;
  out[c++] = at(t - 1);
  out[c++] = v.mean(t, 7) / scale;
  out[c++] = v.mean(t, 28) / scale;
  out[c++] = v.sd(t, 28) / scale;
  out[c++] = v.zeroShare(t, 28);
  out[c++] = Math.log1p(scale);
  out[c++] = Math.log1p(t - v.first);
  const history = v.meanPrice(t, t);
  out[c++] = v.meanPrice(t, 28) / history;
  out[c++] = v.lastPrice(t) / history;
  if (calendar) {
    const from = d * calendar.cols;
    for (let j = 0; j < calendar.cols; j++) out[c++] = calendar.values[from + j]!;
  }
}
