/**
 * @module ml/pricing/shrink
 * A category's elasticity from its products' own estimates, and a product's estimate shrunk
 * towards it: the less a product's own data says (a wide standard error), the more it borrows from
 * its category.
 *
 * - Category (`poolEstimates`): the random-effects mean of the products' estimates (DerSimonian &
 *   Laird 1986): products' elasticities are taken to scatter around the category's with a spread
 *   tau^2 estimated from how much more they disagree than their standard errors explain; each
 *   product weighs 1 / (se^2 + tau^2).
 * - Product (`shrinkTowards`): the empirical-Bayes compromise (Morris 1983) with the shrink factor
 *   B = se^2 / (se^2 + tau^2): estimate (1 - B) b + B b_category, variance
 *   (1 - B) se^2 + B^2 se_category^2 (the uncertainty of tau^2 itself is left out). A precise
 *   product keeps its own estimate; one whose estimate is mostly noise gets the category's.
 *
 * @example
 *   const cat = poolEstimates([{ estimate: -1, se: 1 }, { estimate: -2, se: 1 }, { estimate: -4, se: 1 }]);
 *   // cat.estimate -2.333, cat.tau2 1.333, cat.se 0.882
 *   shrinkTowards({ estimate: -4, se: 1 }, cat); // estimate -3.286 (B = 3/7), se 0.845
 */

export interface Estimate {
  readonly estimate: number;
  readonly se: number;
}

export interface PooledEstimate extends Estimate {
  /** Between-product variance of the true elasticities (0: they all agree within their noise). */
  readonly tau2: number;
  /** Products pooled. */
  readonly count: number;
}

/** Fewest product estimates a category's spread can be estimated from. */
export const MIN_POOLED = 3;

export function poolEstimates(estimates: readonly Estimate[]): PooledEstimate | null {
  const usable = estimates.filter((e) => Number.isFinite(e.estimate) && e.se > 0 && Number.isFinite(e.se));
  const k = usable.length;
  if (k < MIN_POOLED) return null;
  let sw = 0;
  let sw2 = 0;
  let swb = 0;
  for (const e of usable) {
    const w = 1 / (e.se * e.se);
    sw += w;
    sw2 += w * w;
    swb += w * e.estimate;
  }
  const fixed = swb / sw;
  let q = 0;
  for (const e of usable) q += ((e.estimate - fixed) / e.se) ** 2;
  const tau2 = Math.max(0, (q - (k - 1)) / (sw - sw2 / sw));
  let rw = 0;
  let rwb = 0;
  for (const e of usable) {
    const w = 1 / (e.se * e.se + tau2);
    rw += w;
    rwb += w * e.estimate;
  }
  return { estimate: rwb / rw, se: Math.sqrt(1 / rw), tau2, count: k };
}

export interface ShrunkEstimate extends Estimate {
  /** The weight of the product's own estimate, 1 - B (0: the category's, 1: its own). */
  readonly ownWeight: number;
}

export function shrinkTowards(own: Estimate, category: PooledEstimate): ShrunkEstimate {
  const v = own.se * own.se;
  const b = category.tau2 > 0 ? v / (v + category.tau2) : 1;
  return {
    estimate: (1 - b) * own.estimate + b * category.estimate,
    se: Math.sqrt((1 - b) * v + b * b * category.se * category.se),
    ownWeight: 1 - b,
  };
}
