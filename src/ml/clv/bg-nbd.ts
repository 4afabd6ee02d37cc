/**
 * @module ml/clv/bg-nbd
 * The BG/NBD model (Fader, Hardie and Lee 2005, "Counting your customers the easy way"): while
 * alive, a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after each
 * purchase they drop out for good with probability p ~ Beta(a, b). Formulas follow the paper and
 * the `lifetimes` Python package (same parameterisation, so figures can be compared directly).
 *
 * Inputs are the RFM summary of ml/clv/types.ts (x repeat purchases, t_x recency, T age, any
 * consistent time unit). On CDNOW (2,357 customers, weeks) fitBgNbd gives
 * r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (the paper's figures).
 *
 * @example
 *   const fit = fitBgNbd(frequency, recency, T);          // { params: { r, alpha, a, b }, stdErrors, ... }
 *   bgNbdPAlive(fit.params, 2, 30.43, 38.86);             // 0.9 (probability the customer is still active)
 *   bgNbdConditionalExpected(fit.params, 39, 2, 30.43, 38.86); // expected purchases in the next 39 weeks
 *   bgNbdExpected(fit.params, 39);                        // the same for a customer just acquired
 */
import { hyp2f1, logHyp2f1 } from '../special/hypergeometric.js';
import { lgamma } from '../special/gamma.js';
import { logAddExp } from '../special/log-sum-exp.js';
import { compressSummary, distinctValues } from './compress.js';
import { checkDropout, type BtydFitResult } from './dropout-check.js';
import { fitByMaximumLikelihood, fitResult } from './fit-model.js';
import { fitNbd } from './nbd.js';
import type { BgNbdParams, FitOptions } from './types.js';
import { requireRepeatCustomers, validateSummary } from './validate.js';

const NAMES = ['r', 'alpha', 'a', 'b'] as const;

/** Log-likelihood of one customer (x repeat purchases, last at t_x, observed for T). */
export function bgNbdLogLikelihood(params: BgNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, a, b } = params;
  const a1 = lgamma(r + x) - lgamma(r) + r * Math.log(alpha);
  const a2 = lgamma(a + b) + lgamma(b + x) - lgamma(b) - lgamma(a + b + x);
  return a1 + a2 + tail(r, alpha, a, b, x, tx, T);
}

/**
 * log[ (alpha+T)^-(r+x) + [x>0] a/(b+x-1) (alpha+t_x)^-(r+x) ]: the part that depends on the times.
 * In log space so a customer with a huge T or many purchases gives a finite number, not 0 or NaN.
 */
function tail(r: number, alpha: number, a: number, b: number, x: number, tx: number, T: number): number {
  const a3 = -(r + x) * Math.log(alpha + T);
  if (x === 0) return a3;
  const a4 = Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx);
  return logAddExp(a3, a4);
}

/**
 * Summed negative log-likelihood over customers, as a function of [r, alpha, a, b]. Built for
 * speed: rows are compressed to distinct (x, t_x, T) with weights, and everything that depends on
 * one of x, t_x or T alone (gamma-function terms, log(alpha + T), log(alpha + t_x)) is tabulated
 * per distinct value once per call, so a customer costs a few multiplications, one exp and one log1p.
 */
export function bgNbdNegLogLikelihood(
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
): (theta: Float64Array) => number {
  const data = compressSummary(frequency, recency, T);
  const xs = distinctValues(data.frequency);
  const txs = distinctValues(data.recency);
  const ts = distinctValues(data.T);
  const rows = data.weight.length;
  const byX = new Float64Array(xs.values.length); // terms of x alone
  const dropX = new Float64Array(xs.values.length); // log(a) - log(b + x - 1), for x > 0
  const logT = new Float64Array(ts.values.length);
  const logTx = new Float64Array(txs.values.length);
  return (theta) => {
    const r = theta[0]!;
    const alpha = theta[1]!;
    const a = theta[2]!;
    const b = theta[3]!;
    const base = -lgamma(r) + r * Math.log(alpha) + lgamma(a + b) - lgamma(b);
    const logA = Math.log(a);
    for (let k = 0; k < xs.values.length; k++) {
      const x = xs.values[k]!;
      byX[k] = base + lgamma(r + x) + lgamma(b + x) - lgamma(a + b + x);
      dropX[k] = x > 0 ? logA - Math.log(b + x - 1) : -Infinity;
    }
    for (let k = 0; k < ts.values.length; k++) logT[k] = Math.log(alpha + ts.values[k]!);
    for (let k = 0; k < txs.values.length; k++) logTx[k] = Math.log(alpha + txs.values[k]!);
    let ll = 0;
    for (let i = 0; i < rows; i++) {
      const x = data.frequency[i]!;
      const kx = xs.slot[i]!;
      const rx = r + x;
      const a3 = -rx * logT[ts.slot[i]!]!;
      let tailValue = a3;
      if (x > 0) {
        const a4 = dropX[kx]! - rx * logTx[txs.slot[i]!]!;
        tailValue = a3 > a4 ? a3 + Math.log1p(Math.exp(a4 - a3)) : a4 + Math.log1p(Math.exp(a3 - a4));
      }
      ll += data.weight[i]! * (byX[kx]! + tailValue);
    }
    return -ll;
  };
}

/**
 * Fits r, alpha, a, b by maximum likelihood. Needs at least MIN_REPEAT_CUSTOMERS (10) customers
 * with frequency > 0; validates the arrays (see validateSummary). `dropout` says whether the fit
 * is on the no-dropout boundary (ml/clv/dropout-check.ts), where P(alive) means nothing.
 */
export function fitBgNbd(
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
  options: FitOptions = {},
): BtydFitResult<BgNbdParams> {
  validateSummary(frequency, recency, T);
  requireRepeatCustomers('BG/NBD', frequency);
  const fit = fitByMaximumLikelihood(
    bgNbdNegLogLikelihood(frequency, recency, T),
    frequency.length,
    NAMES,
    options,
  );
  const result = fitResult<BgNbdParams>([...NAMES], fit, frequency.length);
  const { a, b } = result.params;
  const share = {
    value: a / (a + b),
    symbol: 'a / (a + b)',
    meaning: 'mean dropout probability after a purchase',
  };
  return { ...result, dropout: checkDropout(result, share, fitNbd(frequency, T)) };
}

/**
 * P(alive | x, t_x, T): the probability the customer has not dropped out by T. Exactly 1 for x = 0
 * (in BG/NBD a customer can only drop out right after a repeat purchase).
 */
export function bgNbdPAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const logOdds = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logOdds));
}

/**
 * E[X(t)]: expected purchases in (0, t] of a customer just acquired (the paper's eq. 7):
 * (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))].
 */
export function bgNbdExpected(params: BgNbdParams, t: number): number {
  return nearOne(params, (p) => {
    const { r, alpha, a, b } = p;
    const z = t / (alpha + t);
    const logH = logHyp2f1Any(r, b, a + b - 1, z);
    return ((a + b - 1) / (a - 1)) * -Math.expm1(r * Math.log(alpha / (alpha + t)) + logH);
  });
}

/**
 * E[Y(t) | x, t_x, T]: expected purchases in the next t time units given the history (eq. 10):
 * (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
 * / (1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)).
 */
export function bgNbdConditionalExpected(
  params: BgNbdParams,
  t: number,
  x: number,
  tx: number,
  T: number,
): number {
  // Negligible dropout (a fit on its a -> 0 boundary, e.g. a = 1e-24, b = 1e15): the closed form is
  // (a+b)/(a-1) ~ -1e15 times a bracket ~ 1e-15 and cancels to garbage (0 for one-time buyers);
  // its limit is the NBD's conditional expectation, accurate to O(a / (a + b)).
  if (params.a / (params.a + params.b) < 1e-9) return ((params.r + x) / (params.alpha + T)) * t;
  return nearOne(params, (p) => {
    const { r, alpha, a, b } = p;
    const z = t / (alpha + T + t);
    const logH = logHyp2f1Any(r + x, b + x, a + b + x - 1, z);
    const numerator =
      ((a + b + x - 1) / (a - 1)) * -Math.expm1((r + x) * Math.log((alpha + T) / (alpha + T + t)) + logH);
    // The paper's denominator 1 + [x>0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x) is 1 / P(alive).
    return numerator * bgNbdPAlive(p, x, tx, T);
  });
}

/**
 * The expectations have a removable singularity at a = 1 (0/0: the bracket vanishes with a - 1).
 * Within 1e-6 of it, average the two sides, which is accurate to O(1e-12).
 */
function nearOne(params: BgNbdParams, f: (p: BgNbdParams) => number): number {
  const d = params.a - 1;
  if (Math.abs(d) > 1e-6) return f(params);
  return (f({ ...params, a: 1 - 1e-6 }) + f({ ...params, a: 1 + 1e-6 })) / 2;
}

/** log 2F1 for c > 0 (overflow-safe); for c <= 0 (x = 0 and a + b < 1) the signed series. */
function logHyp2f1Any(a: number, b: number, c: number, z: number): number {
  if (c > 0) return logHyp2f1(a, b, c, z);
  return Math.log(hyp2f1(a, b, c, z));
}
