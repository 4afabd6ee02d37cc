/**
 * @module tasks/customers/clv
 * Lifetime value from the BTYD models (ml/clv), fitted on the summary of features/btyd-summary.ts
 * (in days): a purchase model for how many purchase days a customer will have, Gamma-Gamma for what
 * each is worth. Per customer: P(alive), expected purchase days and spend over a horizon,
 * discounted CLV, and the expected next order.
 *
 * Which purchase model is served (fitClv): BG/NBD when its fit converged at the returned point and
 * is not on the no-dropout boundary (ml/clv/dropout-check.ts); otherwise Pareto/NBD under the same
 * test; otherwise neither model has found dropout in these data, so P(alive) is UNAVAILABLE (null,
 * with both reasons in `pAliveUnavailable`) rather than the 1.0 a boundary fit would print, and the
 * expected purchases come from the no-dropout NBD: the model both fits collapse to, as good by the
 * likelihood (the ratio test failed) and free of the boundary's numerical noise. Its forecasts
 * assume nobody stops buying; for "who has stopped", use the churn probability.
 *
 * Next order = the time t at which the customer's expected purchases E[Y(t) | history] reach 1
 * (found by bisection; none within NEXT_ORDER_LIMIT_DAYS -> null, "not expected"), blended with the
 * customer's own rhythm (days left until last order + their mean gap, 0 when overdue) with weight
 * k / (k + 0.5) for k observed gaps (OWN_RHYTHM_PRIOR): the model matters most for customers with
 * one or two gaps.
 *
 * @example
 *   const clv = fitClv(summary);                 // { purchases: { model: 'bgnbd', params }, gammaGamma, pAliveUnavailable: null, fit }
 *   const v = predictClv(clv, summary, 365);    // v.pAlive?.[i], v.expectedSpend[i], v.clv[i]
 */
import type { BtydSummary } from '../../features/btyd-summary.js';
import type { FeatureMatrix } from '../../features/customer-features.js';
import type { ModelArtifact } from '../../ml/artifact.js';
import { bgNbdPAlive, fitBgNbd } from '../../ml/clv/bg-nbd.js';
import type { BtydFitResult, DropoutCheck } from '../../ml/clv/dropout-check.js';
import { fitGammaGamma, gammaGammaExpectedSpend } from '../../ml/clv/gamma-gamma.js';
import {
  conditionalExpectedPurchases,
  customerLifetimeValue,
  type PurchaseModel,
} from '../../ml/clv/lifetime-value.js';
import { fitParetoNbd, paretoNbdPAlive } from '../../ml/clv/pareto-nbd.js';
import type {
  BgNbdParams,
  FitResult,
  GammaGammaParams,
  NbdParams,
  ParetoNbdParams,
} from '../../ml/clv/types.js';
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

export type PurchaseModelName = PurchaseModel['model'];

/** One model's fit as reported and stored (JSON: an infinite standard error becomes null). */
export interface ModelFitSummary<P = Record<string, number>> {
  readonly params: P;
  readonly stdErrors: P;
  readonly logLikelihood: number;
  readonly customers: number;
  /** The returned point is converged (ml/clv/types.ts FitResult.converged). */
  readonly converged: boolean;
  readonly gradientMaxAbs: number;
  /** BG/NBD and Pareto/NBD: null, or why the fit is on the no-dropout boundary. */
  readonly boundary?: string | null;
  /** BG/NBD and Pareto/NBD: 2 (LL - LL of the NBD). */
  readonly likelihoodRatio?: number;
}

export interface ClvFitReport {
  readonly [key: string]: unknown;
  readonly timeUnit: 'days';
  readonly bgnbd: ModelFitSummary<BgNbdParams>;
  /** Fitted only when BG/NBD could not be served. */
  readonly paretonbd: ModelFitSummary<ParetoNbdParams> | null;
  readonly nbd: ModelFitSummary<NbdParams>;
  readonly gammaGamma: ModelFitSummary<GammaGammaParams>;
  readonly served: PurchaseModelName;
  readonly pAliveUnavailable: string | null;
}

export interface ClvModel {
  /** The served purchase model. */
  readonly purchases: PurchaseModel;
  readonly gammaGamma: GammaGammaParams;
  /** null when P(alive) is served; otherwise why not (both dropout models failed their checks). */
  readonly pAliveUnavailable: string | null;
  /** Every fit tried, with its diagnostics. */
  readonly fit: ClvFitReport;
}

export interface ClvPredictions {
  /** null when the model has no P(alive) (ClvModel.pAliveUnavailable says why). */
  readonly pAlive: Float64Array | null;
  readonly expectedOrders: Float64Array;
  /** Undiscounted expected spend over the horizon. */
  readonly expectedSpend: Float64Array;
  /** Discounted (CLV_DISCOUNT_RATE per 30 days) expected spend over the horizon. */
  readonly clv: Float64Array;
}

function summarise<P>(f: FitResult<P>, dropout?: DropoutCheck): ModelFitSummary<P> {
  return {
    params: f.params,
    stdErrors: f.stdErrors,
    logLikelihood: f.logLikelihood,
    customers: f.customers,
    converged: f.converged,
    gradientMaxAbs: f.gradientMaxAbs,
    ...(dropout ? { boundary: dropout.boundary, likelihoodRatio: dropout.likelihoodRatio } : {}),
  };
}

/** Why a dropout model cannot be served, or null when it can. */
function unusable(f: BtydFitResult<object>): string | null {
  if (!f.converged) {
    return `did not converge (largest gradient ${f.gradientMaxAbs.toPrecision(2)} at the returned point)`;
  }
  return f.dropout.boundary;
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
  const bgProblem = unusable(bg);
  const pn = bgProblem === null ? null : fitParetoNbd(s.frequency, s.recency, s.T);
  const pnProblem = pn ? unusable(pn) : null;
  const nbd = bg.dropout.nbd;
  const purchases: PurchaseModel =
    bgProblem === null
      ? { model: 'bgnbd', params: bg.params }
      : pnProblem === null && pn
        ? { model: 'paretonbd', params: pn.params }
        : { model: 'nbd', params: nbd.params };
  const pAliveUnavailable =
    purchases.model === 'nbd'
      ? `no dropout found: BG/NBD ${bgProblem}; Pareto/NBD ${pnProblem}. Expected purchases come from the ` +
        'no-dropout NBD (nobody stops buying); use the churn probability for who has stopped'
      : null;
  return {
    purchases,
    gammaGamma: gg.params,
    pAliveUnavailable,
    fit: {
      timeUnit: 'days',
      bgnbd: summarise(bg, bg.dropout),
      paretonbd: pn ? summarise(pn, pn.dropout) : null,
      nbd: summarise(nbd),
      gammaGamma: summarise(gg),
      served: purchases.model,
      pAliveUnavailable,
    },
  };
}

/** P(alive) under the served model; null for the NBD, which has no dropout to speak of. */
function pAliveOf(p: PurchaseModel, x: number, tx: number, T: number): number | null {
  if (p.model === 'bgnbd') return bgNbdPAlive(p.params, x, tx, T);
  if (p.model === 'paretonbd') return paretoNbdPAlive(p.params, x, tx, T);
  return null;
}

export function predictClv(model: ClvModel, s: BtydSummary, horizonDays: number): ClvPredictions {
  const n = s.frequency.length;
  const out = {
    pAlive: model.purchases.model === 'nbd' ? null : new Float64Array(n),
    expectedOrders: new Float64Array(n),
    expectedSpend: new Float64Array(n),
    clv: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const x = s.frequency[i]!;
    const tx = s.recency[i]!;
    const T = s.T[i]!;
    const m = s.monetary[i]!;
    if (out.pAlive) out.pAlive[i] = pAliveOf(model.purchases, x, tx, T)!;
    const orders = conditionalExpectedPurchases(model.purchases, horizonDays, x, tx, T);
    const spend = gammaGammaExpectedSpend(model.gammaGamma, x, m);
    out.expectedOrders[i] = orders;
    out.expectedSpend[i] = orders * spend;
    out.clv[i] = customerLifetimeValue(
      model.purchases,
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
  model: Pick<ClvModel, 'purchases'>,
  x: number,
  tx: number,
  T: number,
  gapMean: number,
  recencyDays: number,
): number | null {
  const expected = (t: number): number => conditionalExpectedPurchases(model.purchases, t, x, tx, T);
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
export function nextOrderDaysOf(
  model: Pick<ClvModel, 'purchases'>,
  s: BtydSummary,
  m: FeatureMatrix,
  i: number,
): number | null {
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

/** Artifact kind of the CLV model: purchase model (BG/NBD, Pareto/NBD or NBD) and Gamma-Gamma. */
export const CLV_ARTIFACT_KIND = 'btyd-gammagamma';

export function clvToArtifact(model: ClvModel, meta: Record<string, unknown>): ModelArtifact {
  return {
    kind: CLV_ARTIFACT_KIND,
    version: 1,
    meta: {
      purchases: model.purchases,
      gammaGamma: model.gammaGamma,
      pAliveUnavailable: model.pAliveUnavailable,
      fit: model.fit,
      ...meta,
    },
    arrays: {},
  };
}

export function clvFromArtifact(a: ModelArtifact): ClvModel {
  if (a.kind === 'bgnbd-gammagamma') {
    // Stored before fits were checked for the no-dropout boundary: its P(alive) may be a boundary's 1.0.
    throw new Error(
      "this CLV model ('bgnbd-gammagamma') was stored before BTYD fits were checked for convergence and " +
        'the no-dropout boundary; retrain it with `shopsight train customers`',
    );
  }
  if (a.kind !== CLV_ARTIFACT_KIND)
    throw new Error(`expected a '${CLV_ARTIFACT_KIND}' artifact, got '${a.kind}'`);
  const { purchases, gammaGamma, pAliveUnavailable, fit } = a.meta as {
    purchases?: PurchaseModel;
    gammaGamma?: GammaGammaParams;
    pAliveUnavailable?: string | null;
    fit?: ClvFitReport;
  };
  if (!purchases || !gammaGamma || !fit || pAliveUnavailable === undefined) {
    throw new Error('CLV artifact lacks its purchase model, Gamma-Gamma parameters or fit report');
  }
  return { purchases, gammaGamma, pAliveUnavailable, fit };
}
