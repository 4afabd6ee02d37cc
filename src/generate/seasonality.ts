/**
 * @module generate/seasonality
 * When shoppers are active: an hourly intensity over the generated window (yearly shape with a Black
 * Friday / December peak, weekday shape, time of day), and the "intensity clock" that turns it into event
 * times. Each visitor's sessions form a Poisson process on the intensity clock, so a December hour with
 * twice the intensity of a February hour gets twice the sessions, without rejection sampling.
 *
 * @example
 *   const s = new Seasonality(Date.UTC(2024, 0, 1), 365);
 *   const next = s.timeAt(s.intensityAt(t) + rng.exponential() * 24 / sessionsPerDay); // seconds
 */

const HOUR_S = 3600;

/** Relative traffic by UTC hour of day: quiet at night, lunchtime bump, evening peak. */
const DIURNAL = normalise([
  0.35, 0.2, 0.12, 0.1, 0.1, 0.15, 0.3, 0.55, 0.8, 1.0, 1.1, 1.15, 1.2, 1.2, 1.15, 1.1, 1.1, 1.15, 1.3, 1.5,
  1.6, 1.5, 1.1, 0.65,
]);

/** Relative traffic by UTC weekday, Sunday first (Date#getUTCDay order): online peaks Sunday/Monday. */
const WEEKLY = normalise([1.12, 1.08, 1.0, 0.98, 0.97, 0.92, 0.88]);

/** Relative traffic by month (January = 0); November and December get their own day-level shape below. */
const MONTHLY = [0.85, 0.85, 0.92, 0.95, 0.95, 0.9, 0.88, 0.9, 0.97, 1.02, 1.05, 1.0];

/** Day-of-year shape, before normalisation: month level plus the Black Friday and Christmas run. */
function rawYearly(month: number, day: number): number {
  if (month === 10 && day >= 22) return 1.7; // Black Friday / Cyber Monday week
  if (month === 11) {
    if (day <= 18) return 1.65; // Christmas shopping
    if (day <= 24) return 1.2; // last posting dates passed
    if (day === 25) return 0.6;
    return 1.1; // boxing-day sales
  }
  return MONTHLY[month]!;
}

/** Mean of the raw yearly shape over a reference (non-leap) year, so the yearly factor averages 1. */
const YEARLY_MEAN = (() => {
  let sum = 0;
  for (let d = 0; d < 365; d++) {
    const date = new Date(Date.UTC(2023, 0, 1 + d));
    sum += rawYearly(date.getUTCMonth(), date.getUTCDate());
  }
  return sum / 365;
})();

/** The yearly factor of one UTC date (1 on average over a year). */
export function yearlyFactor(month: number, day: number): number {
  return rawYearly(month, day) / YEARLY_MEAN;
}

export class Seasonality {
  /** Hours in the window. */
  readonly hours: number;
  /** Intensity of each hour (1 = an average hour of an average year). */
  readonly multiplier: Float64Array;
  /** cumulative[h] = summed intensity of hours before h, in "nominal hours"; length hours + 1. */
  readonly cumulative: Float64Array;

  constructor(startMs: number, days: number) {
    this.hours = days * 24;
    this.multiplier = new Float64Array(this.hours);
    this.cumulative = new Float64Array(this.hours + 1);
    for (let d = 0; d < days; d++) {
      const date = new Date(startMs + d * 86_400_000);
      const dayFactor = WEEKLY[date.getUTCDay()]! * yearlyFactor(date.getUTCMonth(), date.getUTCDate());
      for (let h = 0; h < 24; h++) this.multiplier[d * 24 + h] = dayFactor * DIURNAL[h]!;
    }
    for (let h = 0; h < this.hours; h++) this.cumulative[h + 1] = this.cumulative[h]! + this.multiplier[h]!;
  }

  /** Total intensity of the window in nominal hours. */
  get total(): number {
    return this.cumulative[this.hours]!;
  }

  /** Intensity clock reading at `sec` seconds after the window start. */
  intensityAt(sec: number): number {
    const x = sec / HOUR_S;
    let h = Math.floor(x);
    if (h >= this.hours) return this.total;
    if (h < 0) h = 0;
    return this.cumulative[h]! + this.multiplier[h]! * (x - h);
  }

  /** Seconds after the window start at which the intensity clock reads `level`; Infinity past the end. */
  timeAt(level: number): number {
    const cum = this.cumulative;
    if (level >= cum[this.hours]!) return Infinity;
    if (level <= 0) return 0;
    let lo = 0;
    let hi = this.hours; // invariant: cum[lo] <= level < cum[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid]! <= level) lo = mid;
      else hi = mid;
    }
    return (lo + (level - cum[lo]!) / this.multiplier[lo]!) * HOUR_S;
  }
}

function normalise(values: number[]): number[] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.map((v) => v / mean);
}
