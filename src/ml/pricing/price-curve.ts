/**
 * @module ml/pricing/price-curve
 * The demand curve of a constant-elasticity model and the price that maximises revenue or margin
 * on it, within bounds. Demand at price p relative to the current price p0 and the current daily
 * units q0:
 *
 *   units(p) = q0 (p / p0)^b,   revenue(p) = p units(p),   margin(p) = (p - cost) units(p)
 *
 * Revenue is monotone in p: it rises with the price when demand is inelastic (b > -1) and falls
 * when it is elastic (b < -1), so the best revenue sits at a bound. Margin peaks at
 * p* = cost b / (1 + b) for b < -1 (the Lerner rule), else rises with the price. The optimum is
 * clipped to the bounds: the caller keeps them inside the observed price range, so the curve never
 * extrapolates. The band at each price is the demand at the two ends of the elasticity's 95%
 * interval (the uncertainty of the slope, which dominates far from p0; q0 is taken as known).
 *
 * @example
 *   const s = bestPrice({ elasticity: -2, lo95: -2.5, hi95: -1.5 }, { price: 10, units: 5 }, [8, 12]);
 *   s.price; // 8: elastic demand, the lower bound sells enough more to raise revenue
 */

export interface ElasticityBand {
  readonly elasticity: number;
  readonly lo95: number;
  readonly hi95: number;
}

export interface CurrentPoint {
  /** The price now. */
  readonly price: number;
  /** Expected units per day at that price. */
  readonly units: number;
}

export interface CurvePoint {
  readonly price: number;
  readonly units: number;
  readonly unitsLo95: number;
  readonly unitsHi95: number;
  readonly revenue: number;
  readonly revenueLo95: number;
  readonly revenueHi95: number;
  /** With a cost only. */
  readonly margin?: number;
  readonly marginLo95?: number;
  readonly marginHi95?: number;
}

export interface PriceSuggestion {
  readonly objective: 'revenue' | 'margin';
  readonly price: number;
  /** The point of the curve at the suggested price, and at the current one. */
  readonly at: CurvePoint;
  readonly current: CurvePoint;
}

export function curvePoint(b: ElasticityBand, now: CurrentPoint, price: number, cost?: number): CurvePoint {
  const ratio = price / now.price;
  const units = now.units * ratio ** b.elasticity;
  const u1 = now.units * ratio ** b.lo95;
  const u2 = now.units * ratio ** b.hi95;
  const lo = Math.min(u1, u2);
  const hi = Math.max(u1, u2);
  const point: CurvePoint = {
    price,
    units,
    unitsLo95: lo,
    unitsHi95: hi,
    revenue: price * units,
    revenueLo95: price * lo,
    revenueHi95: price * hi,
  };
  if (cost === undefined) return point;
  const m = price - cost;
  return {
    ...point,
    margin: m * units,
    marginLo95: Math.min(m * lo, m * hi),
    marginHi95: Math.max(m * lo, m * hi),
  };
}

/** The price in [lo, hi] with the highest expected revenue, or margin when `cost` is given. */
export function bestPrice(
  b: ElasticityBand,
  now: CurrentPoint,
  bounds: readonly [number, number],
  cost?: number,
): PriceSuggestion {
  const [lo, hi] = bounds;
  if (!(lo > 0 && hi >= lo))
    throw new RangeError(`price bounds must satisfy 0 < low <= high, got [${lo}, ${hi}]`);
  const e = b.elasticity;
  let price: number;
  if (cost === undefined) price = e > -1 ? hi : e < -1 ? lo : Math.min(hi, Math.max(lo, now.price));
  else price = e < -1 ? Math.min(hi, Math.max(lo, (cost * e) / (1 + e))) : hi;
  return {
    objective: cost === undefined ? 'revenue' : 'margin',
    price,
    at: curvePoint(b, now, price, cost),
    current: curvePoint(b, now, now.price, cost),
  };
}

/** `points` prices evenly spaced over [lo, hi] with the demand and its band at each. */
export function demandCurve(
  b: ElasticityBand,
  now: CurrentPoint,
  bounds: readonly [number, number],
  points = 11,
  cost?: number,
): CurvePoint[] {
  const [lo, hi] = bounds;
  const n = lo === hi ? 1 : points;
  return Array.from({ length: n }, (_, i) =>
    curvePoint(b, now, n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1), cost),
  );
}
