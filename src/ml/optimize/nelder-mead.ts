/**
 * @module ml/optimize/nelder-mead
 * Derivative-free simplex search (Nelder-Mead with the dimension-adaptive coefficients of Gao and
 * Han 2012). Slower than L-BFGS on smooth problems but indifferent to noisy or kinked objectives,
 * so `minimize` falls back to it when L-BFGS stalls.
 *
 * @example
 *   nelderMead((x) => (x[0]! - 3) ** 2 + (x[1]! + 1) ** 2, Float64Array.of(0, 0)).x; // ≈ [3, -1]
 */
import type { MinimizeOptions, MinimizeResult, Objective } from './types.js';

/** Initial simplex edge (absolute, suits log-parameters). */
const INITIAL_STEP = 0.25;

export function nelderMead(f: Objective, x0: Float64Array, options: MinimizeOptions = {}): MinimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 4000;
  const ftol = options.valueTolerance ?? 1e-11;
  const xtol = 1e-9;
  const reflect = 1;
  const expand = 1 + 2 / n;
  const contract = 0.75 - 1 / (2 * n);
  const shrink = 1 - 1 / n;
  let evaluations = 0;
  const value = (x: Float64Array): number => {
    evaluations++;
    const v = f(x);
    return Number.isNaN(v) ? Infinity : v;
  };

  const pts = Array.from({ length: n + 1 }, (_, i) => {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] = p[i - 1]! + INITIAL_STEP;
    return p;
  });
  const vals = pts.map(value);
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const xr = new Float64Array(n);
  const xe = new Float64Array(n);
  const xc = new Float64Array(n);
  const along = (coef: number, worst: Float64Array, out: Float64Array): void => {
    for (let i = 0; i < n; i++) out[i] = centroid[i]! + coef * (centroid[i]! - worst[i]!);
  };

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    order.sort((a, b) => vals[a]! - vals[b]!);
    const best = order[0]!;
    const worst = order[n]!;
    const fBest = vals[best]!;
    const fWorst = vals[worst]!;
    let spread = 0;
    for (const k of order)
      for (let i = 0; i < n; i++) spread = Math.max(spread, Math.abs(pts[k]![i]! - pts[best]![i]!));
    if (
      Number.isFinite(fWorst) &&
      fWorst - fBest <= ftol * Math.max(1, Math.abs(fBest)) &&
      spread <= xtol * Math.max(1, ...Array.from(pts[best]!, Math.abs))
    ) {
      converged = true;
      break;
    }
    iterations++;
    centroid.fill(0);
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++) centroid[i] = centroid[i]! + pts[order[k]!]![i]! / n;
    const w = pts[worst]!;
    along(reflect, w, xr);
    const fr = value(xr);
    const fSecond = vals[order[n - 1]!]!;
    if (fr < fBest) {
      along(expand, w, xe);
      const fe = value(xe);
      if (fe < fr) accept(xe, fe);
      else accept(xr, fr);
    } else if (fr < fSecond) {
      accept(xr, fr);
    } else {
      // Outside contraction if the reflection helped a little, inside otherwise.
      const outside = fr < fWorst;
      along(outside ? contract : -contract, w, xc);
      const fc = value(xc);
      if (fc < (outside ? fr : fWorst)) accept(xc, fc);
      else {
        const b = pts[best]!;
        for (const k of order.slice(1)) {
          const p = pts[k]!;
          for (let i = 0; i < n; i++) p[i] = b[i]! + shrink * (p[i]! - b[i]!);
          vals[k] = value(p);
        }
      }
    }
    function accept(p: Float64Array, v: number): void {
      pts[worst]!.set(p);
      vals[worst] = v;
    }
  }
  let best = 0;
  for (let k = 1; k <= n; k++) if (vals[k]! < vals[best]!) best = k;
  return { x: pts[best]!, value: vals[best]!, iterations, evaluations, converged, method: 'nelder-mead' };
}
