/**
 * @module ml/basket/co-occurrence
 * How many baskets hold both a given item and each other item: the plain pair count behind
 * "bought together" when an item is too rare for any rule to reach the support threshold.
 * An item -> baskets index is built once, so a query reads only the item's own baskets.
 *
 * @example
 *   const co = new CoOccurrence(baskets);
 *   co.top(item, 5); // { items: [the 5 items most often in the same basket], counts: [their basket counts] }
 */
import { transpose, type Csr } from '../sparse/csr.js';
import type { Baskets } from './baskets.js';
import { TopK } from '../recommend/top-k.js';

export class CoOccurrence {
  private readonly byItem: Csr;
  private readonly counts: Int32Array;
  private readonly stamp: Int32Array;
  private readonly touched: Int32Array;
  private query = 0;

  constructor(private readonly baskets: Baskets) {
    const nnz = baskets.itemIds.length;
    this.byItem = transpose({
      rows: baskets.count,
      cols: baskets.items,
      indptr: baskets.offsets,
      indices: baskets.itemIds,
      values: new Float32Array(nnz),
    });
    this.counts = new Int32Array(baskets.items);
    this.stamp = new Int32Array(baskets.items).fill(-1);
    this.touched = new Int32Array(baskets.items);
  }

  /** Baskets that hold `item`. */
  basketsWith(item: number): number {
    const { indptr, indices } = this.byItem;
    let n = 0;
    // Basket indices are ascending per item, so a basket listing the item twice sits twice in a row.
    for (let a = indptr[item]!; a < indptr[item + 1]!; a++)
      if (a === indptr[item] || indices[a - 1] !== indices[a]) n++;
    return n;
  }

  /**
   * The k items found in the most baskets together with `item` (at least `minCount`), most first,
   * ties to the lower item index. An item listed twice in one basket counts once.
   */
  top(item: number, k: number, minCount = 1): { items: Int32Array; counts: Int32Array } {
    const { baskets, byItem, counts, stamp, touched } = this;
    let nTouched = 0;
    for (let a = byItem.indptr[item]!; a < byItem.indptr[item + 1]!; a++) {
      const b = byItem.indices[a]!;
      // A basket listing `item` twice appears twice in the index; count it once.
      if (a > byItem.indptr[item]! && byItem.indices[a - 1] === b) continue;
      this.query++;
      for (let j = baskets.offsets[b]!; j < baskets.offsets[b + 1]!; j++) {
        const other = baskets.itemIds[j]!;
        if (other === item || stamp[other] === this.query) continue;
        stamp[other] = this.query;
        if (counts[other] === 0) touched[nTouched++] = other;
        counts[other]!++;
      }
    }
    const heap = new TopK(k);
    for (let i = 0; i < nTouched; i++) {
      const other = touched[i]!;
      if (counts[other]! >= minCount) heap.push(other, counts[other]!);
      counts[other] = 0;
    }
    const { indices, scores } = heap.drain();
    return { items: indices, counts: Int32Array.from(scores) };
  }
}
