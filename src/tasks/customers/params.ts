/**
 * @module tasks/customers/params
 * The fixed rules of the customer tasks, each stated once: horizons, risk bands, spend-tier
 * percentiles, who is eligible, and the classifier hyper-parameters. docs/customer-intelligence.md
 * quotes these values; the tests pin them.
 */
import type { GbdtParams } from '../../ml/gbdt/params.js';

/** Churn = no sales order in the next CHURN_HORIZON_DAYS days (configurable per run). */
export const CHURN_HORIZON_DAYS = 90;
/** Purchase propensity = a sales order in the next PROPENSITY_HORIZON_DAYS days. */
export const PROPENSITY_HORIZON_DAYS = 30;
/** Spend, CLV and expected orders look this far ahead. */
export const VALUE_HORIZON_DAYS = 365;
/** Discount per 30-day period for CLV (about 12.7% a year), as in ml/clv/lifetime-value.ts. */
export const CLV_DISCOUNT_RATE = 0.01;

/**
 * Churn risk bands on the churn probability: low below 0.4, medium from 0.4 to below 0.7, high
 * from 0.7. Fixed probabilities rather than quantiles, so "high" means the same thing in every
 * store and over time (a quantile band would always hold the same share of customers).
 */
export const RISK_BANDS = { medium: 0.4, high: 0.7 } as const;
export type RiskBand = 'low' | 'medium' | 'high';

/**
 * Spend tiers on predicted next-year spend, ranked across the scored customers: the top 20% are
 * 'high', the next 30% 'medium', the remaining 50% 'low' (ties share the tier of their best rank).
 */
export const SPEND_TIERS = { high: 0.2, medium: 0.5 } as const;
export type SpendTier = 'low' | 'medium' | 'high';

/**
 * Eligibility, in the spirit of Klaviyo's predictive-analytics rules (which ask for 500+ customers
 * with orders and 180+ days of history): at least MIN_CUSTOMERS customers with a sales order
 * before the cutoff, at least MIN_PER_CLASS of them on each side of every label in the training
 * part (someone must churn and someone must stay), and at least 10 repeat customers for BG/NBD and
 * Gamma-Gamma (ml/clv MIN_REPEAT_CUSTOMERS). Below these, a fitted model would be noise.
 */
export const MIN_CUSTOMERS = 100;
export const MIN_PER_CLASS = 10;

/** Seed of the customer split and of the GBDT's subsampling. */
export const DEFAULT_SEED = 42;

/**
 * GBDT settings for a few thousand customers and ~30 features: small trees, row and column
 * subsampling, learning rate 0.1 (0.03 gave the same cross-validated ROC-AUC on Online Retail at
 * three times the trees). The leaf count and the smallest child hessian come from the grid below,
 * by cross-validation inside the fitting part of each split (tasks/customers/tuning.ts); early
 * stopping (patience 30) runs only inside the folds, and the final model is fitted with the folds'
 * mean tree count.
 */
export const CLASSIFIER_GBDT: Partial<GbdtParams> = {
  objective: 'binary',
  rounds: 1000,
  learningRate: 0.1,
  growth: 'leafwise',
  maxLeaves: 4,
  maxDepth: 6,
  minChildHessian: 5,
  subsample: 0.8,
  colsample: 0.8,
  earlyStoppingRounds: 30,
  seed: DEFAULT_SEED,
};

export type GbdtGridPoint = Pick<GbdtParams, 'maxLeaves' | 'minChildHessian'>;

/**
 * The GBDT grid, simplest first (a tie keeps the earlier point): 2, 4 or 8 leaves, each with a
 * smallest child hessian of 5 or 20 (about 20 or 80 customers at p = 0.5). Six points x 5 folds =
 * 30 small fits per classifier, which keeps `train customers` to seconds.
 */
export const CLASSIFIER_GBDT_GRID: readonly GbdtGridPoint[] = [
  { maxLeaves: 2, minChildHessian: 5 },
  { maxLeaves: 2, minChildHessian: 20 },
  { maxLeaves: 4, minChildHessian: 5 },
  { maxLeaves: 4, minChildHessian: 20 },
  { maxLeaves: 8, minChildHessian: 5 },
  { maxLeaves: 8, minChildHessian: 20 },
];

/** L2 penalties tried for the logistic model (on standardised coefficients, = 1/C in scikit-learn). */
export const CLASSIFIER_LOGISTIC_L2_GRID: readonly number[] = [1, 10, 100, 1000];

/** Folds of the cross-validation (stratified by label, tasks/customers/folds.ts). */
export const CV_FOLDS = 5;

export function riskBand(p: number): RiskBand {
  return p >= RISK_BANDS.high ? 'high' : p >= RISK_BANDS.medium ? 'medium' : 'low';
}
