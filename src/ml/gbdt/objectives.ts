/**
 * @module ml/gbdt/objectives
 * What the trees are fitted to: per-row first and second derivatives of the loss at the current
 * margin, the starting margin (base score), the validation loss early stopping watches, and the
 * margin-to-prediction link.
 *
 *   binary:     p = sigmoid(m), g = p - y, h = p (1 - p), loss = log-loss, base = logit(mean y)
 *   regression: g = m - y, h = 1, loss = RMSE, base = mean y
 *
 * @example
 *   const obj = OBJECTIVES.binary;
 *   obj.gradients(labels, margin, gh); // gh[2r] = p - y, gh[2r + 1] = p (1 - p)
 */
import type { GbdtObjective } from './params.js';

export interface Objective {
  /** Writes interleaved gradient/hessian for every row. */
  gradients(labels: Float32Array, margin: Float64Array, gh: Float32Array): void;
  /** The constant margin that minimises the loss before any tree (from the label mean). */
  baseScore(labels: Float32Array): number;
  /** Mean validation loss at these margins (lower is better). */
  loss(labels: Float32Array, margin: Float64Array): number;
  /** Margin to prediction (probability for binary). */
  link(margin: number): number;
}

/** Keeps the log-odds finite when every label is 0 or 1, and hessians away from zero. */
const EPS = 1e-16;

export function sigmoid(m: number): number {
  return 1 / (1 + Math.exp(-m));
}

const binary: Objective = {
  gradients(labels, margin, gh) {
    for (let r = 0; r < labels.length; r++) {
      const p = 1 / (1 + Math.exp(-margin[r]!));
      gh[r << 1] = p - labels[r]!;
      gh[(r << 1) + 1] = Math.max(p * (1 - p), EPS);
    }
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
  gradients(labels, margin, gh) {
    for (let r = 0; r < labels.length; r++) {
      gh[r << 1] = margin[r]! - labels[r]!;
      gh[(r << 1) + 1] = 1;
    }
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
