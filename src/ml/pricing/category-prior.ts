/**
 * @module ml/pricing/category-prior
 * The elasticity of a category: every product's own fit (elasticity.ts), pooled (shrink.ts). The
 * products are one panel: product p's days are rows offsets[p] .. offsets[p+1] of the columns.
 *
 * @example
 *   const prior = categoryPrior({ offsets, day, units, price });
 *   prior.pooled?.estimate; // e.g. -1.4; null when fewer than 3 products have their own estimate
 */
import { fitElasticity, type ElasticityOptions, type PriceObservations } from './elasticity.js';
import { poolEstimates, type PooledEstimate } from './shrink.js';

export interface PricePanel extends PriceObservations {
  /** Product p's rows are offsets[p] .. offsets[p+1]; length products + 1. */
  readonly offsets: Int32Array;
}

export interface CategoryPrior {
  /** The random-effects mean of the products' own estimates, or null (fewer than 3). */
  readonly pooled: PooledEstimate | null;
  /** Products in the panel. */
  readonly products: number;
  /** Products with an own estimate (pooled). */
  readonly estimated: number;
}

/** The rows of product p as PriceObservations (views, no copy). */
export function panelProduct(panel: PricePanel, p: number): PriceObservations {
  const from = panel.offsets[p]!;
  const to = panel.offsets[p + 1]!;
  return {
    day: panel.day.subarray(from, to),
    units: panel.units.subarray(from, to),
    price: panel.price.subarray(from, to),
  };
}

export function categoryPrior(panel: PricePanel, options: ElasticityOptions = {}): CategoryPrior {
  const products = panel.offsets.length - 1;
  const estimates: { estimate: number; se: number }[] = [];
  for (let p = 0; p < products; p++) {
    const f = fitElasticity(panelProduct(panel, p), options);
    if (f.status === 'estimated') estimates.push({ estimate: f.elasticity, se: f.se });
  }
  return { pooled: poolEstimates(estimates), products, estimated: estimates.length };
}
