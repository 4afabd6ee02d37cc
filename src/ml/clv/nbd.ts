/**
 * @module ml/clv/nbd
 * The NBD model (Ehrenberg 1959): every customer buys for ever as a Poisson process with rate
 * lambda ~ Gamma(r, alpha); nobody drops out. It is the common limit of BG/NBD (a -> 0: dropout
 * probability 0) and Pareto/NBD (s -> 0: dropout rate 0), and its log-likelihood is the one those
 * two reach on that boundary (the same terms, the same constants left out), so
 * 2 (LL_BG/NBD - LL_NBD) is the likelihood-ratio statistic for "the data show dropout at all"
 * (ml/clv/dropout-check.ts). It also serves the expected purchases when neither dropout model is
 * supported by the data (tasks/customers/clv.ts): there is then no P(alive) to report.
 *
 * A customer with x repeat purchases observed for T after the first:
 *   L = Γ(r+x) / Γ(r) alpha^r / (alpha+T)^(r+x)      (t_x does not enter: the rate is all that matters)
 *   E[Y(t) | x, T] = (r + x) t / (alpha + T)           (the posterior mean rate times t)
 *
 * @example
 *   const fit = fitNbd(frequency, T);                      // params { r, alpha }
 *   nbdConditionalExpected(fit.params, 365, 3, 200);      // purchases in the next 365 time units
 */
import { lgamma } from '../special/gamma.js';
import { distinctValues } from './compress.js';
import { fitByMaximumLikelihood, fitResult } from './fit-model.js';
import type { FitOptions, FitResult, NbdParams } from './types.js';

const NAMES = ['r', 'alpha'] as const;

/** Summed negative log-likelihood as a function of [r, alpha]; terms tabulated per distinct x and T. */
export function nbdNegLogLikelihood(
  frequency: Float64Array,
  T: Float64Array,
): (theta: Float64Array) => number {
  const xs = distinctValues(frequency);
  const ts = distinctValues(T);
  // The likelihood separates: sum_i lgamma(r + x_i) - (r + x_i) log(alpha + T_i) + n (r log alpha - lgamma r).
  const countX = new Float64Array(xs.values.length);
  const countT = new Float64Array(ts.values.length);
  const xSumByT = new Float64Array(ts.values.length);
  for (let i = 0; i < frequency.length; i++) {
    countX[xs.slot[i]!]!++;
    countT[ts.slot[i]!]!++;
    xSumByT[ts.slot[i]!] = xSumByT[ts.slot[i]!]! + frequency[i]!;
  }
  const n = frequency.length;
  return (theta) => {
    const r = theta[0]!;
    const alpha = theta[1]!;
    let ll = n * (r * Math.log(alpha) - lgamma(r));
    for (let k = 0; k < xs.values.length; k++) ll += countX[k]! * lgamma(r + xs.values[k]!);
    for (let k = 0; k < ts.values.length; k++) {
      ll -= (r * countT[k]! + xSumByT[k]!) * Math.log(alpha + ts.values[k]!);
    }
    return -ll;
  };
}

/** Log-likelihood of one customer (x repeat purchases, observed for T). */
export function nbdLogLikelihood(params: NbdParams, x: number, T: number): number {
  const { r, alpha } = params;
  return lgamma(r + x) - lgamma(r) + r * Math.log(alpha) - (r + x) * Math.log(alpha + T);
}

/**
 * Fits r and alpha by maximum likelihood. Callers validate the summary first (fitBgNbd and
 * fitParetoNbd fit it on data they have checked).
 */
export function fitNbd(
  frequency: Float64Array,
  T: Float64Array,
  options: FitOptions = {},
): FitResult<NbdParams> {
  const fit = fitByMaximumLikelihood(nbdNegLogLikelihood(frequency, T), frequency.length, NAMES, options);
  return fitResult<NbdParams>([...NAMES], fit, frequency.length);
}

/** E[Y(t) | x, T]: expected purchases in the next t of a customer who never drops out. */
export function nbdConditionalExpected(params: NbdParams, t: number, x: number, T: number): number {
  return ((params.r + x) / (params.alpha + T)) * t;
}
