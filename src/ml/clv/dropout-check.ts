/**
 * @module ml/clv/dropout-check
 * Is a BG/NBD or Pareto/NBD fit a fit of DROPOUT at all, or a boundary fit? Both models nest the
 * NBD (ml/clv/nbd.ts), where nobody drops out: BG/NBD as a -> 0 (or b -> infinity), Pareto/NBD as
 * s -> 0. When the data show no dropout, the likelihood rises towards that edge and the optimiser
 * stops somewhere on a flat ridge (Online Retail: a = 3e-17, b = 2e10), P(alive) is then about 1
 * for everyone by construction, not because the data say so. The fit is flagged as on the
 * boundary, with the first reason that applies, in this order:
 *
 *  1. negligible dropout: the model's dropout share is below NEGLIGIBLE_DROPOUT (1e-6): BG/NBD's
 *     mean dropout probability after a purchase a / (a + b), Pareto/NBD's share of customers who
 *     drop out within the mean observation window 1 - (beta / (beta + mean T))^s;
 *  2. singular Hessian: the Hessian of the log-likelihood at the estimate is not positive definite
 *     (infinite standard errors), so the data do not locate a maximum;
 *  3. dropout not supported: the likelihood-ratio statistic against the NBD, 2 (LL - LL_NBD), is
 *     below LIKELIHOOD_RATIO_CRITICAL (3.84). The NBD is the model's own boundary, so a fit that
 *     does not beat it by that much is statistically indistinguishable from a boundary fit, even
 *     when the optimiser stopped at an interior point of the ridge.
 *
 * Why 3.84: it is the 95% point of chi-square with 1 degree of freedom. For a parameter tested on
 * the boundary of its space the null distribution is the 50:50 mixture of chi-square 0 and 1 (Self
 * and Liang 1987; 95% point 2.71), but under "no dropout" BG/NBD's b is not identified, which makes
 * the null distribution heavier (Davies 1987): 3.84 is the conservative of the two. On CDNOW the
 * statistic is in the hundreds; on Online Retail it is 0.2-0.3 (docs/clv.md).
 *
 * @example
 *   const fit = fitBgNbd(frequency, recency, T);
 *   fit.dropout.boundary; // null, or e.g. 'negligible dropout: a / (a + b) = 1.7e-27 < 1e-6'
 */
import type { FitResult, NbdParams } from './types.js';

/** Below this dropout share the fit is on the no-dropout edge. */
export const NEGLIGIBLE_DROPOUT = 1e-6;
/** Minimum likelihood-ratio statistic against the no-dropout NBD for the dropout to count as supported. */
export const LIKELIHOOD_RATIO_CRITICAL = 3.84;

export interface DropoutCheck {
  /** null when the fit is an interior maximum that the data support; otherwise why it is not. */
  readonly boundary: string | null;
  /** The model's dropout share (see the module header); what the share is, in words. */
  readonly dropoutShare: number;
  readonly dropoutShareMeaning: string;
  /** 2 (LL_model - LL_NBD). */
  readonly likelihoodRatio: number;
  /** The no-dropout NBD fitted to the same customers. */
  readonly nbd: FitResult<NbdParams>;
}

/** A BG/NBD or Pareto/NBD fit with its boundary check. */
export interface BtydFitResult<P> extends FitResult<P> {
  readonly dropout: DropoutCheck;
}

/** The dropout check of a fit, given its dropout share and the NBD fitted to the same customers. */
export function checkDropout<P>(
  fit: FitResult<P>,
  share: { readonly value: number; readonly meaning: string; readonly symbol: string },
  nbd: FitResult<NbdParams>,
): DropoutCheck {
  const likelihoodRatio = 2 * (fit.logLikelihood - nbd.logLikelihood);
  const base = { dropoutShare: share.value, dropoutShareMeaning: share.meaning, likelihoodRatio, nbd };
  const se = fit.stdErrors as Record<string, number>;
  const loose = Object.keys(se).filter((k) => !Number.isFinite(se[k]));
  if (!(share.value >= NEGLIGIBLE_DROPOUT)) {
    return {
      ...base,
      boundary: `negligible dropout: ${share.symbol} = ${share.value.toPrecision(2)} < ${NEGLIGIBLE_DROPOUT.toExponential(0)} (the no-dropout edge)`,
    };
  }
  if (loose.length > 0) {
    return {
      ...base,
      boundary:
        `singular Hessian: the log-likelihood has no curvature in some direction at the estimate ` +
        `(infinite standard error of ${loose.join(', ')}), so the data do not locate a maximum`,
    };
  }
  if (!(likelihoodRatio >= LIKELIHOOD_RATIO_CRITICAL)) {
    return {
      ...base,
      boundary:
        `dropout not supported: 2 (LL - LL of the no-dropout NBD) = ${likelihoodRatio.toFixed(2)} ` +
        `< ${LIKELIHOOD_RATIO_CRITICAL}, indistinguishable from the boundary`,
    };
  }
  return { ...base, boundary: null };
}
