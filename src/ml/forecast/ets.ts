/**
 * @module ml/forecast/ets
 * Exponential smoothing in the innovations state-space form (Hyndman, Koehler, Ord & Snyder 2008):
 * additive or multiplicative error, no / additive / damped trend, no / additive / multiplicative
 * season, fitted by maximum likelihood with the smoothing parameters AND the initial states
 * estimated, as statsmodels' `ETSModel(initialization_method='estimated')` does; the reproduction
 * test compares with its fit of the airline series (fixtures/ets_airline.json).
 *
 * The point recursion is the same for both error types (error-correction form, `d` = the
 * deseasonalised observation minus the one-step level forecast):
 *   lb = l + phi*b;  yhat = lb (+ or *) s_{t-m}
 *   l' = lb + alpha*d;  b' = phi*b + beta*d;  s' = s + gamma*(y - lb - s)  or  s + gamma*(y/lb - s)
 * The error type changes only the likelihood: additive -n/2 (log(2 pi mean e^2) + 1) with
 * e = y - yhat; multiplicative the same over e/yhat, minus sum log yhat.
 *
 * Bounds as statsmodels: 1e-4 < alpha < 1-1e-4, beta = alpha * beta* and gamma = (1-alpha) * gamma*
 * with beta*, gamma* in (1e-4, 1-1e-4), 0.8 < phi < 0.98. The optimiser (ml/optimize, unconstrained)
 * sees them through logistic maps. The first initial seasonal (the slot of the first observation)
 * is fixed at 0 (additive) or 1 (multiplicative), as statsmodels does, since otherwise the level
 * and the seasonals are not identified.
 *
 * Multiplicative error or season needs a strictly positive series; fitEts refuses otherwise.
 */
import { minimize } from '../optimize/minimize.js';
import type { Fitted, Forecaster } from './types.js';
import { ForecastInputError } from './types.js';

export type ErrorKind = 'A' | 'M';
export type TrendKind = 'N' | 'A' | 'Ad';
export type SeasonKind = 'N' | 'A' | 'M';

export interface EtsSpec {
  readonly error: ErrorKind;
  readonly trend: TrendKind;
  readonly season: SeasonKind;
}

export interface EtsParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
  readonly level: number;
  readonly trend: number;
  /** Initial seasonals by slot: seasonals[k] is the one used at time k (k < m), i.e. s_{k-m}. */
  readonly seasonals: Float64Array;
}

export interface EtsFit extends Fitted {
  readonly spec: EtsSpec;
  readonly params: EtsParams;
  readonly logLikelihood: number;
  readonly aicc: number;
  /** Free parameters counted in the AICc (smoothing, damping, initial states, and the error variance). */
  readonly parameterCount: number;
  /** Maximum-likelihood innovation variance (mean squared one-step error, relative for M error). */
  readonly sigma2: number;
  readonly converged: boolean;
}

const LO = 1e-4;
const sigmoid = (u: number): number => 1 / (1 + Math.exp(-u));
const logit = (p: number): number => Math.log(p / (1 - p));
const inUnit = (u: number): number => LO + (1 - 2 * LO) * sigmoid(u);
const fromUnit = (p: number): number =>
  logit(Math.min(1 - 2 * LO, Math.max(2 * LO, (p - LO) / (1 - 2 * LO))));

export function etsName(s: EtsSpec): string {
  return `ets(${s.error},${s.trend},${s.season})`;
}

/** The shortest series an ETS model fits: two full seasons when seasonal, else 4 points. */
export function etsMinLength(spec: EtsSpec, m: number): number {
  return spec.season === 'N' ? 4 : 2 * m;
}

interface State {
  l: number;
  b: number;
  /** Ring of seasonals: ring[t mod m] is s_{t-m} before time t is processed. */
  ring: Float64Array;
}

/** Runs the recursion over y[0..n), leaving the final states in `state`; sse Infinity outside the domain. */
function filter(
  spec: EtsSpec,
  p: EtsParams,
  y: Float64Array,
  n: number,
  m: number,
  state: State,
): { sse: number; logYhat: number } {
  const damped = spec.trend === 'Ad';
  const phi = damped ? p.phi : 1;
  const hasTrend = spec.trend !== 'N';
  const seasonA = spec.season === 'A';
  const seasonM = spec.season === 'M';
  let l = p.level;
  let b = hasTrend ? p.trend : 0;
  const ring = state.ring;
  ring.set(p.seasonals.subarray(0, ring.length));
  let sse = 0;
  let logYhat = 0;
  for (let t = 0; t < n; t++) {
    const slot = m > 0 ? t % m : 0;
    const s = seasonA ? ring[slot]! : seasonM ? ring[slot]! : 0;
    const lb = l + phi * b;
    const yhat = seasonA ? lb + s : seasonM ? lb * s : lb;
    const v = y[t]!;
    if (spec.error === 'M') {
      if (!(yhat > 0)) return { sse: Infinity, logYhat: 0 };
      const r = (v - yhat) / yhat;
      sse += r * r;
      logYhat += Math.log(yhat);
    } else {
      sse += (v - yhat) * (v - yhat);
    }
    const d = seasonM ? v / s - lb : seasonA ? v - s - lb : v - lb;
    l = lb + p.alpha * d;
    if (hasTrend) b = phi * b + p.beta * d;
    if (seasonA) ring[slot] = s + p.gamma * (v - lb - s);
    else if (seasonM) ring[slot] = s + p.gamma * (v / lb - s);
    if (!Number.isFinite(l)) return { sse: Infinity, logYhat: 0 };
  }
  state.l = l;
  state.b = b;
  return { sse, logYhat };
}

function forecastState(
  spec: EtsSpec,
  p: EtsParams,
  st: State,
  t: number,
  m: number,
  h: number,
  out: Float64Array,
): void {
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  let damp = 0;
  let pw = 1;
  for (let j = 0; j < h; j++) {
    pw *= phi;
    damp += pw;
    const lb = st.l + (spec.trend === 'N' ? 0 : damp * st.b);
    const s = spec.season === 'N' ? 0 : st.ring[(t + j) % m]!;
    out[j] = spec.season === 'A' ? lb + s : spec.season === 'M' ? lb * s : lb;
  }
}

/** Start values: Hyndman & Athanasopoulos section 7.6 (first season's mean, mean seasonal differences). */
function startValues(spec: EtsSpec, y: Float64Array, m: number): EtsParams {
  const seasonal = spec.season !== 'N';
  const seasonals = new Float64Array(Math.max(m, 1));
  let level: number;
  let trend = 0;
  if (!seasonal) {
    level = y[0]!;
    if (spec.trend !== 'N') trend = y.length > 1 ? y[1]! - y[0]! : 0;
  } else {
    let sum = 0;
    for (let i = 0; i < m; i++) sum += y[i]!;
    level = sum / m;
    if (spec.trend !== 'N') {
      let d = 0;
      for (let i = m; i < 2 * m; i++) d += (y[i]! - y[i - m]!) / m;
      trend = d / m;
    }
    for (let i = 0; i < m; i++) seasonals[i] = spec.season === 'M' ? y[i]! / level : y[i]! - level;
    // Slot 0 is fixed (0 or 1): move its value into the level, as statsmodels' start does.
    const s0 = seasonals[0]!;
    if (spec.season === 'M') {
      level *= s0;
      for (let i = 0; i < m; i++) seasonals[i] = seasonals[i]! / s0;
    } else {
      level += s0;
      for (let i = 0; i < m; i++) seasonals[i] = seasonals[i]! - s0;
    }
  }
  return { alpha: 0.1, beta: 0.01, gamma: 0.01, phi: 0.98, level, trend, seasonals };
}

export interface EtsOptions {
  /** Starting smoothing parameters (defaults alpha 0.1, beta 0.01, gamma 0.01, phi 0.98 as statsmodels). */
  readonly start?: Partial<Pick<EtsParams, 'alpha' | 'beta' | 'gamma' | 'phi'>>;
  readonly maxIterations?: number;
  /** Relative change of the likelihood at which the optimiser stops (default: ml/optimize's 1e-12). */
  readonly valueTolerance?: number;
  /**
   * `estimated` (default, as statsmodels): the initial states are fitted with the smoothing
   * parameters. `heuristic`: they stay at the start values (first season's mean and seasonal
   * differences) and only the 1-4 smoothing parameters are fitted: about 10x faster on daily
   * series, for the backtest and `auto` over many series.
   */
  readonly initial?: 'estimated' | 'heuristic';
  /** The optimiser's numerical gradient (ml/optimize): central (default) or forward differences. */
  readonly differences?: 'central' | 'forward';
}

/** Fits one ETS model by maximum likelihood. */
export function fitEts(y: Float64Array, m: number, spec: EtsSpec, options: EtsOptions = {}): EtsFit {
  const n = y.length;
  const seasonal = spec.season !== 'N';
  if (seasonal && m < 2)
    throw new ForecastInputError(`a seasonal ETS model needs a period of 2 or more, got ${m}`);
  if (n < etsMinLength(spec, m)) {
    throw new ForecastInputError(`${etsName(spec)} needs at least ${etsMinLength(spec, m)} values, got ${n}`);
  }
  if (spec.error === 'M' || spec.season === 'M') {
    for (let i = 0; i < n; i++) {
      if (!(y[i]! > 0))
        throw new ForecastInputError(
          `${etsName(spec)} needs a strictly positive series (value ${i} is ${y[i]})`,
        );
    }
  }
  const mm = seasonal ? m : 1;
  const hasTrend = spec.trend !== 'N';
  const damped = spec.trend === 'Ad';
  const start = { ...startValues(spec, y, mm), ...options.start };
  // Scale of the states, so the optimiser sees numbers near 1.
  let scale = 0;
  for (let i = 0; i < n; i++) scale += Math.abs(y[i]!);
  scale = scale / n || 1;
  const seasonScale = spec.season === 'M' ? 1 : scale;
  // x: [alpha, beta*, gamma*, phi, level, trend, seasonals 1..m-1] (only those the model has).
  const layout = { beta: hasTrend, gamma: seasonal, phi: damped, trend: hasTrend };
  const x0: number[] = [fromUnit(start.alpha)];
  if (layout.beta) x0.push(fromUnit(Math.min(start.beta / start.alpha, 0.9)));
  if (layout.gamma) x0.push(fromUnit(Math.min(start.gamma / (1 - start.alpha), 0.9)));
  if (layout.phi) x0.push(logit((Math.min(0.979, Math.max(0.801, start.phi)) - 0.8) / 0.18));
  const estimated = options.initial !== 'heuristic';
  const stateCount = 1 + (layout.trend ? 1 : 0) + (seasonal ? mm - 1 : 0);
  if (estimated) {
    x0.push(start.level / scale);
    if (layout.trend) x0.push(start.trend / scale);
    if (seasonal) for (let i = 1; i < mm; i++) x0.push(start.seasonals[i]! / seasonScale);
  }
  const seasonals = new Float64Array(mm);
  const decode = (x: Float64Array): EtsParams => {
    let k = 0;
    const alpha = inUnit(x[k++]!);
    const beta = layout.beta ? alpha * inUnit(x[k++]!) : 0;
    const gamma = layout.gamma ? (1 - alpha) * inUnit(x[k++]!) : 0;
    const phi = layout.phi ? 0.8 + 0.18 * sigmoid(x[k++]!) : 1;
    if (!estimated)
      return { alpha, beta, gamma, phi, level: start.level, trend: start.trend, seasonals: start.seasonals };
    const level = x[k++]! * scale;
    const trend = layout.trend ? x[k++]! * scale : 0;
    const out = new Float64Array(mm);
    if (seasonal) {
      out[0] = spec.season === 'M' ? 1 : 0;
      for (let i = 1; i < mm; i++) out[i] = x[k++]! * seasonScale;
    }
    return { alpha, beta, gamma, phi, level, trend, seasonals: out };
  };
  const state: State = { l: 0, b: 0, ring: seasonals };
  const negLogLik = (p: EtsParams): number => {
    const { sse, logYhat } = filter(spec, p, y, n, mm, state);
    if (!Number.isFinite(sse)) return Infinity;
    const ll = (-n / 2) * (Math.log((2 * Math.PI * Math.max(sse, 1e-300)) / n) + 1) - logYhat;
    return -ll;
  };
  const objective = (x: Float64Array): number => negLogLik(decode(x));
  const run = (x: number[]): ReturnType<typeof minimize> =>
    minimize(objective, Float64Array.from(x), {
      maxIterations: options.maxIterations ?? 1000,
      ...(options.valueTolerance ? { valueTolerance: options.valueTolerance } : {}),
      ...(options.differences ? { differences: options.differences } : {}),
    });
  let result = run(x0);
  if (seasonal && !options.start) {
    // A second start with a fast-moving season: the likelihood of seasonal models has local optima
    // (the airline ETS(A,A,A) of the reproduction test stops at -610.6 from the first start, reaches
    // statsmodels' -564.98 from this one). The better of the two is kept.
    const x1 = x0.slice();
    x1[0] = fromUnit(0.3);
    x1[layout.beta ? 2 : 1] = fromUnit(0.5 / 0.7);
    const second = run(x1);
    if (second.value < result.value) result = second;
  }
  const params = decode(result.x);
  const { sse, logYhat } = filter(spec, params, y, n, mm, state);
  const sigma2 = sse / n;
  const logLikelihood = (-n / 2) * (Math.log(2 * Math.PI * Math.max(sigma2, 1e-300)) + 1) - logYhat;
  // The initial states count whether fitted or set from the data (as R's ets counts them).
  const parameterCount = (estimated ? x0.length : x0.length + stateCount) + 1;
  const k = parameterCount;
  const aicc = -2 * logLikelihood + 2 * k + (n - k - 1 > 0 ? (2 * k * (k + 1)) / (n - k - 1) : Infinity);
  return {
    ...etsFitted(spec, params, y, mm, sigma2),
    spec,
    params,
    logLikelihood,
    aicc,
    parameterCount,
    sigma2,
    converged: result.converged,
  };
}

/** The Fitted answers of fixed parameters over y (the filter run to its end once). */
function etsFitted(spec: EtsSpec, params: EtsParams, y: Float64Array, mm: number, sigma2: number): Fitted {
  const n = y.length;
  const end: State = { l: 0, b: 0, ring: new Float64Array(mm) };
  filter(spec, params, y, n, mm, end);
  return {
    model: etsName(spec),
    firstOrigin: 1,
    forecast(h) {
      const out = new Float64Array(h);
      forecastState(spec, params, end, n, mm, h, out);
      return out;
    },
    forecastFrom(t, h, out) {
      if (t === n) {
        forecastState(spec, params, end, n, mm, h, out);
        return;
      }
      const st: State = { l: 0, b: 0, ring: new Float64Array(mm) };
      filter(spec, params, y, t, mm, st);
      forecastState(spec, params, st, t, mm, h, out);
    },
    variance(h) {
      return etsVariance(spec, params, sigma2, mm, h);
    },
    extend: (longer) => etsFitted(spec, params, longer, mm, sigma2),
  };
}

/**
 * Analytic forecast-error variances for the linear models (additive error, additive or no season):
 * v_h = sigma^2 (1 + sum_{j<h} c_j^2), c_j = alpha + beta * phi_j + gamma * [j mod m = 0]
 * (Hyndman et al. 2008, table 6.1; phi_j = phi + ... + phi^j). Null for the others.
 */
export function etsVariance(
  spec: EtsSpec,
  p: EtsParams,
  sigma2: number,
  m: number,
  h: number,
): Float64Array | null {
  if (spec.error !== 'A' || spec.season === 'M') return null;
  const out = new Float64Array(h);
  const phi = spec.trend === 'Ad' ? p.phi : 1;
  let sum = 0;
  let damp = 0;
  let pw = 1;
  out[0] = sigma2;
  for (let j = 1; j < h; j++) {
    pw *= phi;
    damp += pw;
    const c =
      p.alpha + (spec.trend === 'N' ? 0 : p.beta * damp) + (spec.season === 'A' && j % m === 0 ? p.gamma : 0);
    sum += c * c;
    out[j] = sigma2 * (1 + sum);
  }
  return out;
}

/**
 * The fit the forecasting entry points use: smoothing parameters first with the initial states
 * held at their start values, then everything from there to a relative change of 1e-6. On daily
 * series of a year it is 5-50x faster than the full fit and its log-likelihood is within about 2
 * of the full fit's (measured on a year of synthetic weekly-pattern sales: ets(A,Ad,A) -1079.9
 * vs -1077.5 in 22 ms vs 540 ms).
 */
export function fitEtsQuick(y: Float64Array, m: number, spec: EtsSpec): EtsFit {
  // Forward differences: n + 1 likelihood runs a gradient instead of 2n. Over Online Retail's
  // backtest the MASE of auto is unchanged (1.031 / 1.098 / 1.128 on total / countries / products,
  // both ways) and a level's ETS filter steps fall by a third (90.7 to 61.2 million over the 150
  // largest products of the bench store).
  const differences = 'forward';
  const first = fitEts(y, m, spec, { valueTolerance: 1e-8, initial: 'heuristic', differences });
  const { alpha, beta, gamma, phi } = first.params;
  return fitEts(y, m, spec, { valueTolerance: 1e-6, start: { alpha, beta, gamma, phi }, differences });
}

/** One ETS variant as a Forecaster (the quick fit). */
export function ets(spec: EtsSpec): Forecaster {
  return {
    name: etsName(spec),
    minLength: (m) => etsMinLength(spec, m),
    fit: (y, m) => fitEtsQuick(y, m, spec),
  };
}
