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
  // Float32 like the input: the same order as float64, and half the bytes to sort.
  const columns = Array.from({ length: cols }, () => new Float32Array(m));
  const counts = new Int32Array(cols);
  for (let i = 0; i < m; i++) {
    const base = sampleRows[i]! * cols;
    for (let f = 0; f < cols; f++) {
      const v = features[base + f]!;
      if (v === v) columns[f]![counts[f]!++] = v;
    }
  }
  const thresholds: Float64Array[] = [];
  const scratch = new Float32Array(m);
  for (let f = 0; f < cols; f++) {
    const sorted = sortFloats(columns[f]!.subarray(0, counts[f]!), scratch.subarray(0, counts[f]!));
    thresholds.push(cutsOf(sorted, maxBins));
  }
  return { cols, thresholds };
}

/**
 * Sorts NaN-free float32 values ascending (-0 before +0, as Float32Array.prototype.sort): a
 * least-significant-digit radix sort on orderedBits, two passes of 16 bits. Returns whichever of
 * `values` and `scratch` holds the result. Measured on 200,000 normals: about 4 ms against 40 ms
 * for Float32Array.prototype.sort (CPU, load about 20), which made fitting the bins of 30
 * features take over a second.
 */
export function sortFloats(values: Float32Array, scratch: Float32Array): Float32Array {
  const n = values.length;
  const keys = new Uint32Array(values.buffer, values.byteOffset, n);
  const outKeys = new Uint32Array(scratch.buffer, scratch.byteOffset, n);
  for (let i = 0; i < n; i++) keys[i] = orderedBits(keys[i]!);
  const counts = new Uint32Array(65_536);
  let from = keys;
  let to = outKeys;
  for (let shift = 0; shift < 32; shift += 16) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(from[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65_536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) to[counts[(from[i]! >>> shift) & 0xffff]!++] = from[i]!;
    const t = from;
    from = to;
    to = t;
  }
  // Two passes: the sorted keys are back in `values`' memory; map them back to float bits.
  for (let i = 0; i < n; i++) from[i] = unorderedBits(from[i]!);
  return from === keys ? values : scratch;
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

function cutsOf(sorted: Float32Array, maxBins: number): Float64Array {
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
  const lookup = rows >= LOOKUP_MIN_ROWS ? binLookup(cuts.thresholds) : null;
  binRows(cuts.thresholds, lookup, features, 0, out, rows, 0, rows);
  return out;
}

/** Entries per feature in a bin lookup: one per 16-bit bucket of a float32, and an end sentinel. */
export const LOOKUP_SIZE = 65_537;

/** From this many rows a bin lookup (2 MB at 30 features) pays for building it. */
export const LOOKUP_MIN_ROWS = 50_000;

/**
 * A float32's bits mapped to an unsigned integer in the order of the values (negative numbers
 * reversed below the positive ones): the usual trick for radix-sorting floats.
 */
function orderedBits(u: number): number {
  return u & 0x80000000 ? ~u >>> 0 : (u | 0x80000000) >>> 0;
}

/** The inverse of orderedBits. */
function unorderedBits(k: number): number {
  return k & 0x80000000 ? (k & 0x7fffffff) >>> 0 : ~k >>> 0;
}

/**
 * Per feature and per bucket of float32 values sharing their top 16 ordered bits (sign, exponent
 * and 7 mantissa bits), the number of thresholds below the bucket's smallest value; entry 65,536
 * is the threshold count. A value's bin count then lies between its bucket's entry and the next
 * one, which are nearly always equal: binning becomes a table read instead of an 8-step binary
 * search with unpredictable branches (6x faster, measured on 300k x 30).
 */
export function binLookup(thresholds: readonly Float64Array[], out?: Uint8Array): Uint8Array {
  const table = out ?? new Uint8Array(thresholds.length * LOOKUP_SIZE);
  const bits = new Uint32Array(1);
  const value = new Float32Array(bits.buffer);
  thresholds.forEach((thr, f) => {
    const o = f * LOOKUP_SIZE;
    const n = thr.length;
    let c = 0;
    for (let k = 0; k < 65_536; k++) {
      const t = (k << 16) >>> 0;
      bits[0] = t & 0x80000000 ? t ^ 0x80000000 : ~t >>> 0;
      const lo = value[0]!;
      if (lo !== lo) {
        // NaN bit patterns sit below -Infinity and above +Infinity in this order.
        table[o + k] = k < 0x8000 ? 0 : n;
        continue;
      }
      while (c < n && thr[c]! < lo) c++;
      table[o + k] = c;
    }
    table[o + 65_536] = n;
  });
  return table;
}

/**
 * Bins rows [start, end) of a row-major block whose first row is `blockStart` into the column-major
 * `out` (`out[f * rows + r]`), with the lookup from binLookup when given (the same bins, faster).
 * Worker threads bin their share of the rows with it.
 */
export function binRows(
  thr: readonly Float64Array[],
  lookup: Uint8Array | null,
  block: Float32Array,
  blockStart: number,
  out: Uint8Array,
  rows: number,
  start: number,
  end: number,
): void {
  const d = thr.length;
  if (!lookup) {
    // Row-major reads, one output stream per feature: a single pass over the input.
    for (let r = start; r < end; r++) {
      const base = (r - blockStart) * d;
      for (let f = 0; f < d; f++) out[f * rows + r] = binOf(thr[f]!, block[base + f]!);
    }
    return;
  }
  const bits = new Uint32Array(block.buffer, block.byteOffset, block.length);
  for (let r = start; r < end; r++) {
    const base = (r - blockStart) * d;
    for (let f = 0; f < d; f++) {
      const v = block[base + f]!;
      if (v !== v) {
        out[f * rows + r] = 0;
        continue;
      }
      const k = f * LOOKUP_SIZE + (orderedBits(bits[base + f]!) >>> 16);
      let lo = lookup[k]!;
      let hi = lookup[k + 1]!;
      const t = thr[f]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (t[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      out[f * rows + r] = lo + 1;
    }
  }
}
