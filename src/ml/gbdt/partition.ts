/**
 * @module ml/gbdt/partition
 * Splitting a node's rows: a stable partition of `rowIndex[start..end)` by one split, so the rows
 * of every node stay in ascending order (sequential reads of the column-major bins). Each
 * position's gradient pair (`ordered`, histogram.ts) moves with its row index. The range may be
 * cut into parts partitioned independently (one per thread) and then merged; the result is the
 * same stable partition, so the model does not depend on how many threads did it.
 *
 * @example
 *   const side = sideTable(split.bin, split.defaultLeft);
 *   const left = partitionPart(arrays, feature * rows, side, start, end);
 *   mergeParts(arrays, [start, end], [left]); // returns the first right position
 */

/** 1 for the bins that go left (value bins 1..bin, and bin 0 = missing when defaultLeft). */
export function sideTable(
  bin: number,
  defaultLeft: boolean,
  out: Uint8Array = new Uint8Array(256),
): Uint8Array {
  out[0] = defaultLeft ? 1 : 0;
  for (let b = 1; b < 256; b++) out[b] = b <= bin ? 1 : 0;
  return out;
}

/** What a partition moves: the row index and the gradient pairs by position, and their scratch. */
export interface PartitionArrays {
  readonly bins: Uint8Array;
  readonly rowIndex: Uint32Array;
  readonly scratch: Uint32Array;
  /** Interleaved gradient pairs by position (moved as their bits, two 32-bit words each). */
  readonly ordered: Float32Array;
  readonly orderedScratch: Float32Array;
  /**
   * True when `ordered`'s bytes hold quantized pairs (quantize.ts): one 16-bit code a position,
   * moved as such instead of two 32-bit words.
   */
  readonly quantized?: boolean;
}

/**
 * Partitions rowIndex[start..end) in place: left rows compacted at the front (in order), right rows
 * copied in order to scratch[start..]. Returns the count of left rows. Branch-free: both stores
 * happen and only the cursors move by the side, since the side of a row is a coin flip to the CPU.
 * `withGradients` false leaves `ordered` alone (children that will never be histogrammed).
 */
export function partitionPart(
  arrays: PartitionArrays,
  col: number,
  side: Uint8Array,
  start: number,
  end: number,
  withGradients = true,
): number {
  const { rowIndex, scratch, bins } = arrays;
  if (!withGradients) {
    let l = start;
    let r = start;
    for (let k = start; k < end; k++) {
      const row = rowIndex[k]!;
      const s = side[bins[col + row]!]!;
      rowIndex[l] = row;
      scratch[r] = row;
      l += s;
      r += 1 - s;
    }
    return l - start;
  }
  if (arrays.quantized === true) return partitionPacked(arrays, col, side, start, end);
  const gh = bitsOf(arrays.ordered);
  const ghScratch = bitsOf(arrays.orderedScratch);
  let l = start;
  let r = start;
  for (let k = start; k < end; k++) {
    const row = rowIndex[k]!;
    const g = gh[k << 1]!;
    const h = gh[(k << 1) + 1]!;
    const s = side[bins[col + row]!]!;
    rowIndex[l] = row;
    gh[l << 1] = g;
    gh[(l << 1) + 1] = h;
    scratch[r] = row;
    ghScratch[r << 1] = g;
    ghScratch[(r << 1) + 1] = h;
    l += s;
    r += 1 - s;
  }
  return l - start;
}

/** partitionPart with the quantized pairs: a 16-bit code a position (2 bytes moved, not 8). */
function partitionPacked(
  arrays: PartitionArrays,
  col: number,
  side: Uint8Array,
  start: number,
  end: number,
): number {
  const { rowIndex, scratch, bins } = arrays;
  const codes = codesOf(arrays.ordered);
  const codesScratch = codesOf(arrays.orderedScratch);
  let l = start;
  let r = start;
  for (let k = start; k < end; k++) {
    const row = rowIndex[k]!;
    const c = codes[k]!;
    const s = side[bins[col + row]!]!;
    rowIndex[l] = row;
    codes[l] = c;
    scratch[r] = row;
    codesScratch[r] = c;
    l += s;
    r += 1 - s;
  }
  return l - start;
}

/** The 16-bit codes by position over a pairs array's bytes (quantize.ts, runner.ts `codes`). */
function codesOf(x: Float32Array): Int16Array {
  return new Int16Array(x.buffer, x.byteOffset, x.length >> 1);
}

/** rowIndex[r] = r for r in [start, end): the positions of a tree on every row, in row order. */
export function identityRows(rowIndex: Uint32Array, start: number, end: number): void {
  for (let r = start; r < end; r++) rowIndex[r] = r;
}

/** ordered[k] = gh[rowIndex[k]] (both interleaved pairs) for positions k in [start, end). */
export function orderGradients(
  arrays: PartitionArrays & { readonly gh: Float32Array },
  start: number,
  end: number,
): void {
  const { rowIndex } = arrays;
  const gh = bitsOf(arrays.gh);
  const ordered = bitsOf(arrays.ordered);
  for (let k = start; k < end; k++) {
    const r = rowIndex[k]!;
    ordered[k << 1] = gh[r << 1]!;
    ordered[(k << 1) + 1] = gh[(r << 1) + 1]!;
  }
}

function bitsOf(x: Float32Array): Uint32Array {
  return new Uint32Array(x.buffer, x.byteOffset, x.length);
}

/**
 * Joins parts partitioned by partitionPart into one stable partition: the left rows of every part
 * in order, then their right rows in order. `bounds` are the part boundaries (start, ..., end);
 * `lefts[i]` the left count of part i. Returns the first right position.
 */
export function mergeParts(
  arrays: PartitionArrays,
  bounds: readonly number[],
  lefts: readonly number[],
  withGradients = true,
): number {
  const { rowIndex, scratch } = arrays;
  // The values moved with the rows: two 32-bit words a position, or one 16-bit code.
  const codes = arrays.quantized === true;
  const per = codes ? 1 : 2;
  const values = codes ? codesOf(arrays.ordered) : arrays.ordered;
  const valuesScratch = codes ? codesOf(arrays.orderedScratch) : arrays.orderedScratch;
  const start = bounds[0]!;
  let at = start;
  for (let i = 0; i < lefts.length; i++) {
    const from = bounds[i]!;
    if (from !== at) {
      rowIndex.copyWithin(at, from, from + lefts[i]!);
      if (withGradients) values.copyWithin(per * at, per * from, per * (from + lefts[i]!));
    }
    at += lefts[i]!;
  }
  const mid = at;
  for (let i = 0; i < lefts.length; i++) {
    const from = bounds[i]! + lefts[i]!;
    const to = bounds[i + 1]!;
    rowIndex.set(scratch.subarray(bounds[i]!, bounds[i]! + (to - from)), at);
    if (withGradients) {
      values.set(valuesScratch.subarray(per * bounds[i]!, per * (bounds[i]! + (to - from))), per * at);
    }
    at += to - from;
  }
  return mid;
}

/**
 * The whole stable partition of one node's rows rowIndex[start..end) by a split, on one thread,
 * the gradient pairs moved along (a depth-wise level's nodes, whose children are histogrammed: the
 * last level is labelled instead, leaf-rows.ts); returns the count of left rows. `side` is
 * scratch for the side table.
 */
export function partitionNode(
  arrays: PartitionArrays & { readonly rows: number },
  start: number,
  end: number,
  feature: number,
  bin: number,
  defaultLeft: boolean,
  side: Uint8Array,
): number {
  sideTable(bin, defaultLeft, side);
  const left = partitionPart(arrays, feature * arrays.rows, side, start, end);
  mergeParts(arrays, [start, end], [left]);
  return left;
}
