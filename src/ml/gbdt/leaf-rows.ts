/**
 * @module ml/gbdt/leaf-rows
 * Each row's leaf once a tree is grown, and the two steps that read it: the exact gradient sums per
 * leaf (quantized training renews its leaves from them, quantize.ts) and the margin update.
 *
 * A grown tree leaves its rows partitioned: leaf i owns positions [start_i, end_i) of the row
 * index. Both steps used to walk those ranges through the row index, so every row cost a random
 * read of its gradient pair and a random read-modify-write of its margin (8 bytes each, a cache
 * line apiece at depth 6). Now one pass writes each row's leaf id (`labelRows`, a random write of
 * 2 bytes into an array a quarter the margins' size) and the sums and the margins are then read
 * row by row, in order. 1M rows, 64 leaves, one thread: 7.0 ms against 3.1 ms a tree.
 *
 * Rows outside the tree (a round's `subsample`) carry the id `outside` (the table's capacity), a
 * spare slot the sums fill and nothing reads, so the row pass needs no branch.
 *
 * @example
 *   labelRows(leaves, count, rowIndex, leafOf, 0, positions);
 *   sumLeafRows(leafOf, gh, sums, count + 1, 0, rows); // sums[2i], sums[2i + 1]: leaf i's G, H
 *   addLeafRows(leaves, leafOf, margin, 0, rows);
 */

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
 * leafOf[rowIndex[k]] = i for the positions k in [start, end) that leaf i's range holds. `leaves`
 * holds `count` triples (start, end, value) ordered by start.
 */
export function labelRows(
  leaves: Float64Array,
  count: number,
  rowIndex: Uint32Array,
  leafOf: LeafIds,
  start: number,
  end: number,
): void {
  for (let i = 0; i < count; i++) {
    const a = Math.max(leaves[3 * i]!, start);
    const b = Math.min(leaves[3 * i + 1]!, end);
    for (let k = a; k < b; k++) leafOf[rowIndex[k]!] = i;
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

/** margin[r] += the value of leaf leafOf[r] (the third word of its triple), rows [start, end). */
export function addLeafRows(
  leaves: Float64Array,
  leafOf: LeafIds,
  margin: Float64Array,
  start: number,
  end: number,
): void {
  for (let r = start; r < end; r++) margin[r]! += leaves[3 * leafOf[r]! + 2]!;
}
