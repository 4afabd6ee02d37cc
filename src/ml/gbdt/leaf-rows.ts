/**
 * @module ml/gbdt/leaf-rows
 * Each row's leaf once a tree is grown, and the two steps that read it: the exact gradient sums per
 * leaf (quantized training renews its leaves from them, quantize.ts) and the margin update.
 *
 * A grown tree leaves its rows partitioned down to its last level: each leaf above it owns a range
 * of the row index, and each split of the last level a range its two leaves share. Both steps
 * used to walk leaf ranges through the row index, so every row cost a random read of its gradient
 * pair and a random read-modify-write of its margin (8 bytes each, a cache line apiece at depth
 * 6). Now one pass writes each row's leaf id (`labelSegments`, a random write of 2 bytes into an
 * array a quarter the margins' size, the last level's side read from the bins as its partition
 * would have) and the sums and the margins are then read row by row, in order. 1M rows, 64
 * leaves, one thread, by leaf ranges: 7.0 ms against 3.1 ms a tree.
 *
 * Rows outside the tree (a round's `subsample`) carry the id `outside` (the table's capacity), a
 * spare slot the sums fill and nothing reads, so the row pass needs no branch.
 *
 * @example
 *   labelSegments(segments, count, { rowIndex, bins, rows }, leafOf, side, 0, positions);
 *   sumLeafRows(leafOf, gh, sums, leaves + 1, 0, rows); // sums[2i], sums[2i + 1]: leaf i's G, H
 *   addLeafRows(values, leafOf, margin, 0, rows);
 */

import { sideTable } from './partition.js';

/** A leaf id per row: 16 bits while a tree's leaves fit (every default does), else 32. */
export type LeafIds = Uint16Array | Uint32Array;

/** The id array for trees of at most `capacity` leaves (one more id: rows outside the tree). */
export function leafIdArray(capacity: number, buffer: ArrayBufferLike, rows: number): LeafIds {
  return capacity < 0xffff ? new Uint16Array(buffer, 0, rows) : new Uint32Array(buffer, 0, rows);
}

/** Bytes leafIdArray needs for `rows` rows. */
export function leafIdBytes(capacity: number, rows: number): number {
  return (capacity < 0xffff ? 2 : 4) * rows;
}

/**
 * Words a segment of the label table takes: start, end (a range of positions), feature, bin,
 * defaultLeft, left id, right id. feature -1: every row of the range is in leaf `left`; else the
 * range is a node split into two leaves (bins 1..bin, and 0 when defaultLeft, go left).
 */
export const SEGMENT = 7;

/**
 * leafOf[rowIndex[k]] = the leaf of position k for k in [start, end), from the first `count`
 * segments of `segments` (ordered by start). A split segment labels its rows straight from the
 * bins: the tree's last level is never partitioned, since nothing reads its children's ranges.
 * `side` is scratch for partition.ts's side table.
 */
export function labelSegments(
  segments: Int32Array,
  count: number,
  input: { readonly rowIndex: Uint32Array; readonly bins: Uint8Array; readonly rows: number },
  leafOf: LeafIds,
  side: Uint8Array,
  start: number,
  end: number,
): void {
  const { rowIndex, bins } = input;
  for (let i = 0; i < count; i++) {
    const at = i * SEGMENT;
    const a = Math.max(segments[at]!, start);
    const b = Math.min(segments[at + 1]!, end);
    if (a >= b) continue;
    const feature = segments[at + 2]!;
    const left = segments[at + 5]!;
    if (feature < 0) {
      for (let k = a; k < b; k++) leafOf[rowIndex[k]!] = left;
      continue;
    }
    sideTable(segments[at + 3]!, segments[at + 4] === 1, side);
    const col = feature * input.rows;
    const right = segments[at + 6]!;
    // Branch-free, as partitions are: the side of a row is a coin flip to the CPU.
    const step = left - right;
    for (let k = a; k < b; k++) {
      const r = rowIndex[k]!;
      leafOf[r] = right + side[bins[col + r]!]! * step;
    }
  }
}

/**
 * sums[2i] = the sum of g, sums[2i + 1] of h, over rows r in [start, end) with leafOf[r] = i, for
 * ids i < `ids` (zeroed first). The gradients are on a grid (objectives.ts), so these sums are
 * exact in any order and a split of the rows between threads adds up to the same bits.
 */
export function sumLeafRows(
  leafOf: LeafIds,
  gh: Float32Array,
  sums: Float64Array,
  ids: number,
  start: number,
  end: number,
): void {
  sums.fill(0, 0, 2 * ids);
  for (let r = start; r < end; r++) {
    const i = leafOf[r]! << 1;
    sums[i]! += gh[r << 1]!;
    sums[i + 1]! += gh[(r << 1) + 1]!;
  }
}

/** margin[r] += values[leafOf[r]] for rows [start, end). */
export function addLeafRows(
  values: Float64Array,
  leafOf: LeafIds,
  margin: Float64Array,
  start: number,
  end: number,
): void {
  for (let r = start; r < end; r++) margin[r]! += values[leafOf[r]!]!;
}
