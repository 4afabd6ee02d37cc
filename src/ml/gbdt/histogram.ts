/**
 * @module ml/gbdt/histogram
 * Per-node gradient histograms: for every feature and bin, the sum of gradients and hessians of the
 * node's rows. A split search then costs O(bins) per feature instead of O(rows).
 *
 * Layout: one Float64Array per node, `hist[(f * SLOTS + bin) * 2]` = gradient sum and `+ 1` =
 * hessian sum, SLOTS = 256 (bin 0 = missing), and after the last feature one spare feature's room
 * that the passes below write padding into. Gradients arrive interleaved and in node order
 * (`ordered[2k]`, `ordered[2k + 1]` for position k of the row index, LightGBM's "ordered
 * gradients"): the partition moves them with the row index, so a node's gradient pairs are read
 * sequentially however far apart its rows lie. Read through the row index instead (`gh[2r]`), a
 * small node paid a cache miss per row and pass for them: on 1M x 30 random bins, CPU ns per row
 * and feature from the columns, row-indexed vs ordered gradients, 1/16 of the rows 13.1 / 3.6,
 * 1/32 21.9 / 6.3, 1/64 32.5 / 12.8 (load 13, one run: the ratios, not the figures).
 *
 * The bins are read in one of two layouts, whichever the node's size favours: column-major bytes
 * (`bins[f * rows + r]`) for nodes holding at least 1/SPARSE_NODE of the rows, where each column is
 * read nearly sequentially; and row-major words (`words[r * groups + (f >> 2)]`, four features to
 * a 32-bit word, feature f in bits (f & 3) * 8) for the smaller ones, whose rows lie so far apart
 * that every column read would cost its own cache line while a row's words share one. Measured on
 * 1M x 30 random bins with ordered gradients, CPU ns per row and feature, columns vs words: all
 * rows 3.2 / 4.2, 1/16 3.6 / 10.8, 1/32 6.3 / 12.9, 1/64 12.8 / 13.3, 1/128 44 / 12 (load 13: the
 * ratios hold, the figures do not). Before the gradients were ordered the switch paid from 1/32.
 *
 * @example
 *   const h = new Float64Array(histogramLength(cols));
 *   buildHistogram(h, { bins, words, rows, cols, ordered, rowIndex }, 0, rows, features);
 *   subtractHistogram(parent, h, features); // parent now holds the sibling's histogram
 */

/** Bin slots per feature: 255 value bins plus the missing bin. */
export const SLOTS = 256;

/** Room for every feature a word can hold, plus the spare feature the passes pad with. */
export function histogramLength(cols: number): number {
  return (wordGroups(cols) * 4 + 1) * SLOTS * 2;
}

/** 32-bit words per row in the row-major layout: four features to a word. */
export function wordGroups(cols: number): number {
  return (cols + 3) >> 2;
}

/** Nodes with fewer than rows / SPARSE_NODE rows are read from the row-major words. */
export const SPARSE_NODE = 64;

/** What a histogram reads: the bins in both layouts, the gradient pairs and the node's rows. */
export interface HistogramInput {
  readonly rows: number;
  readonly cols: number;
  /** Column-major bins, rows x cols. */
  readonly bins: Uint8Array;
  /** Row-major words, rows x wordGroups(cols) (packRowWords). */
  readonly words: Uint32Array;
  /** Interleaved gradient pairs by position: ordered[2k] is the gradient of row rowIndex[k]. */
  readonly ordered: Float32Array;
  readonly rowIndex: Uint32Array;
}

/** Rows [start, end) of the column-major bins packed into the row-major words. */
export function packRowWords(
  bins: Uint8Array,
  rows: number,
  cols: number,
  words: Uint32Array,
  start: number,
  end: number,
): void {
  const groups = wordGroups(cols);
  for (let g = 0; g < groups; g++) {
    const f = g * 4;
    const n = Math.min(4, cols - f);
    const c = f * rows;
    for (let r = start; r < end; r++) {
      let w = 0;
      for (let i = 0; i < n; i++) w |= bins[c + i * rows + r]! << (8 * i);
      words[r * groups + g] = w >>> 0;
    }
  }
}

/**
 * Fills the histogram of the rows `rowIndex[start..end)` for the listed features. From the
 * column-major bins the others are untouched; from the words (a small node) every feature of a
 * word that holds a listed one is filled, the unlisted ones holding sums no caller reads.
 * `span` is the row count of the node these rows belong to (a thread's share of a node's rows
 * lies as far apart as the node's): it picks the layout.
 */
export function buildHistogram(
  hist: Float64Array,
  input: HistogramInput,
  start: number,
  end: number,
  features: Int32Array,
  span = end - start,
): void {
  const { rows, ordered, rowIndex } = input;
  if (span * SPARSE_NODE < rows) {
    buildFromWords(hist, input.words, wordGroups(input.cols), ordered, rowIndex, start, end, features);
  } else buildFromColumns(hist, input.bins, rows, ordered, rowIndex, start, end, features);
}

/**
 * Row-major words: per position its gradient pair (`gh`: the ordered pairs), then each listed
 * word's four bins of the row there. Every word a
 * listed feature sits in is read (with 30 features all 8 of them: one cache line per row).
 */
function buildFromWords(
  hist: Float64Array,
  words: Uint32Array,
  groups: number,
  gh: Float32Array,
  rowIndex: Uint32Array,
  start: number,
  end: number,
  features: Int32Array,
): void {
  const W = SLOTS * 2;
  const listed = new Int32Array(groups);
  for (let j = 0; j < features.length; j++) listed[features[j]! >> 2] = 1;
  let count = 0;
  for (let q = 0; q < groups; q++) if (listed[q] === 1) listed[count++] = q;
  for (let i = 0; i < count; i++) hist.fill(0, listed[i]! * 4 * W, (listed[i]! + 1) * 4 * W);
  for (let k = start; k < end; k++) {
    const r = rowIndex[k]!;
    const g = gh[k << 1]!;
    const h = gh[(k << 1) + 1]!;
    const base = r * groups;
    for (let i = 0; i < count; i++) {
      const q = listed[i]!;
      const w = words[base + q]!;
      const o = q * 4 * W;
      let b = o + ((w & 255) << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o + W + (((w >>> 8) & 255) << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o + 2 * W + (((w >>> 16) & 255) << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
      b = o + 3 * W + ((w >>> 24) << 1);
      hist[b]! += g;
      hist[b + 1]! += h;
    }
  }
}

/**
 * Column-major bins (`bins[f * rows + r]`), the listed features only; `gh` is the ordered pairs.
 *
 * Features are taken eight (then four, then one) at a time in one pass over the rows, so each
 * row's index and gradient pair are loaded once per eight features. Measured on 1M rows x 24
 * features: 8 at a time 32 ms CPU, 4 at a time 44 ms, one at a time about 110 ms, row-major bins
 * about 76 ms. A remainder of 5-7 features takes a pass of eight and 2-3 one of four, the missing
 * places padded with the spare feature (a pass costs about the same with or without them, while a
 * single feature costs three times its share of a pass of eight).
 */
function buildFromColumns(
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
  const n = features.length;
  // Padding places write into the spare feature's room and read any real column.
  const spare = hist.length / W - 1;
  const off = (i: number): number => (i < n ? features[i]! : spare) * W;
  const col = (i: number): number => (i < n ? features[i]! : features[0]!) * rows;
  const tail = n % 8;
  const eights = tail >= 5 ? n : n - tail;
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
      const g = gh[k << 1]!;
      const h = gh[(k << 1) + 1]!;
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
      const g = gh[k << 1]!;
      const h = gh[(k << 1) + 1]!;
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
  for (; j < n; j++) {
    const o = features[j]! * W;
    const c = features[j]! * rows;
    for (let k = start; k < end; k++) {
      const r = rowIndex[k]!;
      const b = o + (bins[c + r]! << 1);
      hist[b]! += gh[k << 1]!;
      hist[b + 1]! += gh[(k << 1) + 1]!;
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

/** `dst = src` over the listed features. */
export function copyHistogram(dst: Float64Array, src: Float64Array, features: Int32Array): void {
  for (let j = 0; j < features.length; j++) {
    const off = features[j]! * SLOTS * 2;
    dst.set(src.subarray(off, off + SLOTS * 2), off);
  }
}

/** `dst += src` over the listed features (a thread's share of the rows added to the node's sums). */
export function addHistogram(dst: Float64Array, src: Float64Array, features: Int32Array): void {
  for (let j = 0; j < features.length; j++) {
    const off = features[j]! * SLOTS * 2;
    for (let i = off, end = off + SLOTS * 2; i < end; i++) dst[i]! += src[i]!;
  }
}
