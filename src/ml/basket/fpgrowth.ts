/**
 * @module ml/basket/fpgrowth
 * Frequent itemsets by FP-growth (Han, Pei & Yin 2000): one pass counts items, a second builds the
 * FP-tree of each basket's frequent items, then each item's conditional tree is mined recursively.
 * Unlike apriori it never generates candidates, so a 4,000-item catalogue costs no 8-million-pair
 * candidate table.
 *
 * @example
 *   const sets = fpGrowth(baskets, { minSupport: 0.001 }); // Groceries: 13,492 itemsets
 *   sets.support[0]; // basket count of itemset 0, whose items are sets.items[sets.offsets[0] .. sets.offsets[1])
 */
import { type Baskets, checkBaskets, minCountFor } from './baskets.js';
import { FpTree } from './fp-tree.js';
import { IntList } from './int-list.js';

export interface FpGrowthOptions {
  /** Minimum support as a fraction of baskets (arules' `supp`): support >= minSupport. */
  readonly minSupport?: number;
  /** Minimum support as a basket count; used instead of minSupport when given. */
  readonly minCount?: number;
  /** Longest itemset reported. Default 10, arules' `maxlen` default. */
  readonly maxLength?: number;
}

/**
 * Itemsets as compressed rows: itemset s is items[offsets[s] .. offsets[s+1]) in ascending item
 * order, found in support[s] baskets. Every subset of a reported itemset is reported too.
 */
export interface FrequentItemsets {
  /** Number of baskets mined (the denominator of support). */
  readonly baskets: number;
  /** The count threshold actually applied. */
  readonly minCount: number;
  readonly count: number;
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly support: Int32Array;
}

export const DEFAULT_MAX_LENGTH = 10;

export function fpGrowth(baskets: Baskets, options: FpGrowthOptions): FrequentItemsets {
  checkBaskets(baskets);
  const minCount = resolveMinCount(options, baskets.count);
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  if (!(maxLength >= 1)) throw new RangeError(`maxLength must be >= 1, got ${maxLength}`);

  // Pass 1: item supports, counting an item once per basket (stamp = last basket that counted it).
  const { offsets, itemIds } = baskets;
  const itemCount = new Int32Array(baskets.items);
  const stamp = new Int32Array(baskets.items).fill(-1);
  for (let b = 0; b < baskets.count; b++) {
    for (let k = offsets[b]!; k < offsets[b + 1]!; k++) {
      const item = itemIds[k]!;
      if (stamp[item] !== b) {
        stamp[item] = b;
        itemCount[item]!++;
      }
    }
  }

  // Frequent items ranked by support descending (ties by item index, so the output is deterministic).
  const ranked: number[] = [];
  for (let i = 0; i < baskets.items; i++) if (itemCount[i]! >= minCount) ranked.push(i);
  ranked.sort((a, b) => itemCount[b]! - itemCount[a]! || a - b);
  const rankOf = new Int32Array(baskets.items).fill(-1);
  const tree = new FpTree(ranked.length, itemIds.length + 1);
  tree.reset(ranked.length);
  for (let r = 0; r < ranked.length; r++) {
    rankOf[ranked[r]!] = r;
    tree.globalOf[r] = ranked[r]!;
    tree.support[r] = itemCount[ranked[r]!]!;
  }

  // Pass 2: each basket's frequent items, de-duplicated and in rank order, become one tree path.
  let longest = 0;
  for (let b = 0; b < baskets.count; b++) longest = Math.max(longest, offsets[b + 1]! - offsets[b]!);
  const path = new Int32Array(Math.max(longest, ranked.length, 1));
  stamp.fill(-1);
  for (let b = 0; b < baskets.count; b++) {
    let len = 0;
    for (let k = offsets[b]!; k < offsets[b + 1]!; k++) {
      const item = itemIds[k]!;
      const r = rankOf[item]!;
      if (r >= 0 && stamp[item] !== b) {
        stamp[item] = b;
        path[len++] = r;
      }
    }
    if (len === 0) continue;
    sortAscending(path, len);
    tree.insert(path, len, 1);
  }

  const miner = new Miner(ranked.length, minCount, maxLength, path);
  miner.mine(tree, 0);
  return {
    baskets: baskets.count,
    minCount,
    count: miner.support.length,
    offsets: miner.offsets.toArray(),
    items: miner.items.toArray(),
    support: miner.support.toArray(),
  };
}

function resolveMinCount(options: FpGrowthOptions, baskets: number): number {
  if (options.minCount !== undefined) {
    if (!(Number.isInteger(options.minCount) && options.minCount >= 1)) {
      throw new RangeError(`minCount must be a positive integer, got ${options.minCount}`);
    }
    return options.minCount;
  }
  if (options.minSupport === undefined) throw new RangeError('fpGrowth needs minSupport or minCount');
  return minCountFor(options.minSupport, baskets);
}

/** Insertion sort for the short paths of conditional trees; typed-array sort for long baskets. */
function sortAscending(a: Int32Array, length: number): void {
  if (length > 24) {
    a.subarray(0, length).sort();
    return;
  }
  for (let i = 1; i < length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/** The recursive part, with every scratch array allocated once per run. */
class Miner {
  readonly offsets = new IntList();
  readonly items = new IntList();
  readonly support = new IntList();
  /** One conditional tree per suffix length, reused across siblings. */
  private readonly trees: FpTree[] = [];
  private readonly suffix: Int32Array;
  private readonly sorted: Int32Array;
  private readonly condCount: Int32Array;
  private readonly newRank: Int32Array;
  private readonly order: Int32Array;

  constructor(
    private readonly maxItems: number,
    private readonly minCount: number,
    private readonly maxLength: number,
    private readonly path: Int32Array,
  ) {
    const depth = Math.min(maxLength, maxItems) + 1;
    this.suffix = new Int32Array(depth);
    this.sorted = new Int32Array(depth);
    this.condCount = new Int32Array(maxItems);
    this.newRank = new Int32Array(maxItems);
    this.order = new Int32Array(maxItems);
    this.offsets.push(0);
  }

  /** Emits every frequent itemset of `tree` joined with suffix[0..depth). */
  mine(tree: FpTree, depth: number): void {
    if (tree.isSinglePath()) {
      this.emitPathSubsets(tree, tree.firstChild[0]!, depth);
      return;
    }
    for (let r = tree.itemCount - 1; r >= 0; r--) {
      this.suffix[depth] = tree.globalOf[r]!;
      this.emit(depth + 1, tree.support[r]!);
      // Rank 0 has no lower-ranked items above it, so its conditional base is empty.
      if (depth + 1 >= this.maxLength || r === 0) continue;
      const k = this.countConditional(tree, r);
      if (k === 0) continue;
      if (depth + 2 >= this.maxLength) {
        // The conditional tree would only list its items (no longer itemsets are allowed): emit the
        // counts directly instead of building it. This makes pair mining (maxLength 2) one count per item.
        for (let j = 0; j < k; j++) {
          const q = this.order[j]!;
          this.suffix[depth + 1] = tree.globalOf[q]!;
          this.emit(depth + 2, this.condCount[q]!);
        }
        continue;
      }
      const cond = this.treeAt(depth + 1);
      this.buildConditional(tree, r, k, cond);
      this.mine(cond, depth + 1);
    }
  }

  /**
   * In a single-path tree an itemset's support is the count of its deepest node (counts only
   * shrink going down), so all subsets are emitted directly: node-by-node choose-or-skip.
   */
  private emitPathSubsets(tree: FpTree, fromNode: number, depth: number): void {
    // Single path: each node's only child is its firstChild (-1 at the leaf or in an empty tree).
    for (let n = fromNode; n !== -1; n = tree.firstChild[n]!) {
      this.suffix[depth] = tree.globalOf[tree.item[n]!]!;
      this.emit(depth + 1, tree.count[n]!);
      const next = tree.firstChild[n]!;
      if (next !== -1 && depth + 1 < this.maxLength) this.emitPathSubsets(tree, next, depth + 1);
    }
  }

  /**
   * Counts `item`'s conditional pattern base (its prefix paths, weighted by the item's node counts)
   * into condCount, and lists the items frequent there in `order`, most frequent first. Returns how many.
   */
  private countConditional(tree: FpTree, item: number): number {
    const { condCount, order, minCount } = this;
    condCount.fill(0, 0, item);
    for (let n = tree.head[item]!; n !== -1; n = tree.nextSame[n]!) {
      const c = tree.count[n]!;
      for (let p = tree.parent[n]!; p !== 0; p = tree.parent[p]!) condCount[tree.item[p]!]! += c;
    }
    let k = 0;
    for (let q = 0; q < item; q++) if (condCount[q]! >= minCount) order[k++] = q;
    if (k > 1) order.subarray(0, k).sort((a, b) => condCount[b]! - condCount[a]! || a - b);
    return k;
  }

  /** Builds `item`'s conditional FP-tree from its prefix paths, over the k items countConditional kept. */
  private buildConditional(tree: FpTree, item: number, k: number, cond: FpTree): void {
    const { condCount, newRank, order, path } = this;
    newRank.fill(-1, 0, item);
    cond.reset(k);
    for (let j = 0; j < k; j++) {
      const q = order[j]!;
      newRank[q] = j;
      cond.globalOf[j] = tree.globalOf[q]!;
      cond.support[j] = condCount[q]!;
    }
    for (let n = tree.head[item]!; n !== -1; n = tree.nextSame[n]!) {
      let len = 0;
      for (let p = tree.parent[n]!; p !== 0; p = tree.parent[p]!) {
        const nr = newRank[tree.item[p]!]!;
        if (nr >= 0) path[len++] = nr;
      }
      if (len === 0) continue;
      sortAscending(path, len);
      cond.insert(path, len, tree.count[n]!);
    }
  }

  private treeAt(depth: number): FpTree {
    let t = this.trees[depth];
    if (!t) {
      t = new FpTree(this.maxItems);
      this.trees[depth] = t;
    }
    return t;
  }

  /** Records suffix[0..length) (sorted ascending for a canonical form) with its support. */
  private emit(length: number, support: number): void {
    const s = this.sorted;
    for (let i = 0; i < length; i++) s[i] = this.suffix[i]!;
    sortAscending(s, length);
    for (let i = 0; i < length; i++) this.items.push(s[i]!);
    this.offsets.push(this.items.length);
    this.support.push(support);
  }
}
