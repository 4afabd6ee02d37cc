/**
 * @module ml/iforest/model
 * A trained isolation forest: every tree's nodes in flat typed arrays (one allocation per array for
 * the whole forest, so scoring a million rows walks contiguous memory).
 */

export interface IsolationForest {
  readonly cols: number;
  /** Points drawn (without replacement) for each tree: psi in the paper. */
  readonly sampleSize: number;
  /** Index of each tree's root in the node arrays. */
  readonly roots: Int32Array;
  /** Split feature, or -1 at a leaf. */
  readonly feature: Int32Array;
  /** A row goes left when value < threshold; NaN goes right (see train.ts). */
  readonly threshold: Float64Array;
  readonly left: Int32Array;
  readonly right: Int32Array;
  /** Training points that reached the node (for a leaf: the n in the c(n) it adds). */
  readonly size: Int32Array;
  readonly seed: number;
}
