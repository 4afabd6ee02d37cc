/**
 * @module tasks/customers/clv
 * Lifetime value from the BTYD models (ml/clv): BG/NBD for how many purchase days a customer will
 * have, Gamma-Gamma for what each is worth, fitted on the summary of features/btyd-summary.ts (in
 * days). Per customer: P(alive), expected purchase days and spend over a horizon, discounted CLV,
 * and the expected next order.
 *
 * Next order = the time t at which the customer's expected purchases E[Y(t) | history] reach 1
 * (found by bisection; none within NEXT_ORDER_LIMIT_DAYS -> null, "not expected"), blended with the
 * customer's own rhythm (days left until last order + their mean gap, 0 when overdue) with weight
 * k / (k + 0.5) for k observed gaps (OWN_RHYTHM_PRIOR): the model matters most for customers with
 * one or two gaps.
 *
 * @example
 *   const clv = fitClv(summary);                 // { bgnbd: { r, alpha, a, b }, gammaGamma: { p, q, gamma } }
 *   const v = predictClv(clv, summary, 365);    // v.pAlive[i], v.expectedSpend[i], v.clv[i]
 */
import type { BtydSummary } from '../../features/btyd-summary.js';
import type { FeatureMatrix } from '../../features/customer-features.js';
import type { ModelArtifact } from '../../ml/artifact.js';
import { bgNbdConditionalExpected, bgNbdPAlive, fitBgNbd } from '../../ml/clv/bg-nbd.js';
import { fitGammaGamma, gammaGammaExpectedSpend } from '../../ml/clv/gamma-gamma.js';
import { customerLifetimeValue } from '../../ml/clv/lifetime-value.js';
import type { BgNbdParams, GammaGammaParams } from '../../ml/clv/types.js';
import { requireRepeatBuyers } from './eligibility.js';
import { CLV_DISCOUNT_RATE, SPEND_TIERS, type SpendTier } from './params.js';

/** Beyond this, an expected next order is reported as "not expected". */
export const NEXT_ORDER_LIMIT_DAYS = 730;
/**
 * Weight of the customer's own gaps: k / (k + OWN_RHYTHM_PRIOR) for k observed gaps. Chosen on the
 * Online Retail TRAINING customers (cutoff 2011-09-09, seed 42, those who ordered within 90 days):
 * mean error 29.2 days with the own rhythm alone (prior 0), 27.2 with 0.5, 30.0 with 1, 37.1 with 3.
 */
export const OWN_RHYTHM_PRIOR = 0.5;

export interface ClvModel {
  readonly bgnbd: BgNbdParams;
  readonly gammaGamma: GammaGammaParams;
  /** Fit diagnostics: log-likelihoods, standard errors, customers used. */
  readonly fit: Record<string, unknown>;
}

export interface ClvPredictions {
  readonly pAlive: Float64Array;
  readonly expectedOrders: Float64Array;
  /** Undiscounted expected spend over the horizon. */
  readonly expectedSpend: Float64Array;
  /** Discounted (CLV_DISCOUNT_RATE per 30 days) expected spend over the horizon. */
  readonly clv: Float64Array;
}

export function fitClv(s: BtydSummary): ClvModel {
  // Zero-value repeat days carry no information about spend per order (and Gamma-Gamma needs m > 0).
  const keep: number[] = [];
  for (let i = 0; i < s.frequency.length; i++) if (s.frequency[i]! > 0 && s.monetary[i]! > 0) keep.push(i);
  requireRepeatBuyers(keep.length);
  const bg = fitBgNbd(s.frequency, s.recency, s.T);
  const gg = fitGammaGamma(
    Float64Array.from(keep, (i) => s.frequency[i]!),
    Float64Array.from(keep, (i) => s.monetary[i]!),
  );
  return {
    bgnbd: bg.params,
    gammaGamma: gg.params,
    fit: {
      timeUnit: 'days',
      bgnbd: {
        stdErrors: bg.stdErrors,
        logLikelihood: bg.logLikelihood,
        customers: bg.customers,
        converged: bg.converged,
      },
      gammaGamma: {
        stdErrors: gg.stdErrors,
        logLikelihood: gg.logLikelihood,
        customers: gg.customers,
        converged: gg.converged,
      },
    },
  };
}

export function predictClv(model: ClvModel, s: BtydSummary, horizonDays: number): ClvPredictions {
  const n = s.frequency.length;
  const out = {
    pAlive: new Float64Array(n),
    expectedOrders: new Float64Array(n),
    expectedSpend: new Float64Array(n),
    clv: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const x = s.frequency[i]!;
    const tx = s.recency[i]!;
    const T = s.T[i]!;
    const m = s.monetary[i]!;
    out.pAlive[i] = bgNbdPAlive(model.bgnbd, x, tx, T);
    const orders = bgNbdConditionalExpected(model.bgnbd, horizonDays, x, tx, T);
    const spend = gammaGammaExpectedSpend(model.gammaGamma, x, m);
    out.expectedOrders[i] = orders;
    out.expectedSpend[i] = orders * spend;
    out.clv[i] = customerLifetimeValue(
      { model: 'bgnbd', params: model.bgnbd },
      model.gammaGamma,
      { frequency: x, recency: tx, T, monetary: m },
      { horizon: horizonDays, period: 30, discountRate: CLV_DISCOUNT_RATE },
    );
  }
  return out;
}

/**
 * Days from the cutoff to the expected next order, or null when the model expects less than one
 * order within NEXT_ORDER_LIMIT_DAYS. `gapMean` is the customer's mean gap between order days (NaN
 * with a single order day) and `recencyDays` the days since their last order.
 */
export function nextOrderDays(
  model: ClvModel,
  x: number,
  tx: number,
  T: number,
  gapMean: number,
  recencyDays: number,
): number | null {
  const expected = (t: number): number => bgNbdConditionalExpected(model.bgnbd, t, x, tx, T);
  if (!(expected(NEXT_ORDER_LIMIT_DAYS) >= 1)) return null;
  let lo = 0;
  let hi = NEXT_ORDER_LIMIT_DAYS;
  for (let k = 0; k < 40 && hi - lo > 0.01; k++) {
    const mid = (lo + hi) / 2;
    if (expected(mid) >= 1) hi = mid;
    else lo = mid;
  }
  if (!(x > 0 && gapMean > 0)) return hi;
  const own = Math.max(gapMean - recencyDays, 0);
  const w = x / (x + OWN_RHYTHM_PRIOR);
  return w * own + (1 - w) * hi;
}

/**
 * nextOrderDays for row i, with the customer's mean gap and days since the last order read from the
 * feature matrix (without those features: the model alone, recency from the summary).
 */
export function nextOrderDaysOf(model: ClvModel, s: BtydSummary, m: FeatureMatrix, i: number): number | null {
  const gapCol = m.names.indexOf('gap_mean_days');
  const recencyCol = m.names.indexOf('recency_days');
  const gap = gapCol >= 0 ? m.values[i * m.cols + gapCol]! : NaN;
  const recency = recencyCol >= 0 ? m.values[i * m.cols + recencyCol]! : s.T[i]! - s.recency[i]!;
  return nextOrderDays(model, s.frequency[i]!, s.recency[i]!, s.T[i]!, gap, recency);
}

/** The spend tier of each customer by rank of expected spend (SPEND_TIERS; ties share the better tier). */
export function spendTiers(expectedSpend: Float64Array): SpendTier[] {
  const n = expectedSpend.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => expectedSpend[b]! - expectedSpend[a]!);
  const tiers: SpendTier[] = new Array<SpendTier>(n);
  let rank = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k === 0 || expectedSpend[i]! !== expectedSpend[order[k - 1]!]!) rank = k; // first rank of a tie run
    const share = rank / n;
    tiers[i] = share < SPEND_TIERS.high ? 'high' : share < SPEND_TIERS.medium ? 'medium' : 'low';
  }
  return tiers;
}

export function clvToArtifact(model: ClvModel, meta: Record<string, unknown>): ModelArtifact {
  return {
    kind: 'bgnbd-gammagamma',
    version: 1,
    meta: { bgnbd: model.bgnbd, gammaGamma: model.gammaGamma, fit: model.fit, ...meta },
    arrays: {},
  };
}

export function clvFromArtifact(a: ModelArtifact): ClvModel {
  if (a.kind !== 'bgnbd-gammagamma')
    throw new Error(`expected a 'bgnbd-gammagamma' artifact, got '${a.kind}'`);
  const { bgnbd, gammaGamma, fit } = a.meta as {
    bgnbd?: BgNbdParams;
    gammaGamma?: GammaGammaParams;
    fit?: Record<string, unknown>;
  };
  if (!bgnbd || !gammaGamma) throw new Error('CLV artifact lacks its BG/NBD or Gamma-Gamma parameters');
  return { bgnbd, gammaGamma, fit: fit ?? {} };
}
