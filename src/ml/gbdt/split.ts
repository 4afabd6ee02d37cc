/**
 * @module ml/gbdt/split
 * The best split of one node from its histogram, XGBoost's exact gain formula on bins:
 *
 *   gain = 1/2 [ GL^2 / (HL + lambda) + GR^2 / (HR + lambda) - G^2 / (H + lambda) ]
 *
 * Each cut "value bins 1..b go left" is tried twice, once with the missing rows (bin 0) on the left
 * and once on the right, so the side missing values take is learned, not fixed. b may be the last
 * bin with missing values right: that split separates missing from present.
 *
 * @example
 *   const s = findBestSplit(hist, features, numBins, G, H, params);
 *   if (s.feature >= 0) console.log(s.feature, s.bin, s.defaultLeft, s.gain);
 */
import { SLOTS } from './histogram.js';

export interface SplitParams {
  readonly lambda: number;
  readonly minChildHessian: number;
  readonly minSplitGain: number;
}

/** A found split; feature = -1 when no split beats minSplitGain under the child-hessian floor. */
export interface Split {
  feature: number;
  /** Rows with a value bin <= bin go left. */
  bin: number;
  /** Where missing values (bin 0) go. */
  defaultLeft: boolean;
  gain: number;
  gradLeft: number;
  hessLeft: number;
  gradRight: number;
  hessRight: number;
}

export function emptySplit(): Split {
  return {
    feature: -1,
    bin: 0,
    defaultLeft: false,
    gain: 0,
    gradLeft: 0,
    hessLeft: 0,
    gradRight: 0,
    hessRight: 0,
  };
}

/** Leaf weight before shrinkage: the Newton step -G / (H + lambda). */
export function leafWeight(grad: number, hess: number, lambda: number): number {
  return hess + lambda > 0 ? -grad / (hess + lambda) : 0;
}

/**
 * Scans the listed features. `numBins[f]` is the feature's count of value bins; `grad`/`hess` are
 * the node's totals. Writes the best split into `out` (reset first) and returns it.
 */
export function findBestSplit(
  hist: Float64Array,
  features: Int32Array,
  numBins: Int32Array,
  grad: number,
  hess: number,
  p: SplitParams,
  out: Split = emptySplit(),
): Split {
  out.feature = -1;
  out.gain = 0;
  const lambda = p.lambda;
  const minH = p.minChildHessian;
  const parentScore = (grad * grad) / (hess + lambda);
  // Hessians below this are rounding left-overs of the subtraction trick, not real rows.
  const eps = 1e-10;
  let best = p.minSplitGain;
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const off = f * SLOTS * 2;
    const nb = numBins[f]!;
    const gMiss = hist[off]!;
    const hMiss = hist[off + 1]!;
    const hasMissing = hMiss > eps;
    let gl = 0;
    let hl = 0;
    for (let b = 1; b <= nb; b++) {
      gl += hist[off + 2 * b]!;
      hl += hist[off + 2 * b + 1]!;
      // Missing values to the right: left = bins 1..b.
      if (b < nb || hasMissing) {
        const hr = hess - hl;
        if (hl >= minH && hr >= minH && hl > eps && hr > eps) {
          const gr = grad - gl;
          const gain = 0.5 * ((gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore);
          if (gain > best) {
            best = gain;
            set(out, f, b, false, gain, gl, hl, gr, hr);
          }
        }
      }
      // Missing values to the left: left = bins 1..b plus missing.
      if (hasMissing && b < nb) {
        const gl2 = gl + gMiss;
        const hl2 = hl + hMiss;
        const hr = hess - hl2;
        if (hl2 >= minH && hr >= minH && hr > eps) {
          const gr = grad - gl2;
          const gain = 0.5 * ((gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda) - parentScore);
          if (gain > best) {
            best = gain;
            set(out, f, b, true, gain, gl2, hl2, gr, hr);
          }
        }
      }
    }
  }
  // With no missing values in the node, NaN at prediction time follows the heavier child.
  if (out.feature >= 0 && !(hist[out.feature * SLOTS * 2 + 1]! > eps)) {
    out.defaultLeft = out.hessLeft >= out.hessRight;
  }
  return out;
}

function set(
  s: Split,
  f: number,
  b: number,
  defaultLeft: boolean,
  gain: number,
  gl: number,
  hl: number,
  gr: number,
  hr: number,
): void {
  s.feature = f;
  s.bin = b;
  s.defaultLeft = defaultLeft;
  s.gain = gain;
  s.gradLeft = gl;
  s.hessLeft = hl;
  s.gradRight = gr;
  s.hessRight = hr;
}
