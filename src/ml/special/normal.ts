/**
 * @module ml/special/normal
 * The standard normal distribution: cumulative probability, its upper tail, and the quantile
 * (inverse CDF), in double precision. The statistical tests of ml/metrics (z-tests, confidence
 * intervals, power) are built on these.
 *
 * normalCdf is Hart's algorithm 5666 as given by West ("Better approximations to cumulative normal
 * functions", Wilmott Magazine, 2005) for |x| < 3 (about 1e-15 absolute error), and Laplace's
 * continued fraction beyond, where Hart's relative error grows (5e-10 at x = 6, measured against
 * scipy). The tail is computed directly (no 1 - x cancellation), so a p-value of 1e-20 is still a
 * correct 1e-20, to about 1e-14 relative. normalQuantile is
 * Acklam's rational approximation (relative error 1.15e-9) refined by one Halley step on normalCdf,
 * which brings it to full precision. The tests hold scipy.stats.norm values as literals.
 *
 * @example
 *   normalCdf(1.959963984540054);  // 0.975
 *   normalQuantile(0.975);         // 1.959963984540054
 *   normalUpperTail(8);            // 6.22e-16 (1 - normalCdf(8) would round to 0 or 1.1e-16)
 */

/** Beyond this |x| the tail comes from the continued fraction, which keeps full relative precision. */
const FRACTION_FROM = 3;

/**
 * P(Z > x) for x >= FRACTION_FROM: phi(x) / (x + 1/(x + 2/(x + 3/(x + ...)))) (Laplace's continued
 * fraction), evaluated by Lentz's method until a step changes it by less than a rounding error.
 */
function tailFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let j = 1; j < 1000; j++) {
    d = x + j * d;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = x + j / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI) / f;
}

/** P(Z > |x|): Hart's algorithm near the centre, the continued fraction in the tails. */
function tail(xAbs: number): number {
  if (xAbs > 38.5) return 0;
  if (xAbs >= FRACTION_FROM) return tailFraction(xAbs);
  const e = Math.exp((-xAbs * xAbs) / 2);
  let num = 3.52624965998911e-2 * xAbs + 0.700383064443688;
  num = num * xAbs + 6.37396220353165;
  num = num * xAbs + 33.912866078383;
  num = num * xAbs + 112.079291497871;
  num = num * xAbs + 221.213596169931;
  num = num * xAbs + 220.206867912376;
  let den = 8.83883476483184e-2 * xAbs + 1.75566716318264;
  den = den * xAbs + 16.064177579207;
  den = den * xAbs + 86.7807322029461;
  den = den * xAbs + 296.564248779674;
  den = den * xAbs + 637.333633378831;
  den = den * xAbs + 793.826512519948;
  den = den * xAbs + 440.413735824752;
  return (e * num) / den;
}

/** P(Z <= x) for a standard normal Z. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const t = tail(Math.abs(x));
  return x > 0 ? 1 - t : t;
}

/** P(Z > x), computed without cancellation for large x (use it for p-values). */
export function normalUpperTail(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const t = tail(Math.abs(x));
  return x > 0 ? t : 1 - t;
}

const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
] as const;
const B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
] as const;
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;
const P_LOW = 0.02425;

/** Acklam's first approximation of the quantile (relative error below 1.15e-9). */
function acklam(p: number): number {
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
    (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1)
  );
}

/** The x with P(Z <= x) = p, for 0 < p < 1 (-Infinity at 0, Infinity at 1). */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`normalQuantile: p must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const x = acklam(p);
  // One Halley step: e is the CDF error at x, measured on the side where it has no cancellation.
  const e = x < 0 ? normalCdf(x) - p : 1 - p - normalUpperTail(x);
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
