/**
 * @module ml/optimize/types
 * What every optimiser here takes and returns. Objectives are plain functions of a Float64Array
 * (they must not keep or mutate it) returning a number; a non-finite value means "outside the
 * domain" and makes a line search or simplex step back off.
 */
export type Objective = (x: Float64Array) => number;

export interface MinimizeOptions {
  /** Iteration cap (default 500 for L-BFGS, 4000 for Nelder-Mead). */
  readonly maxIterations?: number;
  /** L-BFGS stops when the largest gradient component is below this (default 1e-7). */
  readonly gradientTolerance?: number;
  /** Both stop when the objective changes by less than this, relative (default 1e-12 / 1e-11). */
  readonly valueTolerance?: number;
  /**
   * L-BFGS's numerical gradient: `central` (default, 2n evaluations, accurate to ~1e-10) or
   * `forward` (n + 1 evaluations, accurate to ~1e-8): for fits whose objective dominates the time
   * and whose tolerance is loose (ETS over thousands of series).
   */
  readonly differences?: 'central' | 'forward';
}

export interface MinimizeResult {
  /** The best point found. */
  readonly x: Float64Array;
  /** The objective there. */
  readonly value: number;
  readonly iterations: number;
  /** Objective evaluations, gradient evaluations included. */
  readonly evaluations: number;
  /** True when a stopping test (gradient or value change) was met, false when a cap or failure stopped it. */
  readonly converged: boolean;
  readonly method: 'lbfgs' | 'nelder-mead';
}
