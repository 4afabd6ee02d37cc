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
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const off = f * SLOTS * 2;
    hist.fill(0, off, off + SLOTS * 2);
    const col = f * rows;
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
