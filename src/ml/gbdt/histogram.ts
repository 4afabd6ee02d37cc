/**
 * @module ml/gbdt/histogram
 * Per-node gradient histograms: for every feature and bin, the sum of gradients and hessians of the
 * node's rows. A split search then costs O(bins) per feature instead of O(rows).
 *
 * Layout: one Float64Array per node, `hist[(f * SLOTS + bin) * 2]` = gradient sum and `+ 1` =
 * hessian sum, SLOTS = 256 (bin 0 = missing). Gradients arrive interleaved (`gh[2r]`, `gh[2r + 1]`)
 * so one cache line feeds both sums.
 *
 * @example
 *   const h = new Float64Array(histogramLength(cols));
 *   buildHistogram(h, bins, rows, gh, rowIndex, 0, rows, features);
 *   subtractHistogram(parent, h, features); // parent now holds the sibling's histogram
 */

/** Bin slots per feature: 255 value bins plus the missing bin. */
export const SLOTS = 256;

export function histogramLength(cols: number): number {
  return cols * SLOTS * 2;
}

/**
 * Fills the histogram of the rows `rowIndex[start..end)` for the listed features (others untouched).
 * `bins` is column-major (`bins[f * rows + r]`).
 *
 * Features are taken eight (then four, then one) at a time in one pass over the rows, so each
 * row's index and gradient pair are loaded once per eight features. Measured on 1M rows x 24
 * features: 8 at a time 32 ms CPU, 4 at a time 44 ms, one at a time about 110 ms, row-major bins
 * about 76 ms.
 */
export function buildHistogram(
  hist: Float64Array,
  bins: Uint8Array,
  rows: number,
  gh: Float32Array,
  rowIndex: Uint32Array,
  start: number,
  end: number,
  features: Int32Array,
): void {
  const W = SLOTS * 2;
  for (let j = 0; j < features.length; j++) {
    const off = features[j]! * W;
    hist.fill(0, off, off + W);
  }
  let j = 0;
  for (; j + 8 <= features.length; j += 8) {
    const f0 = features[j]!;
    const f1 = features[j + 1]!;
    const f2 = features[j + 2]!;
    const f3 = features[j + 3]!;
    const f4 = features[j + 4]!;
    const f5 = features[j + 5]!;
    const f6 = features[j + 6]!;
    const f7 = features[j + 7]!;
    const o0 = f0 * W;
    const o1 = f1 * W;
    const o2 = f2 * W;
    const o3 = f3 * W;
    const o4 = f4 * W;
    const o5 = f5 * W;
    const o6 = f6 * W;
    const o7 = f7 * W;
    const c0 = f0 * rows;
    const c1 = f1 * rows;
    const c2 = f2 * rows;
    const c3 = f3 * rows;
    const c4 = f4 * rows;
    const c5 = f5 * rows;
    const c6 = f6 * rows;
    const c7 = f7 * rows;
    for (let k = start; k < end; k++) {
      const r = rowIndex[k]!;
      const g = gh[r << 1]!;
      const h = gh[(r << 1) + 1]!;
      let b = o0 + (bins[c0 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o1 + (bins[c1 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o2 + (bins[c2 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o3 + (bins[c3 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o4 + (bins[c4 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o5 + (bins[c5 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o6 + (bins[c6 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o7 + (bins[c7 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
    }
  }
  for (; j + 4 <= features.length; j += 4) {
    const o0 = features[j]! * W;
    const o1 = features[j + 1]! * W;
    const o2 = features[j + 2]! * W;
    const o3 = features[j + 3]! * W;
    const c0 = features[j]! * rows;
    const c1 = features[j + 1]! * rows;
    const c2 = features[j + 2]! * rows;
    const c3 = features[j + 3]! * rows;
    for (let k = start; k < end; k++) {
      const r = rowIndex[k]!;
      const g = gh[r << 1]!;
      const h = gh[(r << 1) + 1]!;
      let b = o0 + (bins[c0 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o1 + (bins[c1 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o2 + (bins[c2 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o3 + (bins[c3 + r]! << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
    }
  }
  for (; j < features.length; j++) {
    const off = features[j]! * W;
    const col = features[j]! * rows;
    for (let k = start; k < end; k++) {
      const r = rowIndex[k]!;
      const b = off + (bins[col + r]! << 1);
      hist[b]! += gh[r << 1]!;
      hist[b + 1]! += gh[(r << 1) + 1]!;
    }
  }
}

/** `parent -= child` over the listed features: what remains is the other child's histogram. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, features: Int32Array): void {
  for (let j = 0; j < features.length; j++) {
    const off = features[j]! * SLOTS * 2;
    for (let i = off, end = off + SLOTS * 2; i < end; i++) parent[i]! -= child[i]!;
  }
}

/** `dst += src` over the listed features (a thread's share of the rows added to the node's sums). */
export function addHistogram(dst: Float64Array, src: Float64Array, features: Int32Array): void {
  for (let j = 0; j < features.length; j++) {
    const off = features[j]! * SLOTS * 2;
    for (let i = off, end = off + SLOTS * 2; i < end; i++) dst[i]! += src[i]!;
  }
}
