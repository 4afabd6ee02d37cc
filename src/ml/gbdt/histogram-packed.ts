/**
 * @module ml/gbdt/histogram-packed
 * Histograms from quantized gradients (quantize.ts): one float64 add per row and feature, of the
 * position's packed value `gq * PACK + hq`, into a scratch of one float64 per bin (half the size
 * of a pair histogram: 63 KB at 30 features, against 127 KB), then decoded into the node's
 * histogram, which keeps histogram.ts's layout (gradient and hessian sums per bin, here the
 * integer sums of gq and hq). Each kernel decodes a position's 16-bit code once per row and pass
 * of features, inline as quantize.ts's packedOf does: calling packedOf made a 1M x 30 x 30-tree
 * training on two threads about 2.5% slower (median 4.23 s against 4.13 s, 4 runs each). The
 * rows go in chunks of at most CHUNK positions, each decoded before the next (the
 * first written, the others added), so a sum never outgrows its exact range.
 *
 * The two layouts and the passes of eight features are histogram.ts's, for the same reasons, but
 * for the remainder: 5 or 6 features take a pass of six here, not a padded pass of eight (30
 * features: 8 + 8 + 8 + 6 places a row, not 32; 1M x 30 x 30 trees on two threads, median of 6
 * alternating runs 4.21 -> 4.12 s).
 * Kernel alone (1M x 30 random bins, columns, CPU, packed vs pairs alternating, load 2.5-3.1):
 * all rows 1.26-1.85x faster, 1/4 of them 1.31-1.78x, 1/16 1.41-1.48x (docs/gbdt.md, sixth pass).
 *
 * @example
 *   buildPackedHistogram(hist, { bins, words, rows, cols, codes, rowIndex }, 0, n, features, n);
 */
import { SLOTS, SPARSE_NODE, wordGroups } from './histogram.js';
import { CHUNK, PACK } from './quantize.js';

/** What a packed histogram reads: the bins in both layouts, the codes and the rows. */
export interface PackedHistogramInput {
  readonly rows: number;
  readonly cols: number;
  readonly bins: Uint8Array;
  readonly words: Uint32Array;
  /** Quantized pairs by position as 16-bit codes (quantize.ts): codes[k] belongs to row rowIndex[k]. */
  readonly codes: Int16Array;
  readonly rowIndex: Uint32Array;
}

/**
 * This thread's scratch (each worker thread loads its own copy of this module, and a kernel runs
 * to the end before the next starts, so one is enough).
 */
let scratch = new Float64Array(0);

/**
 * Fills `hist` (histogram.ts layout) with the quantized sums of rowIndex[start..end) for the
 * listed features, as buildHistogram does with the exact pairs; `span` picks the layout.
 */
export function buildPackedHistogram(
  hist: Float64Array,
  input: PackedHistogramInput,
  start: number,
  end: number,
  features: Int32Array,
  span = end - start,
): void {
  const rooms = hist.length >> 1;
  if (scratch.length < rooms) scratch = new Float64Array(rooms);
  const acc = scratch;
  const fromWords = span * SPARSE_NODE < input.rows;
  // The features whose rooms are summed: from the words every feature of a listed word.
  const filled = fromWords ? wordFeatures(features, wordGroups(input.cols)) : features;
  const spare = rooms / SLOTS - 1;
  let first = true;
  for (let c0 = start; c0 < end || first; c0 += CHUNK) {
    const c1 = Math.min(end, c0 + CHUNK);
    for (let j = 0; j < filled.length; j++) acc.fill(0, filled[j]! * SLOTS, (filled[j]! + 1) * SLOTS);
    if (fromWords) {
      packedFromWords(
        acc,
        input.words,
        wordGroups(input.cols),
        input.codes,
        input.rowIndex,
        c0,
        c1,
        features,
      );
    } else {
      acc.fill(0, spare * SLOTS, (spare + 1) * SLOTS);
      packedFromColumns(acc, input.bins, input.rows, input.codes, input.rowIndex, c0, c1, features, spare);
    }
    decode(hist, acc, filled, first);
    first = false;
  }
}

/** Every feature of the words the listed features sit in, ascending. */
function wordFeatures(features: Int32Array, groups: number): Int32Array {
  const listed = new Uint8Array(groups);
  for (let j = 0; j < features.length; j++) listed[features[j]! >> 2] = 1;
  const out: number[] = [];
  for (let q = 0; q < groups; q++) if (listed[q] === 1) out.push(4 * q, 4 * q + 1, 4 * q + 2, 4 * q + 3);
  return Int32Array.from(out);
}

/** hist's pairs of the listed features = (first) or += the decoded packed sums in `acc`. */
function decode(hist: Float64Array, acc: Float64Array, features: Int32Array, first: boolean): void {
  // Locals, not the imported bindings, in the loops: a CommonJS build reads an import through a getter.
  const W = SLOTS;
  const unit = PACK;
  const inv = 1 / PACK; // exact: a power of two
  for (let j = 0; j < features.length; j++) {
    for (let i = features[j]! * W, end = i + W; i < end; i++) {
      const v = acc[i]!;
      const g = Math.floor(v * inv);
      const h = v - g * unit;
      if (first) {
        hist[2 * i] = g;
        hist[2 * i + 1] = h;
      } else {
        hist[2 * i]! += g;
        hist[2 * i + 1]! += h;
      }
    }
  }
}

/** Row-major words (small nodes): every word holding a listed feature, four bins a word. */
function packedFromWords(
  acc: Float64Array,
  words: Uint32Array,
  groups: number,
  codes: Int16Array,
  rowIndex: Uint32Array,
  start: number,
  end: number,
  features: Int32Array,
): void {
  const W = SLOTS;
  const unit = PACK;
  const listed = new Int32Array(groups);
  for (let j = 0; j < features.length; j++) listed[features[j]! >> 2] = 1;
  let count = 0;
  for (let q = 0; q < groups; q++) if (listed[q] === 1) listed[count++] = q;
  for (let k = start; k < end; k++) {
    const c = codes[k]!;
    const v = (c >> 8) * unit + (c & 255);
    const base = rowIndex[k]! * groups;
    for (let i = 0; i < count; i++) {
      const q = listed[i]!;
      const w = words[base + q]!;
      const o = q * 4 * W;
      acc[o + (w & 255)]! += v;
      acc[o + W + ((w >>> 8) & 255)]! += v;
      acc[o + 2 * W + ((w >>> 16) & 255)]! += v;
      acc[o + 3 * W + (w >>> 24)]! += v;
    }
  }
}

/**
 * Column-major bins, the listed features eight (then four, then one) at a time, padded places
 * writing into the spare feature's room and reading any real column (histogram.ts says why).
 */
function packedFromColumns(
  acc: Float64Array,
  bins: Uint8Array,
  rows: number,
  codes: Int16Array,
  rowIndex: Uint32Array,
  start: number,
  end: number,
  features: Int32Array,
  spare: number,
): void {
  const W = SLOTS;
  const unit = PACK;
  const n = features.length;
  const off = (i: number): number => (i < n ? features[i]! : spare) * W;
  const col = (i: number): number => (i < n ? features[i]! : features[0]!) * rows;
  const tail = n % 8;
  // A remainder of 7 takes a padded pass of eight, 5-6 one of six, 2-4 one of four.
  const eights = tail >= 7 ? n : n - tail;
  let j = 0;
  for (; j < eights; j += 8) {
    const o0 = off(j);
    const o1 = off(j + 1);
    const o2 = off(j + 2);
    const o3 = off(j + 3);
    const o4 = off(j + 4);
    const o5 = off(j + 5);
    const o6 = off(j + 6);
    const o7 = off(j + 7);
    const c0 = col(j);
    const c1 = col(j + 1);
    const c2 = col(j + 2);
    const c3 = col(j + 3);
    const c4 = col(j + 4);
    const c5 = col(j + 5);
    const c6 = col(j + 6);
    const c7 = col(j + 7);
    for (let k = start; k < end; k++) {
      const r = rowIndex[k]!;
      const c = codes[k]!;
      const v = (c >> 8) * unit + (c & 255);
      acc[o0 + bins[c0 + r]!]! += v;
      acc[o1 + bins[c1 + r]!]! += v;
      acc[o2 + bins[c2 + r]!]! += v;
      acc[o3 + bins[c3 + r]!]! += v;
      acc[o4 + bins[c4 + r]!]! += v;
      acc[o5 + bins[c5 + r]!]! += v;
      acc[o6 + bins[c6 + r]!]! += v;
      acc[o7 + bins[c7 + r]!]! += v;
    }
  }
  const sixes = n - j >= 5 ? n : j;
  for (; j < sixes; j += 6) {
    const o0 = off(j);
    const o1 = off(j + 1);
    const o2 = off(j + 2);
    const o3 = off(j + 3);
    const o4 = off(j + 4);
    const o5 = off(j + 5);
    const c0 = col(j);
    const c1 = col(j + 1);
    const c2 = col(j + 2);
    const c3 = col(j + 3);
    const c4 = col(j + 4);
    const c5 = col(j + 5);
    for (let k = start; k < end; k++) {
      const r = rowIndex[k]!;
      const c = codes[k]!;
      const v = (c >> 8) * unit + (c & 255);
      acc[o0 + bins[c0 + r]!]! += v;
      acc[o1 + bins[c1 + r]!]! += v;
      acc[o2 + bins[c2 + r]!]! += v;
      acc[o3 + bins[c3 + r]!]! += v;
      acc[o4 + bins[c4 + r]!]! += v;
      acc[o5 + bins[c5 + r]!]! += v;
    }
  }
  const fours = n - j >= 2 ? n : j;
  for (; j < fours; j += 4) {
    const o0 = off(j);
    const o1 = off(j + 1);
    const o2 = off(j + 2);
    const o3 = off(j + 3);
    const c0 = col(j);
    const c1 = col(j + 1);
    const c2 = col(j + 2);
    const c3 = col(j + 3);
    for (let k = start; k < end; k++) {
      const r = rowIndex[k]!;
      const c = codes[k]!;
      const v = (c >> 8) * unit + (c & 255);
      acc[o0 + bins[c0 + r]!]! += v;
      acc[o1 + bins[c1 + r]!]! += v;
      acc[o2 + bins[c2 + r]!]! += v;
      acc[o3 + bins[c3 + r]!]! += v;
    }
  }
  for (; j < n; j++) {
    const o = features[j]! * W;
    const c = features[j]! * rows;
    for (let k = start; k < end; k++) {
      const code = codes[k]!;
      acc[o + bins[c + rowIndex[k]!]!]! += (code >> 8) * unit + (code & 255);
    }
  }
}
