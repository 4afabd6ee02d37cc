/**
 * @module ml/clv/lifetime-value
 * Customer lifetime value over a finite horizon: expected purchases per period (from BG/NBD,
 * Pareto/NBD or their no-dropout limit NBD, conditional on the customer's history) times expected spend per purchase (from
 * Gamma-Gamma), discounted per period, as the `lifetimes` package computes it:
 *
 *   CLV = spend(x, m) * sum_{k=1..K} [E(t_k | x, t_x, T) - E(t_{k-1} | x, t_x, T)] / (1 + d)^k
 *
 * with t_k = min(k * period, horizon), t_0 = 0, K = ceil(horizon / period), d the discount rate
 * per period, E(t | ...) the conditional expected purchases in the next t, spend(x, m) the
 * Gamma-Gamma expected value per purchase. Purchases in period k are discounted as if paid at its
 * end. Defaults assume times in DAYS: horizon 365, period 30 (lifetimes' "month"), d = 0.01 per
 * period (about 12.7% a year). With times in weeks, pass horizon 52 and period ~4.345.
 *
 * @example
 *   customerLifetimeValue(
 *     { model: 'bgnbd', params: bg.params }, gg.params,
 *     { frequency: 2, recency: 30.43, T: 38.86, monetary: 22.35 },
 *     { horizon: 52, period: 4.345, discountRate: 0.01 },   // CDNOW is in weeks
 *   ); // expected discounted value of the next year's purchases, in the currency of `monetary`
 */
import { bgNbdConditionalExpected } from './bg-nbd.js';
import { gammaGammaExpectedSpend } from './gamma-gamma.js';
import { nbdConditionalExpected } from './nbd.js';
import { paretoNbdConditionalExpected } from './pareto-nbd.js';
import type { BgNbdParams, GammaGammaParams, NbdParams, ParetoNbdParams } from './types.js';

/** A fitted purchase-count model (NBD: nobody drops out, see ml/clv/nbd.ts). */
export type PurchaseModel =
  | { readonly model: 'bgnbd'; readonly params: BgNbdParams }
  | { readonly model: 'paretonbd'; readonly params: ParetoNbdParams }
  | { readonly model: 'nbd'; readonly params: NbdParams };

/** One customer's summary (same time unit as the horizon and period). */
export interface CustomerSummary {
  readonly frequency: number;
  readonly recency: number;
  readonly T: number;
  /** Mean value of the repeat purchases (ignored when frequency = 0). */
  readonly monetary: number;
}

export interface LifetimeValueOptions {
  /** How far ahead to count, in the caller's time unit (default 365: a year in days). */
  readonly horizon?: number;
  /** Length of one discounting period (default 30: a month in days). */
  readonly period?: number;
  /** Discount rate per period (default 0.01). */
  readonly discountRate?: number;
}

export const LIFETIME_VALUE_DEFAULTS = { horizon: 365, period: 30, discountRate: 0.01 } as const;

/** E(t | history) under the given purchase model. */
export function conditionalExpectedPurchases(
  purchases: PurchaseModel,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  switch (purchases.model) {
    case 'bgnbd':
      return bgNbdConditionalExpected(purchases.params, t, x, tx, T);
    case 'paretonbd':
      return paretoNbdConditionalExpected(purchases.params, t, x, tx, T);
    case 'nbd':
      return nbdConditionalExpected(purchases.params, t, x, T);
  }
}

/** sum_k [E(t_k) - E(t_{k-1})] / (1 + d)^k: the discounted expected number of purchases. */
export function discountedExpectedPurchases(
  purchases: PurchaseModel,
  x: number,
  tx: number,
  T: number,
  options: LifetimeValueOptions = {},
): number {
  const { horizon, period, discountRate } = { ...LIFETIME_VALUE_DEFAULTS, ...options };
  if (!(horizon >= 0 && Number.isFinite(horizon)))
    throw new RangeError(`horizon must be >= 0 (got ${horizon})`);
  if (!(period > 0 && Number.isFinite(period))) throw new RangeError(`period must be > 0 (got ${period})`);
  if (!(discountRate > -1 && Number.isFinite(discountRate))) {
    throw new RangeError(`discountRate must be > -1 (got ${discountRate})`);
  }
  const periods = Math.ceil(horizon / period - 1e-12);
  let total = 0;
  let before = 0;
  for (let k = 1; k <= periods; k++) {
    const upTo = conditionalExpectedPurchases(purchases, Math.min(k * period, horizon), x, tx, T);
    total += (upTo - before) / Math.pow(1 + discountRate, k);
    before = upTo;
  }
  return total;
}

/** Discounted expected purchases over the horizon times the Gamma-Gamma expected spend per purchase. */
export function customerLifetimeValue(
  purchases: PurchaseModel,
  spend: GammaGammaParams,
  customer: CustomerSummary,
  options: LifetimeValueOptions = {},
): number {
  const { frequency: x, recency: tx, T, monetary } = customer;
  return (
    gammaGammaExpectedSpend(spend, x, monetary) * discountedExpectedPurchases(purchases, x, tx, T, options)
  );
}
