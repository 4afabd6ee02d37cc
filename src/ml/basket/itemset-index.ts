/**
 * @module ml/basket/itemset-index
 * Finds an itemset's support by its items: an open-addressing hash table over the compressed rows of
 * `FrequentItemsets`, so rule generation looks up each antecedent without building string keys.
 */
import type { FrequentItemsets } from './fpgrowth.js';

export class ItemsetIndex {
  private readonly slots: Int32Array;
  private readonly mask: number;

  constructor(private readonly sets: FrequentItemsets) {
    let size = 16;
    while (size < sets.count * 2) size *= 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let s = 0; s < sets.count; s++) {
      const from = sets.offsets[s]!;
      let slot = hashItems(sets.items, from, sets.offsets[s + 1]! - from) & this.mask;
      while (this.slots[slot] !== -1) slot = (slot + 1) & this.mask;
      this.slots[slot] = s;
    }
  }

  /** The index of the itemset items[from .. from+length) (ascending), or -1 if it is not frequent. */
  find(items: Int32Array, from: number, length: number): number {
    const { sets } = this;
    let slot = hashItems(items, from, length) & this.mask;
    for (;;) {
      const s = this.slots[slot]!;
      if (s === -1) return -1;
      const start = sets.offsets[s]!;
      if (sets.offsets[s + 1]! - start === length) {
        let same = true;
        for (let i = 0; i < length && same; i++) same = sets.items[start + i] === items[from + i];
        if (same) return s;
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Basket count of the itemset, or -1 if it is not frequent. */
  support(items: Int32Array, from: number, length: number): number {
    const s = this.find(items, from, length);
    return s === -1 ? -1 : this.sets.support[s]!;
  }
}

/** FNV-1a style mix of 32-bit item ids. */
function hashItems(items: Int32Array, from: number, length: number): number {
  let h = 0x811c9dc5 ^ length;
  for (let i = 0; i < length; i++) {
    h = Math.imul(h ^ items[from + i]!, 0x01000193);
    h ^= h >>> 15;
  }
  return h >>> 0;
}
