/**
 * @module ml/pricing/elasticity
 * Own-price elasticity of one product from its days with sales: the log-log regression
 *
 *   log(units_d) = a + b log(price_d) + g trend_d + sum_w c_w weekday_w(d) + e_d
 *
 * b is the elasticity (units change by about b% when the price rises 1%). The trend (in years) and
 * the weekday dummies are the controls for season and trend: without them a price cut timed with a
 * busy season is read as a price effect. Estimated by OLS through the Frisch-Waugh-Lovell theorem:
 * log price and log units are each regressed on the controls and b is the slope of the residuals
 * (the same b and standard error as the full regression, and the residual spread of log price is
 * the price variation the data actually holds). The 95% interval uses Student's t with n - k
 * degrees of freedom.
 *
 * Refused, with the reason, rather than guessed:
 * - fewer than `minDays` days with sales (`too_few_days`);
 * - a price that does not move: a single price, or log price varying by less than `minPriceSd`
 *   (standard deviation, about a 2% move) beyond what the trend and weekday explain
 *   (`not_enough_price_variation`).
 *
 * @example
 *   const f = fitElasticity({ day, units, price });
 *   if (f.status === 'estimated') f.elasticity; // e.g. -1.8, f.ci95 = [-2.4, -1.2]
 */
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';
import { studentTQuantile } from '../special/student-t.js';

/** One product's days with sales: day number (days since 1970-01-01 UTC), units sold, price that day. */
export interface PriceObservations {
  readonly day: Int32Array;
  readonly units: Float64Array;
  readonly price: Float64Array;
}

export interface ElasticityOptions {
  /** Fewest days with sales to estimate from (default 10). */
  readonly minDays?: number;
  /** Weekday dummies only from this many days (default 28: four per weekday on average). */
  readonly weekdayFromDays?: number;
  /** Least residual standard deviation of log price (default 0.02). */
  readonly minPriceSd?: number;
}

export const MIN_DAYS = 10;
export const WEEKDAY_FROM_DAYS = 28;
export const MIN_PRICE_SD = 0.02;

export interface ElasticityEstimate {
  readonly status: 'estimated';
  readonly elasticity: number;
  readonly se: number;
  /** 95% confidence interval (Student's t). */
  readonly ci95: readonly [number, number];
  readonly days: number;
  readonly df: number;
  /** Controls in the regression besides the intercept. */
  readonly controls: readonly ('trend' | 'weekday')[];
  /** Residual standard deviation of log price after the controls: the variation estimated from. */
  readonly priceSd: number;
  readonly priceMin: number;
  readonly priceMax: number;
}

export interface ElasticityRefusal {
  readonly status: 'too_few_days' | 'not_enough_price_variation';
  readonly reason: string;
  readonly days: number;
  readonly priceMin: number | null;
  readonly priceMax: number | null;
}

export type ElasticityFit = ElasticityEstimate | ElasticityRefusal;

/** Monday = 0 for a day number (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}

/** The control columns, row-major n x k: intercept, trend in years (centred), weekday dummies. */
function controlMatrix(day: Int32Array, withWeekday: boolean): { z: Float64Array; k: number } {
  const n = day.length;
  let meanDay = 0;
  for (const d of day) meanDay += d / n;
  const present = new Array<boolean>(7).fill(false);
  for (const d of day) present[weekdayOf(d)] = true;
  // One dummy per weekday present except the first present one (the reference).
  const dummies: number[] = [];
  if (withWeekday) {
    const first = present.indexOf(true);
    for (let w = first + 1; w < 7; w++) if (present[w]) dummies.push(w);
  }
  const k = 2 + dummies.length;
  const z = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    z[i * k] = 1;
    z[i * k + 1] = (day[i]! - meanDay) / 365;
    const w = weekdayOf(day[i]!);
    const j = dummies.indexOf(w);
    if (j >= 0) z[i * k + 2 + j] = 1;
  }
  return { z, k };
}

/** Residuals of each column in `ys` after OLS on the controls z (n x k). */
function residualise(z: Float64Array, n: number, k: number, ys: Float64Array[]): Float64Array[] {
  const gram = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const za = z[i * k + a]!;
      if (za === 0) continue;
      for (let b = 0; b <= a; b++) gram[a * k + b] = gram[a * k + b]! + za * z[i * k + b]!;
    }
  }
  choleskyInPlace(gram, k);
  return ys.map((y) => {
    const beta = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) beta[a] = beta[a]! + z[i * k + a]! * y[i]!;
    choleskySolveInPlace(gram, k, beta);
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let fit = 0;
      for (let a = 0; a < k; a++) fit += z[i * k + a]! * beta[a]!;
      r[i] = y[i]! - fit;
    }
    return r;
  });
}

function checkObservations(o: PriceObservations): void {
  const n = o.day.length;
  if (o.units.length !== n || o.price.length !== n) {
    throw new RangeError(
      `day, units and price differ in length (${n}, ${o.units.length}, ${o.price.length})`,
    );
  }
  for (let i = 0; i < n; i++) {
    if (!(o.units[i]! > 0) || !Number.isFinite(o.units[i]!)) {
      throw new RangeError(`units on observation ${i} must be a positive number, got ${o.units[i]}`);
    }
    if (!(o.price[i]! > 0) || !Number.isFinite(o.price[i]!)) {
      throw new RangeError(`price on observation ${i} must be a positive number, got ${o.price[i]}`);
    }
  }
}

export function fitElasticity(o: PriceObservations, options: ElasticityOptions = {}): ElasticityFit {
  checkObservations(o);
  const minDays = options.minDays ?? MIN_DAYS;
  const minPriceSd = options.minPriceSd ?? MIN_PRICE_SD;
  const n = o.day.length;
  let priceMin = Infinity;
  let priceMax = -Infinity;
  for (const p of o.price) {
    priceMin = Math.min(priceMin, p);
    priceMax = Math.max(priceMax, p);
  }
  const range = n > 0 ? { priceMin, priceMax } : { priceMin: null, priceMax: null };
  if (n < minDays) {
    return {
      status: 'too_few_days',
      reason: `${n} days with sales, fewer than the ${minDays} an elasticity needs`,
      days: n,
      ...range,
    };
  }
  if (priceMin === priceMax) {
    return {
      status: 'not_enough_price_variation',
      reason: `not enough price variation: the price was ${priceMin} on all ${n} days with sales`,
      days: n,
      ...range,
    };
  }
  const withWeekday = n >= (options.weekdayFromDays ?? WEEKDAY_FROM_DAYS);
  const { z, k } = controlMatrix(o.day, withWeekday);
  const logP = Float64Array.from(o.price, Math.log);
  const logQ = Float64Array.from(o.units, Math.log);
  const [rp, rq] = residualise(z, n, k, [logP, logQ]) as [Float64Array, Float64Array];
  let spp = 0;
  let spq = 0;
  for (let i = 0; i < n; i++) {
    spp += rp[i]! * rp[i]!;
    spq += rp[i]! * rq[i]!;
  }
  const priceSd = Math.sqrt(spp / n);
  const df = n - k - 1;
  if (priceSd < minPriceSd || df < 1) {
    return {
      status: 'not_enough_price_variation',
      reason:
        `not enough price variation: log price varies by ${(priceSd * 100).toFixed(1)}% (standard deviation) ` +
        `beyond the trend${withWeekday ? ' and weekday' : ''}, below the ${(minPriceSd * 100).toFixed(0)}% an elasticity needs`,
      days: n,
      ...range,
    };
  }
  const b = spq / spp;
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = rq[i]! - b * rp[i]!;
    sse += e * e;
  }
  const se = Math.sqrt(sse / df / spp);
  const t = studentTQuantile(0.975, df);
  return {
    status: 'estimated',
    elasticity: b,
    se,
    ci95: [b - t * se, b + t * se],
    days: n,
    df,
    controls: withWeekday ? ['trend', 'weekday'] : ['trend'],
    priceSd,
    priceMin,
    priceMax,
  };
}
