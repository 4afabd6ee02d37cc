/**
 * @module ml/clv/types
 * Shapes shared by the CLV models. Customers are given as parallel Float64Arrays in the
 * "RFM summary" form of the BTYD literature, one entry per customer:
 *
 *   frequency x   number of REPEAT purchases (purchase occasions after the first; same-day purchases
 *                 are usually merged into one occasion first)
 *   recency t_x   time from the first purchase to the last one (0 when x = 0)
 *   T             time from the first purchase to the end of the observation window
 *
 * Time units are whatever the caller uses (weeks for CDNOW, days elsewhere) as long as recency, T
 * and every horizon passed to a prediction use the same one; rate parameters (alpha, beta) come out
 * in that unit. Monetary value is the mean value of the repeat purchases (not counting the first).
 */

/** What every fit returns. `P` is the named parameter record, e.g. { r, alpha, a, b }. */
export interface FitResult<P> {
  readonly params: P;
  /**
   * Asymptotic standard errors: sqrt of the diagonal of the inverse Hessian of the negative
   * log-likelihood (summed over customers) at the estimate. Infinity when that Hessian is not
   * positive definite (the data cannot pin a parameter down), never NaN.
   */
  readonly stdErrors: P;
  /** Log-likelihood summed over the customers used (not the mean). */
  readonly logLikelihood: number;
  readonly iterations: number;
  /** Likelihood evaluations, gradients and Hessian included. */
  readonly evaluations: number;
  /**
   * True when the RETURNED point is a converged estimate: the optimiser stage that produced it met
   * its stopping test and the gradient there is at most GRADIENT_TOLERANCE (ml/clv/fit-model.ts).
   * False means the estimate may be off.
   */
  readonly converged: boolean;
  /** Largest |d mean negative log-likelihood / d log parameter| at the returned point. */
  readonly gradientMaxAbs: number;
  readonly method: 'lbfgs' | 'nelder-mead';
  /** Customers the likelihood was summed over (Gamma-Gamma: those with frequency > 0). */
  readonly customers: number;
}

export interface FitOptions {
  /** Starting parameters (natural scale); default all 1, as lifetimes does. */
  readonly initial?: readonly number[];
  /** Iteration cap of the optimiser. */
  readonly maxIterations?: number;
  /** 'lbfgs' (default: L-BFGS, Nelder-Mead fallback) or 'nelder-mead' only. */
  readonly method?: 'lbfgs' | 'nelder-mead';
}

export interface BgNbdParams {
  /** Shape and scale of the gamma distribution of purchase rates (mean rate r / alpha per time unit). */
  readonly r: number;
  readonly alpha: number;
  /** Beta distribution of the drop-out probability after each purchase (mean a / (a + b)). */
  readonly a: number;
  readonly b: number;
}

/** The no-dropout limit of both models: purchase rates Gamma(r, alpha) (ml/clv/nbd.ts). */
export interface NbdParams {
  readonly r: number;
  readonly alpha: number;
}

export interface ParetoNbdParams {
  /** Gamma distribution of purchase rates (mean r / alpha). */
  readonly r: number;
  readonly alpha: number;
  /** Gamma distribution of drop-out rates (mean s / beta; expected lifetime beta / (s - 1) for s > 1). */
  readonly s: number;
  readonly beta: number;
}

export interface GammaGammaParams {
  /** Shape of each transaction's gamma-distributed value. */
  readonly p: number;
  /** Shape and scale of the gamma distribution of customers' spend rates. */
  readonly q: number;
  readonly gamma: number;
}
