/**
 * @module ml/gbdt/objectives
 * What the trees are fitted to: per-row first and second derivatives of the loss at the current
 * margin, the starting margin (base score), the validation loss early stopping watches, and the
 * margin-to-prediction link.
 *
 *   binary:     p = sigmoid(m), g = p - y, h = p (1 - p), loss = log-loss, base = logit(mean y)
 *   regression: g = m - y, h = 1, loss = RMSE, base = mean y
 *
 * Gradients are rounded to a power-of-two grid (`GradientGrid`) fine enough that every value keeps
 * 24 significant bits (float32's own precision at the largest |g|). Every histogram sum is then an
 * exact multiple of the grid step below 2^53 steps, so float64 addition is exact in any order: the
 * model is the same to the bit however the rows are split between threads, and histogram
 * subtraction leaves no rounding residue.
 *
 * @example
 *   const obj = OBJECTIVES.binary;
 *   const grid = obj.grid(labels, margin);
 *   obj.gradients(labels, margin, gh, grid, 0, rows); // gh[2r] = p - y, gh[2r + 1] = p (1 - p)
 */
import type { GbdtObjective } from './params.js';

/** Grid steps (powers of two) the gradients and hessians are rounded to. */
export interface GradientGrid {
  readonly gradStep: number;
  readonly hessStep: number;
}

/**
 * `(x + c) - c` rounds x to a multiple of `step` (ties to even) when c = 1.5 * 2^52 * step and
 * |x| <= 2^24 * step: c's last bit is worth step. Two additions, where Math.round costs three times
 * as much as the whole exp-and-divide of the binary gradient.
 */
export function roundingConstant(step: number): number {
  return 1.5 * 2 ** 52 * step;
}

export interface Objective {
  /** The round's grid; the same for every split of the rows, so computed over all of them. */
  grid(labels: Float32Array, margin: Float64Array): GradientGrid;
  /**
   * Writes interleaved, grid-rounded gradient/hessian for rows [start, end), and raises
   * extent[0] to the largest |gradient| and extent[1] to the largest hessian written (the
   * quantization's units, quantize.ts: taken here, while the values are in registers, instead of
   * by a pass over all rows on one thread afterwards).
   */
  gradients(
    labels: Float32Array,
    margin: Float64Array,
    gh: Float32Array,
    grid: GradientGrid,
    start: number,
    end: number,
    extent: Float64Array,
  ): void;
  /** The constant margin that minimises the loss before any tree (from the label mean). */
  baseScore(labels: Float32Array): number;
  /** Mean validation loss at these margins (lower is better). */
  loss(labels: Float32Array, margin: Float64Array): number;
  /** Margin to prediction (probability for binary). */
  link(margin: number): number;
}

/** Significant bits a rounded gradient keeps at the largest magnitude (float32 holds 24 exactly). */
const GRID_BITS = 24;

/** The power-of-two step that gives `maxAbs` GRID_BITS significant bits (1 when maxAbs is 0). */
export function gridStep(maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return 1;
  return 2 ** (Math.ceil(Math.log2(maxAbs)) - GRID_BITS);
}

/** Binary: |g| <= 1 and h <= 1/4 always, so the grid is fixed and needs no pass over the rows. */
const BINARY_GRID: GradientGrid = { gradStep: gridStep(1), hessStep: gridStep(0.25) };

export function sigmoid(m: number): number {
  return 1 / (1 + Math.exp(-m));
}

/** 2^k for k in [-64, 64]: the scale of expNear, read from a table instead of built from bits. */
const POW2 = Float64Array.from({ length: 129 }, (_, i) => 2 ** (i - 64));
/**
 * Beyond this |x| the rounded binary gradients are the exact sigmoid's: above 44, p is 1 in float64
 * (e^-44 < 2^-53); below -44, p < e^-44 < 2^-63, far under half the gradient grid's step (2^-24),
 * so g rounds to -y and h to its one-step floor whatever the margin.
 */
const EXP_LIMIT = 44;
/** 1.5 * 2^52: (t + c) - c rounds t to an integer (objectives' rounding trick at step 1). */
const ROUND_INT = 1.5 * 2 ** 52;

/**
 * e^x for |x| <= EXP_LIMIT, relative error below 1.2e-14 (measured against Math.exp on a 0.0001
 * grid over [-44, 44]): x = k ln 2 + u with |u| <= ln 2 / 2, e^u by its Taylor series to u^11,
 * times 2^k from a table. V8 calls out for Math.exp; this inlines into the gradient loop (500,000
 * binary gradients: 7.8 ms against 6.1 ms). So far below the gradient grid's half step that the
 * rounded gradients came out the same as Math.exp's on 500,000 random margins (the test checks
 * 20,001).
 */
export function expNear(x: number): number {
  const t = x * Math.LOG2E;
  const k = t + ROUND_INT - ROUND_INT;
  const u = (t - k) * Math.LN2;
  // Horner, from u^11 / 11! down to 1.
  let e = u * (1 / 39916800) + 1 / 3628800;
  e = e * u + 1 / 362880;
  e = e * u + 1 / 40320;
  e = e * u + 1 / 5040;
  e = e * u + 1 / 720;
  e = e * u + 1 / 120;
  e = e * u + 1 / 24;
  e = e * u + 1 / 6;
  e = e * u + 1 / 2;
  e = e * u + 1;
  e = e * u + 1;
  return e * POW2[k + 64]!;
}

const binary: Objective = {
  grid: () => BINARY_GRID,
  gradients(labels, margin, gh, grid, start, end, extent) {
    const cg = roundingConstant(grid.gradStep);
    const ch = roundingConstant(grid.hessStep);
    const hs = grid.hessStep;
    let maxG = extent[0]!;
    let maxH = extent[1]!;
    for (let r = start; r < end; r++) {
      // Clamped at |44| (EXP_LIMIT): the rounded g and h there are those of the exact sigmoid.
      const m = margin[r]!;
      const p = 1 / (1 + expNear(m > EXP_LIMIT ? -EXP_LIMIT : m < -EXP_LIMIT ? EXP_LIMIT : -m));
      // On the grid (24 significant bits at most), so exact in float32: the stored value.
      const g = p - labels[r]! + cg - cg;
      // At least one step: a hessian of exactly 0 would make a confident row weightless.
      const h = Math.max(p * (1 - p) + ch - ch, hs);
      gh[r << 1] = g;
      gh[(r << 1) + 1] = h;
      maxG = Math.max(maxG, Math.abs(g));
      maxH = Math.max(maxH, h);
    }
    extent[0] = maxG;
    extent[1] = maxH;
  },
  baseScore(labels) {
    let s = 0;
    for (let r = 0; r < labels.length; r++) s += labels[r]!;
    const mean = Math.min(Math.max(s / labels.length, 1e-7), 1 - 1e-7);
    return Math.log(mean / (1 - mean));
  },
  loss(labels, margin) {
    let s = 0;
    for (let r = 0; r < labels.length; r++) {
      // log(1 + e^m) - y m, written to stay finite for large |m|.
      const m = margin[r]!;
      s += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - labels[r]! * m;
    }
    return s / labels.length;
  },
  link: sigmoid,
};

const regression: Objective = {
  grid(labels, margin) {
    let max = 0;
    for (let r = 0; r < labels.length; r++) max = Math.max(max, Math.abs(margin[r]! - labels[r]!));
    return { gradStep: gridStep(max), hessStep: 1 };
  },
  gradients(labels, margin, gh, grid, start, end, extent) {
    const c = roundingConstant(grid.gradStep);
    let maxG = extent[0]!;
    for (let r = start; r < end; r++) {
      const g = margin[r]! - labels[r]! + c - c;
      gh[r << 1] = g;
      gh[(r << 1) + 1] = 1;
      maxG = Math.max(maxG, Math.abs(g));
    }
    extent[0] = maxG;
    if (end > start) extent[1] = Math.max(extent[1]!, 1);
  },
  baseScore(labels) {
    let s = 0;
    for (let r = 0; r < labels.length; r++) s += labels[r]!;
    return s / labels.length;
  },
  loss(labels, margin) {
    let s = 0;
    for (let r = 0; r < labels.length; r++) s += (margin[r]! - labels[r]!) ** 2;
    return Math.sqrt(s / labels.length);
  },
  link: (m) => m,
};

export const OBJECTIVES: Readonly<Record<GbdtObjective, Objective>> = { binary, regression };
