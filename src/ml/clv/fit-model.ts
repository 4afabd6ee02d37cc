/**
 * @module ml/clv/fit-model
 * The maximum-likelihood routine every CLV model shares. The optimiser works on the logs of the
 * parameters, so they stay positive without constraints, and on the MEAN negative log-likelihood,
 * so its tolerances do not depend on the number of customers. Standard errors come from the Hessian
 * of the SUMMED negative log-likelihood in log space: at the optimum (zero gradient)
 * Cov(theta) = D Cov(log theta) D with D = diag(theta), i.e. se(theta_i) = theta_i se(log theta_i)
 * (the delta method, exact to first order). Differencing in log space gives each parameter a step
 * relative to its size, which a fixed step on e.g. alpha = 4.4 vs r = 0.24 would not.
 */
import { numericGradient } from '../optimize/gradient.js';
import { standardErrors } from '../optimize/hessian.js';
import { minimize } from '../optimize/minimize.js';
import { nelderMead } from '../optimize/nelder-mead.js';
import type { FitOptions, FitResult } from './types.js';

/**
 * Parameters are kept within exp(+-50) (about 1e-22..5e21). Degenerate data (e.g. every customer
 * spending exactly the same) have no maximum: the likelihood grows as a parameter runs off to
 * infinity, and lgamma of 1e100 has no digits left. At the bound the search stops and the fit is
 * reported as not converged. Legitimate limits (r and alpha both large: no heterogeneity in
 * purchase rates) stay well inside it.
 */
const LOG_BOUND = 50;

/**
 * The returned point counts as converged only when the largest component of the gradient of the
 * MEAN negative log-likelihood with respect to the log-parameters is at most this: a 1% change of
 * any parameter then moves the mean log-likelihood by at most 1e-5 per customer. The optimiser's
 * own stopping tests are not enough: L-BFGS also stops when the objective stops changing, which on
 * a flat ridge (BG/NBD running to a -> 0) happens far from any maximum, and `minimize` runs several
 * stages whose stopping tests describe their own points, not necessarily the one returned.
 * Measured: CDNOW fits end at 1e-8, Online Retail interior fits below 1e-6, the synthetic test
 * store's BG/NBD (a and b both ~1e5-1e6: dropout the same for everyone, a legitimate ridge) at
 * 1.7e-4; the Online Retail BG/NBD boundary fit ended at 1.6.
 */
export const GRADIENT_TOLERANCE = 1e-3;

export interface RawFit {
  readonly theta: Float64Array;
  readonly se: Float64Array;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  /** Largest |d mean negative log-likelihood / d log theta_i| at the returned point. */
  readonly gradientMaxAbs: number;
  readonly method: 'lbfgs' | 'nelder-mead';
}

/**
 * Maximises a log-likelihood. `negLogLik(theta)` returns the SUMMED negative log-likelihood at
 * natural (positive) parameters; `weightTotal` is the number of customers it sums over.
 */
export function fitByMaximumLikelihood(
  negLogLik: (theta: Float64Array) => number,
  weightTotal: number,
  names: readonly string[],
  options: FitOptions = {},
): RawFit {
  const k = names.length;
  const initial = options.initial ?? new Array<number>(k).fill(1);
  if (initial.length !== k || initial.some((v) => !(v > 0 && Number.isFinite(v)))) {
    throw new RangeError(
      `initial must be ${k} positive numbers (${names.join(', ')}); got [${initial.join(', ')}]`,
    );
  }
  const theta = new Float64Array(k);
  let evaluations = 0;
  const inLogSpace = (u: Float64Array): number => {
    evaluations++;
    for (let i = 0; i < k; i++) {
      if (Math.abs(u[i]!) > LOG_BOUND) return Infinity;
      theta[i] = Math.exp(u[i]!);
    }
    return negLogLik(theta);
  };
  const meanObjective = (u: Float64Array): number => inLogSpace(u) / weightTotal;
  const u0 = Float64Array.from(initial, Math.log);
  const opt =
    options.method === 'nelder-mead'
      ? nelderMead(meanObjective, u0, { maxIterations: options.maxIterations })
      : minimize(meanObjective, u0, { maxIterations: options.maxIterations });
  const seLog = standardErrors(inLogSpace, Float64Array.from(opt.x));
  const gradient = new Float64Array(k);
  numericGradient(meanObjective, Float64Array.from(opt.x), gradient);
  const gradientMaxAbs = gradient.reduce((m, g) => Math.max(m, Number.isNaN(g) ? Infinity : Math.abs(g)), 0);
  const estimate = Float64Array.from(opt.x, Math.exp);
  return {
    theta: estimate,
    se: Float64Array.from(seLog, (s, i) => s * estimate[i]!),
    logLikelihood: -opt.value * weightTotal,
    iterations: opt.iterations,
    evaluations,
    // Converged describes the returned point: the stage that produced it met its stopping test,
    // the gradient there is flat, and it is not pressed against the bound (a likelihood without a
    // maximum, not a fit).
    converged:
      opt.converged &&
      Number.isFinite(opt.value) &&
      gradientMaxAbs <= GRADIENT_TOLERANCE &&
      opt.x.every((u) => Math.abs(u) < LOG_BOUND - 5),
    gradientMaxAbs,
    method: opt.method,
  };
}

/** Turns a parameter vector into the model's named record. */
export function named<P>(names: readonly (keyof P & string)[], values: Float64Array): P {
  const out: Record<string, number> = {};
  names.forEach((n, i) => (out[n] = values[i]!));
  return out as P;
}

/** A model's public fit record from the raw fit: named parameters and standard errors. */
export function fitResult<P>(
  names: readonly (keyof P & string)[],
  fit: RawFit,
  customers: number,
): FitResult<P> {
  return {
    params: named<P>(names, fit.theta),
    stdErrors: named<P>(names, fit.se),
    logLikelihood: fit.logLikelihood,
    iterations: fit.iterations,
    evaluations: fit.evaluations,
    converged: fit.converged,
    gradientMaxAbs: fit.gradientMaxAbs,
    method: fit.method,
    customers,
  };
}
