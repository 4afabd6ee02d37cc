/**
 * @module tasks/pricing/price-product
 * "What happens to demand if I change the price of this product?": its own price elasticity from
 * its days with sales (ml/pricing/elasticity.ts), its category's (every product of the category
 * fitted and pooled), the product's shrunk towards the category, and on that the demand curve over
 * the observed price range and the price that maximises expected revenue (or margin, with a cost)
 * within the merchant's bounds. What `shopsight price` prints and `GET /v1/pricing/:product` serves.
 *
 * - Now: the current price is the product's price on its last day with sales; its expected units
 *   per day at that price are its units over the store's last 28 days / 28 (days without a sale
 *   count as 0).
 * - No extrapolation: the merchant's bounds are cut to the range of daily prices observed; bounds
 *   wholly outside it are an error naming both ranges.
 * - A product whose own data cannot give an elasticity (too few days, a price that did not move)
 *   gets that answer with its reason, the category's elasticity for reference, and no suggestion:
 *   its observed range is (about) one price, and a curve beyond it would be an extrapolation.
 */
import { loadPricePanel, productForPricing, type PricingProduct } from '../../features/price-observations.js';
import {
  categoryPrior,
  panelProduct,
  type CategoryPrior,
  type PricePanel,
} from '../../ml/pricing/category-prior.js';
import { fitElasticity, type ElasticityFit, type PriceObservations } from '../../ml/pricing/elasticity.js';
import {
  bestPrice,
  demandCurve,
  type CurvePoint,
  type PriceSuggestion,
} from '../../ml/pricing/price-curve.js';
import { shrinkTowards } from '../../ml/pricing/shrink.js';
import { normalQuantile } from '../../ml/special/normal.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

/** Days of recent sales that give the expected units per day at the current price. */
export const RECENT_DAYS = 28;
/** Points on the demand curve. */
export const CURVE_POINTS = 11;

export interface PriceProductOptions {
  readonly productId: string;
  /** The merchant's bounds on the price (cut to the observed range). */
  readonly minPrice?: number;
  readonly maxPrice?: number;
  /** Unit cost: the suggestion then maximises margin instead of revenue. */
  readonly cost?: number;
}

/** Input the pricing refuses (bounds, cost): the message names the option and the value. */
export class PricingInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'PricingInputError';
  }
}

export interface ElasticityInUse {
  readonly elasticity: number;
  readonly se: number;
  readonly ci95: readonly [number, number];
  /** `own`: the product's estimate; `shrunk`: pulled towards the category's. */
  readonly source: 'own' | 'shrunk';
  /** The weight of the product's own estimate in it (1 for `own`). */
  readonly ownWeight: number;
}

export interface CategoryElasticity {
  readonly category: string;
  /** Products of the category with sales, and how many had their own estimate. */
  readonly products: number;
  readonly estimated: number;
  readonly elasticity: number | null;
  readonly se: number | null;
  readonly ci95: readonly [number, number] | null;
  /** Standard deviation of the products' true elasticities around the category's. */
  readonly spread: number | null;
  readonly note?: string;
}

export interface PriceAnswer {
  readonly productId: string;
  readonly title: string | null;
  readonly history: {
    readonly from: string | null;
    readonly to: string | null;
    readonly daysWithSales: number;
    readonly priceMin: number | null;
    readonly priceMax: number | null;
    readonly currentPrice: number | null;
    readonly unitsPerDay: number;
  };
  readonly own: ElasticityFit;
  readonly category: CategoryElasticity;
  /** What the curve uses, or null with `reason`. */
  readonly elasticity: ElasticityInUse | null;
  readonly bounds: readonly [number, number] | null;
  readonly suggestion: PriceSuggestion | null;
  readonly curve: CurvePoint[];
  /** Why there is no elasticity or no suggestion. */
  readonly reason?: string;
}

const Z95 = normalQuantile(0.975);

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export function checkPriceOptions(o: PriceProductOptions): void {
  const positive = (field: string, v: number | undefined, zeroOk = false): void => {
    if (v === undefined) return;
    if (!Number.isFinite(v) || v < 0 || (!zeroOk && v === 0)) {
      throw new PricingInputError(
        `${field} (--${field.replace('_', '-')}) must be a ${zeroOk ? 'non-negative' : 'positive'} number, got ${v}`,
        field,
      );
    }
  };
  positive('min_price', o.minPrice);
  positive('max_price', o.maxPrice);
  positive('cost', o.cost, true);
  if (o.minPrice !== undefined && o.maxPrice !== undefined && o.minPrice > o.maxPrice) {
    throw new PricingInputError(
      `min_price (--min-price) ${o.minPrice} is above max_price (--max-price) ${o.maxPrice}`,
      'min_price',
    );
  }
}

function categoryAnswer(product: PricingProduct, prior: CategoryPrior): CategoryElasticity {
  const base = { category: product.category, products: prior.products, estimated: prior.estimated };
  const p = prior.pooled;
  if (!p) {
    return {
      ...base,
      elasticity: null,
      se: null,
      ci95: null,
      spread: null,
      note: `${prior.estimated} products of the category have their own estimate, fewer than the 3 a category's elasticity needs`,
    };
  }
  return {
    ...base,
    elasticity: p.estimate,
    se: p.se,
    ci95: [p.estimate - Z95 * p.se, p.estimate + Z95 * p.se],
    spread: Math.sqrt(p.tau2),
  };
}

function inUse(own: ElasticityFit, prior: CategoryPrior): ElasticityInUse | null {
  if (own.status !== 'estimated') return null;
  if (!prior.pooled) {
    return { elasticity: own.elasticity, se: own.se, ci95: own.ci95, source: 'own', ownWeight: 1 };
  }
  const s = shrinkTowards({ estimate: own.elasticity, se: own.se }, prior.pooled);
  return {
    elasticity: s.estimate,
    se: s.se,
    ci95: [s.estimate - Z95 * s.se, s.estimate + Z95 * s.se],
    source: 'shrunk',
    ownWeight: s.ownWeight,
  };
}

/** Units per day over the store's last RECENT_DAYS days (zero-filled). */
function recentUnitsPerDay(obs: PriceObservations, lastStoreDay: number): number {
  let sum = 0;
  for (let i = 0; i < obs.day.length; i++) if (obs.day[i]! > lastStoreDay - RECENT_DAYS) sum += obs.units[i]!;
  return sum / RECENT_DAYS;
}

export async function priceProduct(
  wh: Warehouse,
  options: PriceProductOptions,
  /** How the category is fitted: inline by default; the server passes categoryPriorOffThread. */
  fitPrior: (panel: PricePanel) => Promise<CategoryPrior> = (panel) => Promise.resolve(categoryPrior(panel)),
): Promise<PriceAnswer> {
  checkPriceOptions(options);
  const product = await productForPricing(wh, options.productId);
  const { ids, panel } = await loadPricePanel(wh, { category: product.category });
  const index = ids.indexOf(options.productId);
  const obs: PriceObservations =
    index >= 0
      ? panelProduct(panel, index)
      : { day: new Int32Array(0), units: new Float64Array(0), price: new Float64Array(0) };
  const n = obs.day.length;
  const own = fitElasticity(obs);
  const prior = await fitPrior(panel);
  const elasticity = inUse(own, prior);
  const currentPrice = n > 0 ? obs.price[n - 1]! : null;
  const unitsPerDay = recentUnitsPerDay(obs, product.lastStoreDay);
  const answer = {
    productId: options.productId,
    title: product.title,
    history: {
      from: n > 0 ? isoDay(obs.day[0]!) : null,
      to: n > 0 ? isoDay(obs.day[n - 1]!) : null,
      daysWithSales: n,
      priceMin: own.priceMin,
      priceMax: own.priceMax,
      currentPrice,
      unitsPerDay,
    },
    own,
    category: categoryAnswer(product, prior),
    elasticity,
  };
  if (!elasticity || own.status !== 'estimated' || currentPrice === null) {
    return {
      ...answer,
      bounds: null,
      suggestion: null,
      curve: [],
      reason: own.status === 'estimated' ? 'no sales' : own.reason,
    };
  }
  const lo = Math.max(own.priceMin, options.minPrice ?? 0);
  const hi = Math.min(own.priceMax, options.maxPrice ?? Infinity);
  if (lo > hi) {
    throw new PricingInputError(
      `the bounds [${options.minPrice ?? '-'}, ${options.maxPrice ?? '-'}] lie outside the observed price range ` +
        `[${own.priceMin}, ${own.priceMax}]: a price there would be an extrapolation`,
      options.minPrice !== undefined && options.minPrice > own.priceMax ? 'min_price' : 'max_price',
    );
  }
  const bounds: [number, number] = [lo, hi];
  if (unitsPerDay === 0) {
    return {
      ...answer,
      bounds,
      suggestion: null,
      curve: [],
      reason: `no sales in the store's last ${RECENT_DAYS} days: no current demand to move`,
    };
  }
  const band = { elasticity: elasticity.elasticity, lo95: elasticity.ci95[0], hi95: elasticity.ci95[1] };
  const now = { price: currentPrice, units: unitsPerDay };
  return {
    ...answer,
    bounds,
    suggestion: bestPrice(band, now, bounds, options.cost),
    curve: demandCurve(band, now, bounds, CURVE_POINTS, options.cost),
  };
}
