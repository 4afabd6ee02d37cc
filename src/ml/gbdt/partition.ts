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
   * True when `ordered` holds packed quantized pairs (quantize.ts): one finite float64 a position,
   * moved as one value instead of two 32-bit words.
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

/**
 * partitionPart with the packed quantized pairs: each position's pair is one float64 (finite by
 * construction, so loading and storing it as a double keeps its bits), one load and two stores
 * where the two 32-bit words took two and four.
 */
function partitionPacked(
  arrays: PartitionArrays,
  col: number,
  side: Uint8Array,
  start: number,
  end: number,
): number {
  const { rowIndex, scratch, bins } = arrays;
  const packed = float64Of(arrays.ordered);
  const packedScratch = float64Of(arrays.orderedScratch);
  let l = start;
  let r = start;
  for (let k = start; k < end; k++) {
    const row = rowIndex[k]!;
    const v = packed[k]!;
    const s = side[bins[col + row]!]!;
    rowIndex[l] = row;
    packed[l] = v;
    scratch[r] = row;
    packedScratch[r] = v;
    l += s;
    r += 1 - s;
  }
  return l - start;
}

function float64Of(x: Float32Array): Float64Array {
  return new Float64Array(x.buffer, x.byteOffset, x.length >> 1);
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
  const { rowIndex, scratch, ordered, orderedScratch } = arrays;
  const start = bounds[0]!;
  let at = start;
  for (let i = 0; i < lefts.length; i++) {
    const from = bounds[i]!;
    if (from !== at) {
      rowIndex.copyWithin(at, from, from + lefts[i]!);
      if (withGradients) ordered.copyWithin(2 * at, 2 * from, 2 * (from + lefts[i]!));
    }
    at += lefts[i]!;
  }
  const mid = at;
  for (let i = 0; i < lefts.length; i++) {
    const from = bounds[i]! + lefts[i]!;
    const to = bounds[i + 1]!;
    rowIndex.set(scratch.subarray(bounds[i]!, bounds[i]! + (to - from)), at);
    if (withGradients) {
      ordered.set(orderedScratch.subarray(2 * bounds[i]!, 2 * (bounds[i]! + (to - from))), 2 * at);
    }
    at += to - from;
  }
  return mid;
}

/**
 * The whole stable partition of one node's rows rowIndex[start..end) by a split, on one thread;
 * returns the count of left rows. `side` is scratch for the side table.
 */
export function partitionNode(
  arrays: PartitionArrays & { readonly rows: number },
  start: number,
  end: number,
  feature: number,
  bin: number,
  defaultLeft: boolean,
  side: Uint8Array,
  withGradients: boolean,
): number {
  sideTable(bin, defaultLeft, side);
  const left = partitionPart(arrays, feature * arrays.rows, side, start, end, withGradients);
  mergeParts(arrays, [start, end], [left], withGradients);
  return left;
}

/**
 * For positions k in [start, end): margin[rowIndex[k]] += the value of the leaf whose range holds k.
 * `leaves` holds `count` triples (start, end, value) ordered by start and covering the positions.
 */
export function addLeafValues(
  leaves: Float64Array,
  count: number,
  rowIndex: Uint32Array,
  margin: Float64Array,
  start: number,
  end: number,
): void {
  for (let i = 0; i < count; i++) {
    const a = Math.max(leaves[3 * i]!, start);
    const b = Math.min(leaves[3 * i + 1]!, end);
    const v = leaves[3 * i + 2]!;
    for (let k = a; k < b; k++) margin[rowIndex[k]!]! += v;
  }
}
