/**
 * @module ml/clv/pareto-nbd
 * The Pareto/NBD model (Schmittlein, Morrison and Colombo 1987): while alive, a customer buys as a
 * Poisson process with rate lambda ~ Gamma(r, alpha); their lifetime is exponential with rate
 * mu ~ Gamma(s, beta), so they can drop out at any moment (BG/NBD allows it only after a purchase).
 * The likelihood follows Fader and Hardie's note "Deriving the Pareto/NBD model" in the form the
 * `lifetimes` package uses, with the Gauss hypergeometric term taken on the side where its
 * argument |alpha - beta| / (max(alpha, beta) + t) lies in [0, 1):
 *
 *   L = Γ(r+x) alpha^r beta^s / Γ(r) [ 1 / ((alpha+T)^(r+x) (beta+T)^s) + s / (r+s+x) A0 ]
 *   A0 = F(t_x) / (m+t_x)^(r+s+x) - F(T) / (m+T)^(r+s+x),  m = max(alpha, beta),
 *   F(t) = 2F1(r+s+x, k; r+s+x+1; |alpha-beta| / (m+t)),  k = s+1 if alpha >= beta else r+x.
 *
 * Everything is kept in log space (log 2F1, log-sum-exp), so customers with x = 0 or a huge T give
 * finite values. On CDNOW (2,357 customers, weeks) fitParetoNbd gives r = 0.5534, alpha = 10.5802,
 * s = 0.6061, beta = 11.6562 (the published figures).
 *
 * @example
 *   const fit = fitParetoNbd(frequency, recency, T);                // params { r, alpha, s, beta }
 *   paretoNbdPAlive(fit.params, 2, 30.43, 38.86);
 *   paretoNbdConditionalExpected(fit.params, 39, 2, 30.43, 38.86);  // purchases in the next 39 weeks
 */
import { lgamma } from '../special/gamma.js';
import { logHyp2f1 } from '../special/hypergeometric.js';
import { logAddExp, logSubExp } from '../special/log-sum-exp.js';
import { compressSummary, distinctValues } from './compress.js';
import { checkDropout, type BtydFitResult } from './dropout-check.js';
import { fitByMaximumLikelihood, fitResult } from './fit-model.js';
import { fitNbd } from './nbd.js';
import type { FitOptions, ParetoNbdParams } from './types.js';
import { requireRepeatCustomers, validateSummary } from './validate.js';

const NAMES = ['r', 'alpha', 's', 'beta'] as const;

/** log A0 of the module header; -Infinity when t_x = T (the two terms cancel exactly). */
export function paretoNbdLogA0(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
): number {
  const alphaBigger = alpha >= beta;
  const m = alphaBigger ? alpha : beta;
  const k = alphaBigger ? s + 1 : r + x;
  const diff = Math.abs(alpha - beta);
  const rsx = r + s + x;
  const qx = m + tx;
  const qT = m + T;
  const first = logHyp2f1(rsx, k, rsx + 1, diff / qx) - rsx * Math.log(qx);
  const second = logHyp2f1(rsx, k, rsx + 1, diff / qT) - rsx * Math.log(qT);
  // first >= second in exact arithmetic; rounding may flip them when t_x is within 1e-15 of T.
  return first > second ? logSubExp(first, second) : -Infinity;
}

/** Log-likelihood of one customer. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  return a1 + paretoTail(r, alpha, s, beta, x, tx, T);
}

function paretoTail(
  r: number,
  alpha: number,
  s: number,
  beta: number,
  x: number,
  tx: number,
  T: number,
): number {
  const alive = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const logA0 = paretoNbdLogA0(r, alpha, s, beta, x, tx, T);
  return logAddExp(alive, Math.log(s) - Math.log(r + s + x) + logA0);
}

/** Summed negative log-likelihood as a function of [r, alpha, s, beta] (rows compressed as in BG/NBD). */
export function paretoNbdNegLogLikelihood(
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
): (theta: Float64Array) => number {
  const data = compressSummary(frequency, recency, T);
  const { values, slot } = distinctValues(data.frequency);
  const table = new Float64Array(values.length);
  return (theta) => {
    const r = theta[0]!;
    const alpha = theta[1]!;
    const s = theta[2]!;
    const beta = theta[3]!;
    const base = -lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
    for (let k = 0; k < values.length; k++) table[k] = base + lgamma(r + values[k]!);
    let ll = 0;
    try {
      for (let i = 0; i < data.weight.length; i++) {
        const x = data.frequency[i]!;
        ll +=
          data.weight[i]! *
          (table[slot[i]!]! + paretoTail(r, alpha, s, beta, x, data.recency[i]!, data.T[i]!));
      }
    } catch (err) {
      // The 2F1 series does not converge for z within ~1e-5 of 1 with a huge first parameter: a
      // region the line search can step into (alpha ~ 1e4 x beta) but no maximum lies in. Report
      // it as impossible so the search backs off, instead of ending the fit.
      if (err instanceof RangeError) return Infinity;
      throw err;
    }
    return -ll;
  };
}

/**
 * Fits r, alpha, s, beta by maximum likelihood (at least 10 customers with frequency > 0).
 * `dropout` says whether the fit is on the no-dropout boundary (ml/clv/dropout-check.ts).
 */
export function fitParetoNbd(
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
  options: FitOptions = {},
): BtydFitResult<ParetoNbdParams> {
  validateSummary(frequency, recency, T);
  requireRepeatCustomers('Pareto/NBD', frequency);
  const fit = fitByMaximumLikelihood(
    paretoNbdNegLogLikelihood(frequency, recency, T),
    frequency.length,
    NAMES,
    options,
  );
  const result = fitResult<ParetoNbdParams>([...NAMES], fit, frequency.length);
  const { s, beta } = result.params;
  const meanT = T.reduce((sum, t) => sum + t, 0) / T.length;
  const share = {
    value: -Math.expm1(s * Math.log(beta / (beta + meanT))),
    symbol: '1 - (beta / (beta + mean T))^s',
    meaning: 'share of customers who drop out within the mean observation window',
  };
  return { ...result, dropout: checkDropout(result, share, fitNbd(frequency, T)) };
}

/**
 * P(alive | x, t_x, T) = 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0). Exactly 1 when t_x = T
 * (the customer bought at the very end of the window).
 */
export function paretoNbdPAlive(params: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = params;
  const logA0 = paretoNbdLogA0(r, alpha, s, beta, x, tx, T);
  const logOdds =
    Math.log(s) - Math.log(r + s + x) + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T) + logA0;
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[X(t)] for a customer just acquired: r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]
 * (the limit r beta / alpha log((beta+t)/beta) at s = 1).
 */
export function paretoNbdExpected(params: ParetoNbdParams, t: number): number {
  const { r, alpha, s, beta } = params;
  return (r / alpha) * lifetimeExposure(s, beta, t);
}

/**
 * E[Y(t) | x, t_x, T] = P(alive) (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)].
 */
export function paretoNbdConditionalExpected(
  params: ParetoNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  const { r, alpha, s, beta } = params;
  return paretoNbdPAlive(params, x, tx, T) * ((r + x) / (alpha + T)) * lifetimeExposure(s, beta + T, t);
}

/**
 * Expected time alive in the next t of a customer whose drop-out rate is Gamma(s, b):
 * b/(s-1) [1 - (b/(b+t))^(s-1)], via expm1 so that s near 1 loses no digits (limit b log(1 + t/b)).
 */
function lifetimeExposure(s: number, b: number, t: number): number {
  const l = Math.log1p(t / b);
  const d = s - 1;
  if (Math.abs(d * l) < 1e-10) return b * l;
  return (-b / d) * Math.expm1(-d * l);
}
