/**
 * @module ml/metrics/group-sequential
 * Boundaries for reading a test several times while it runs (group-sequential designs), two-sided,
 * so that the chance of ever crossing a boundary when there is no effect is alpha overall.
 *
 * - O'Brien & Fleming (1979): at look k of K equally spaced looks reject when |Z_k| >= C sqrt(K / k),
 *   with the constant C found so that the overall type I error is alpha (Jennison & Turnbull 2000,
 *   Table 2.3: C = 1.977, 2.004, 2.024, 2.040 for K = 2..5 at alpha 0.05).
 * - Lan & DeMets (1983) alpha spending with the O'Brien-Fleming-type function, applied to each
 *   side at alpha / 2 as gsDesign, ldbounds and rpact do: a(t) = 2 - 2 Phi(z_{alpha/4} / sqrt(t)) per
 *   side, so the boundary at information fraction t_k spends 2 (a(t_k) - a(t_{k-1})) in all; the
 *   looks need not be equally spaced, only their fractions of the planned sample known. For 5 equal
 *   looks at alpha 0.05: 4.877, 3.357, 2.680, 2.290, 2.031.
 *
 * Both need P(the statistic stays inside the earlier boundaries and crosses this one) under H0. The
 * score S_k = Z_k sqrt(t_k) is a Brownian motion in the information t, so the density of S_k on
 * the paths not yet stopped is carried from look to look by convolution with a normal
 * (Armitage, McPherson & Rowe 1969; Jennison & Turnbull 2000, chapter 19), here by Simpson's rule
 * on a grid of GRID points per look. Boundaries are found by bisection to 1e-6.
 *
 * @example
 *   obrienFlemingBoundaries(5, 0.05);                           // [4.562, 3.226, 2.634, 2.281, 2.040]
 *   spendingBoundaries([0.2, 0.4, 0.6, 0.8, 1], 0.05);          // Lan-DeMets O'Brien-Fleming type
 */
import { normalCdf, normalQuantile, normalUpperTail } from '../special/normal.js';

/** Grid points per look (odd, for Simpson's rule). */
const GRID = 401;

/** The stopped-paths sub-density of S_k on [-b, b], on the grid. */
interface Continuing {
  readonly t: number;
  readonly b: number;
  readonly s: Float64Array;
  readonly f: Float64Array;
}

const phi = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);

function simpsonWeights(n: number, h: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = ((i === 0 || i === n - 1 ? 1 : i % 2 ? 4 : 2) * h) / 3;
  return w;
}

function grid(b: number): { s: Float64Array; w: Float64Array } {
  const s = new Float64Array(GRID);
  const h = (2 * b) / (GRID - 1);
  for (let i = 0; i < GRID; i++) s[i] = -b + i * h;
  return { s, w: simpsonWeights(GRID, h) };
}

/** P(cross at this look, not before) for boundary z at fraction t, after `prev` (null at the first look). */
function crossing(prev: Continuing | null, t: number, z: number): number {
  const b = z * Math.sqrt(t);
  if (!prev) return 2 * normalUpperTail(z);
  const sd = Math.sqrt(t - prev.t);
  const { w } = grid(prev.b);
  let p = 0;
  for (let i = 0; i < GRID; i++) {
    const u = prev.s[i]!;
    p += w[i]! * prev.f[i]! * (normalUpperTail((b - u) / sd) + normalCdf((-b - u) / sd));
  }
  return p;
}

/** The continuing density after a look at fraction t with boundary z. */
function carry(prev: Continuing | null, t: number, z: number): Continuing {
  const b = z * Math.sqrt(t);
  const { s } = grid(b);
  const f = new Float64Array(GRID);
  if (!prev) {
    const sd = Math.sqrt(t);
    for (let i = 0; i < GRID; i++) f[i] = phi(s[i]! / sd) / sd;
    return { t, b, s, f };
  }
  const sd = Math.sqrt(t - prev.t);
  const { w } = grid(prev.b);
  for (let j = 0; j < GRID; j++) {
    let acc = 0;
    for (let i = 0; i < GRID; i++) acc += w[i]! * prev.f[i]! * phi((s[j]! - prev.s[i]!) / sd);
    f[j] = acc / sd;
  }
  return { t, b, s, f };
}

function checkFractions(fractions: readonly number[]): void {
  if (fractions.length === 0) throw new RangeError('group-sequential: at least one look is needed');
  fractions.forEach((t, k) => {
    if (!(t > 0 && t <= 1) || (k > 0 && !(t > fractions[k - 1]!))) {
      throw new RangeError(
        `group-sequential: information fractions must increase within (0, 1] (look ${k + 1} is ${t})`,
      );
    }
  });
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1))
    throw new RangeError(`group-sequential: alpha must be in (0, 1) (got ${alpha})`);
}

/** The z with crossing(prev, t, z) = target, by bisection (crossing falls as z rises). */
function solve(prev: Continuing | null, t: number, target: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 60 && hi - lo > 1e-7; i++) {
    const mid = (lo + hi) / 2;
    if (crossing(prev, t, mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Lan-DeMets O'Brien-Fleming-type spending: the two-sided alpha spent by information fraction t (alpha at t = 1). */
export function obfSpending(t: number, alpha: number): number {
  if (t <= 0) return 0;
  return 4 * normalUpperTail(normalQuantile(1 - alpha / 4) / Math.sqrt(Math.min(1, t)));
}

/**
 * Two-sided boundaries |Z_k| >= z_k at the given information fractions (increasing, the last at most
 * 1) by Lan-DeMets spending with the O'Brien-Fleming-type function.
 */
export function spendingBoundaries(fractions: readonly number[], alpha: number): number[] {
  checkFractions(fractions);
  checkAlpha(alpha);
  const out: number[] = [];
  let prev: Continuing | null = null;
  let spent = 0;
  for (const t of fractions) {
    const target = obfSpending(t, alpha) - spent;
    const z = solve(prev, t, target);
    out.push(z);
    spent += crossing(prev, t, z);
    prev = carry(prev, t, z);
  }
  return out;
}

/** P(|Z_k| >= z_k at some look) under H0 for the given boundaries and fractions. */
export function crossingProbability(fractions: readonly number[], boundaries: readonly number[]): number {
  checkFractions(fractions);
  let prev: Continuing | null = null;
  let total = 0;
  fractions.forEach((t, k) => {
    total += crossing(prev, t, boundaries[k]!);
    if (k < fractions.length - 1) prev = carry(prev, t, boundaries[k]!);
  });
  return total;
}

/** O'Brien & Fleming's boundaries C sqrt(K / k) for K equally spaced looks at overall level alpha. */
export function obrienFlemingBoundaries(looks: number, alpha: number): number[] {
  if (!Number.isInteger(looks) || looks < 1) {
    throw new RangeError(`group-sequential: looks must be a whole number >= 1 (got ${looks})`);
  }
  checkAlpha(alpha);
  const fractions = Array.from({ length: looks }, (_, k) => (k + 1) / looks);
  const at = (c: number): number[] => fractions.map((_, k) => c * Math.sqrt(looks / (k + 1)));
  let lo = normalQuantile(1 - alpha / 2);
  let hi = lo * 2;
  for (let i = 0; i < 60 && hi - lo > 1e-6; i++) {
    const mid = (lo + hi) / 2;
    if (crossingProbability(fractions, at(mid)) > alpha) lo = mid;
    else hi = mid;
  }
  return at((lo + hi) / 2);
}
