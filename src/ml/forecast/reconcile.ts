/**
 * @module ml/forecast/reconcile
 * Coherent forecasts for a hierarchy: forecasts of products (or countries) that add up to the
 * forecast of the total. Series are ordered aggregates first, then the bottom series; each
 * aggregate is the sum of some bottom series (`Hierarchy.aggregates[a]` lists them).
 *
 * - Bottom-up: the aggregates are the sums of the bottom forecasts.
 * - MinT (Wickramasuriya, Athanasopoulos & Hyndman 2019): the coherent forecasts closest to the base
 *   forecasts in the metric of the base forecasts' error covariance W, which minimises the trace of
 *   the reconciled error covariance. In the constraint form (C y = 0 for coherent y, C = [I, -A]):
 *   y~ = y^ - W C' (C W C')^-1 C y^. The n x n system of the usual form S (S' W^-1 S)^-1 S' W^-1 is
 *   never built: C W C' is (aggregates x aggregates), so thousands of bottom series cost a product
 *   with W, not an inverse.
 * - W for MinT-shrink: the in-sample one-step error covariance shrunk towards its diagonal with the
 *   Schafer & Strimmer (2005) intensity, as R's hts (`shrink.estim`) computes it: uncentred
 *   covariance of the residuals, lambda = sum of the estimated variances of the off-diagonal
 *   correlations / sum of their squares, cut to [0, 1].
 *
 * Reconciled forecasts may be negative where a base forecast was (MinT moves every series); the
 * caller decides whether to cut them (cutting breaks coherence by the amount cut).
 *
 * @example
 *   const h = { bottom: 2, aggregates: [Int32Array.of(0, 1)] };   // total = b0 + b1
 *   bottomUp(h, [b0, b1]);                                         // [b0 + b1, b0, b1]
 *   const w = shrunkCovariance(residuals, 3);                      // residuals: T x 3 (total, b0, b1)
 *   reconcileMinT(h, [total, b0, b1], w.cov);
 */
import { choleskyInPlace, choleskySolveInPlace } from '../linalg/cholesky.js';

export interface Hierarchy {
  /** Number of bottom series. */
  readonly bottom: number;
  /** Per aggregate, the indices (0..bottom-1) of the bottom series it sums. */
  readonly aggregates: readonly Int32Array[];
}

function checkShapes(h: Hierarchy, series: readonly Float64Array[], what: string): number {
  const steps = series[0]?.length ?? 0;
  for (const s of series) {
    if (s.length !== steps)
      throw new RangeError(`${what}: every series needs ${steps} steps, one has ${s.length}`);
  }
  for (const members of h.aggregates) {
    for (const b of members) {
      if (!(b >= 0 && b < h.bottom))
        throw new RangeError(`an aggregate names bottom series ${b} of ${h.bottom}`);
    }
  }
  return steps;
}

/** Aggregates (in order) and then the bottom forecasts themselves. */
export function bottomUp(h: Hierarchy, bottom: readonly Float64Array[]): Float64Array[] {
  if (bottom.length !== h.bottom) {
    throw new RangeError(`bottomUp needs ${h.bottom} bottom series, got ${bottom.length}`);
  }
  const steps = checkShapes(h, bottom, 'bottomUp');
  const sums = h.aggregates.map((members) => {
    const out = new Float64Array(steps);
    for (const b of members) {
      const f = bottom[b]!;
      for (let k = 0; k < steps; k++) out[k] = out[k]! + f[k]!;
    }
    return out;
  });
  return [...sums, ...bottom.map((f) => Float64Array.from(f))];
}

export interface ShrunkCovariance {
  /** n x n, row-major. */
  readonly cov: Float64Array;
  /** Shrinkage intensity towards the diagonal, 0..1. */
  readonly lambda: number;
}

/**
 * The shrinkage covariance of residuals (T x n, row-major: row t holds every series' error at
 * time t), towards its diagonal; as hts::shrink.estim. A series with zero residuals keeps a tiny
 * variance so that W stays positive definite.
 */
export function shrunkCovariance(residuals: Float64Array, n: number): ShrunkCovariance {
  const t = residuals.length / n;
  if (!Number.isInteger(t) || t < 2)
    throw new RangeError(`residuals: need at least 2 rows of ${n}, got ${residuals.length} values`);
  const cov = new Float64Array(n * n);
  for (let r = 0; r < t; r++) {
    const row = r * n;
    for (let i = 0; i < n; i++) {
      const xi = residuals[row + i]!;
      if (xi === 0) continue;
      for (let j = 0; j <= i; j++) cov[i * n + j] = cov[i * n + j]! + xi * residuals[row + j]!;
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) cov[i * n + j] = cov[i * n + j]! / t;
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) sd[i] = Math.sqrt(cov[i * n + i]!);
  // Standardised residuals, then per pair: sum of xs_i^2 xs_j^2 and of xs_i xs_j over time.
  const xs = new Float64Array(t * n);
  for (let r = 0; r < t; r++) {
    for (let i = 0; i < n; i++) xs[r * n + i] = sd[i]! > 0 ? residuals[r * n + i]! / sd[i]! : 0;
  }
  let sumV = 0;
  let sumD = 0;
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let s2 = 0;
      let s1 = 0;
      for (let r = 0; r < t; r++) {
        const p = xs[r * n + i]! * xs[r * n + j]!;
        s1 += p;
        s2 += p * p;
      }
      // Two entries (i, j) and (j, i) of each.
      sumV += (2 * (s2 - (s1 * s1) / t)) / (t * (t - 1));
      const corr = sd[i]! > 0 && sd[j]! > 0 ? cov[i * n + j]! / (sd[i]! * sd[j]!) : 0;
      sumD += 2 * corr * corr;
    }
  }
  const lambda = sumD > 0 ? Math.max(0, Math.min(1, sumV / sumD)) : 1;
  let floor = 0;
  for (let i = 0; i < n; i++) floor = Math.max(floor, cov[i * n + i]!);
  floor = (floor || 1) * 1e-9;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = (1 - lambda) * cov[i * n + j]!;
      cov[i * n + j] = v;
      cov[j * n + i] = v;
    }
    cov[i * n + i] = Math.max(cov[i * n + i]!, floor);
  }
  return { cov, lambda };
}

/**
 * MinT: base forecasts of every series (aggregates first, then bottom), each `steps` long, and the
 * error covariance W (n x n) -> coherent forecasts in the same order.
 */
export function reconcileMinT(h: Hierarchy, base: readonly Float64Array[], w: Float64Array): Float64Array[] {
  const na = h.aggregates.length;
  const n = na + h.bottom;
  if (base.length !== n)
    throw new RangeError(`reconcileMinT needs ${n} series (aggregates, then bottom), got ${base.length}`);
  if (w.length !== n * n) throw new RangeError(`W must be ${n} x ${n}, has ${w.length} values`);
  const steps = checkShapes(h, base, 'reconcileMinT');
  // C = [I_na, -A]: row a has +1 at the aggregate a and -1 at each of its bottom series (index na + b).
  // WC' (n x na): column a = W[:, a] - sum_b W[:, na + b].
  const wc = new Float64Array(n * na);
  h.aggregates.forEach((members, a) => {
    for (let i = 0; i < n; i++) {
      let v = w[i * n + a]!;
      for (const b of members) v -= w[i * n + na + b]!;
      wc[i * na + a] = v;
    }
  });
  // CWC' (na x na): row a of C times WC'.
  const cwc = new Float64Array(na * na);
  h.aggregates.forEach((members, a) => {
    for (let c = 0; c < na; c++) {
      let v = wc[a * na + c]!;
      for (const b of members) v -= wc[(na + b) * na + c]!;
      cwc[a * na + c] = v;
    }
  });
  choleskyInPlace(cwc, na);
  const out = base.map((f) => Float64Array.from(f));
  const d = new Float64Array(na);
  for (let k = 0; k < steps; k++) {
    // d = (CWC')^-1 C y^ at step k; then y~ = y^ - WC' d.
    h.aggregates.forEach((members, a) => {
      let v = base[a]![k]!;
      for (const b of members) v -= base[na + b]![k]!;
      d[a] = v;
    });
    choleskySolveInPlace(cwc, na, d);
    for (let i = 0; i < n; i++) {
      let adj = 0;
      for (let a = 0; a < na; a++) adj += wc[i * na + a]! * d[a]!;
      out[i]![k] = base[i]![k]! - adj;
    }
  }
  return out;
}
