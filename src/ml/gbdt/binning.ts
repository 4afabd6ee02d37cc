/**
 * @module ml/gbdt/binning
 * Features to small integers: each feature's non-missing values are cut at quantile thresholds into
 * at most 255 bins (1..255); bin 0 holds the missing values (NaN), so a split can send them to
 * whichever side the data prefers. Training then only ever reads one byte per cell.
 *
 * The rule is `bin(v) = 1 + #{thresholds < v}`, so `bin(v) <= b` exactly when `v <= thresholds[b-1]`:
 * a split learned on bins is the same split on raw values, and prediction never needs the bins.
 *
 * @example
 *   const cuts = fitBins(features, rows, cols, 255, 1);
 *   const bins = applyBins(cuts, features, rows); // Uint8Array, column-major: bins[f * rows + r]
 */
import { Rng } from '../../core/random.js';

/** Per feature, the ascending upper edges of its value bins (value bins = thresholds.length + 1). */
export interface BinCuts {
  readonly cols: number;
  readonly thresholds: readonly Float64Array[];
}

/** Quantiles from at most this many rows per feature: enough for 255 bins, and sorting stays cheap. */
const SAMPLE_ROWS = 200_000;

/**
 * Chooses each feature's thresholds. A feature with few distinct values gets one bin per value
 * (cut half-way between neighbours); otherwise the cuts are the 1/maxBins quantiles, deduplicated,
 * so a heavy tie takes one bin instead of several empty ones.
 */
export function fitBins(
  features: Float32Array,
  rows: number,
  cols: number,
  maxBins: number,
  seed: number,
): BinCuts {
  const sampleRows = pickSampleRows(rows, seed);
  const m = sampleRows.length;
  // One row-major pass copies the sample into per-feature columns (reading the matrix column by
  // column would stride through all of it once per feature); missing values are left out.
  const columns = Array.from({ length: cols }, () => new Float64Array(m));
  const counts = new Int32Array(cols);
  for (let i = 0; i < m; i++) {
    const base = sampleRows[i]! * cols;
    for (let f = 0; f < cols; f++) {
      const v = features[base + f]!;
      if (v === v) columns[f]![counts[f]!++] = v;
    }
  }
  const thresholds: Float64Array[] = [];
  for (let f = 0; f < cols; f++) {
    const sorted = columns[f]!.subarray(0, counts[f]!).sort();
    thresholds.push(cutsOf(sorted, maxBins));
  }
  return { cols, thresholds };
}

function pickSampleRows(rows: number, seed: number): Uint32Array {
  if (rows <= SAMPLE_ROWS) return Uint32Array.from({ length: rows }, (_, i) => i);
  // Seeded draw without replacement (selection sampling keeps the rows in order, cache-friendly).
  const rng = new Rng(seed);
  const out = new Uint32Array(SAMPLE_ROWS);
  let need = SAMPLE_ROWS;
  for (let r = 0, k = 0; r < rows && need > 0; r++) {
    if (rng.float() * (rows - r) < need) {
      out[k++] = r;
      need--;
    }
  }
  return out;
}

function cutsOf(sorted: Float64Array, maxBins: number): Float64Array {
  const n = sorted.length;
  if (n === 0) return new Float64Array(0);
  const distinct: number[] = [sorted[0]!];
  for (let i = 1; i < n && distinct.length <= maxBins; i++) {
    if (sorted[i]! !== sorted[i - 1]!) distinct.push(sorted[i]!);
  }
  if (distinct.length <= maxBins) {
    const cuts = new Float64Array(distinct.length - 1);
    for (let i = 0; i + 1 < distinct.length; i++) cuts[i] = (distinct[i]! + distinct[i + 1]!) / 2;
    return cuts;
  }
  const cuts: number[] = [];
  for (let q = 1; q < maxBins; q++) {
    const v = sorted[Math.floor((q * n) / maxBins)]!;
    // A cut at the maximum would leave the last bin empty.
    if (v < sorted[n - 1]! && (cuts.length === 0 || v > cuts[cuts.length - 1]!)) cuts.push(v);
  }
  return Float64Array.from(cuts);
}

/** Index of the first threshold >= v (binary search), i.e. the number of thresholds below v. */
export function binOf(thr: Float64Array, v: number): number {
  if (v !== v) return 0;
  let lo = 0;
  let hi = thr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (thr[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

/** Bins a row-major n x d matrix into a column-major Uint8Array (one contiguous column per feature). */
export function applyBins(cuts: BinCuts, features: Float32Array, rows: number): Uint8Array {
  const d = cuts.cols;
  if (features.length !== rows * d) {
    throw new Error(`applyBins: ${features.length} values is not ${rows} rows x ${d} features`);
  }
  const out = new Uint8Array(rows * d);
  binRows(cuts.thresholds, features, 0, out, rows, 0, rows);
  return out;
}

/**
 * Bins rows [start, end) of a row-major block whose first row is `blockStart` into the column-major
 * `out` (`out[f * rows + r]`); worker threads bin their share of the rows with it.
 */
export function binRows(
  thr: readonly Float64Array[],
  block: Float32Array,
  blockStart: number,
  out: Uint8Array,
  rows: number,
  start: number,
  end: number,
): void {
  const d = thr.length;
  // Row-major reads, one output stream per feature: a single pass over the input.
  for (let r = start; r < end; r++) {
    const base = (r - blockStart) * d;
    for (let f = 0; f < d; f++) out[f * rows + r] = binOf(thr[f]!, block[base + f]!);
  }
}
