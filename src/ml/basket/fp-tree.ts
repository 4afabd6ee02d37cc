/**
 * @module ml/basket/fp-tree
 * The FP-tree of FP-growth (Han, Pei & Yin 2000) as parallel typed arrays, reusable across calls:
 * `reset()` empties it without freeing, so mining allocates one tree per recursion depth, not one per
 * conditional pattern base.
 *
 * Items inside a tree are LOCAL ranks 0..itemCount-1 (0 = most frequent in this tree); `globalOf`
 * maps a rank back to the caller's item index. Paths are inserted in ascending rank order, so the
 * most frequent items sit near the root and prefixes are shared.
 */
export class FpTree {
  /** Nodes in use; node 0 is the root (no item). */
  nodes = 1;
  /** Distinct items in this tree. */
  itemCount = 0;

  item: Int32Array;
  count: Int32Array;
  parent: Int32Array;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  /** Node-link: the next node holding the same item (the header table's chain). */
  nextSame: Int32Array;

  /** Per local rank: the caller's item index, its support in this tree, its first node. */
  readonly globalOf: Int32Array;
  readonly support: Int32Array;
  readonly head: Int32Array;
  /**
   * The root's child per rank. The root can have thousands of children on sparse retail data, where
   * a linear sibling scan per inserted basket would dominate; deeper nodes have few children.
   */
  private readonly rootChild: Int32Array;

  constructor(maxItems: number, nodeCapacity = 1024) {
    const cap = Math.max(16, nodeCapacity);
    this.item = new Int32Array(cap);
    this.count = new Int32Array(cap);
    this.parent = new Int32Array(cap);
    this.firstChild = new Int32Array(cap);
    this.nextSibling = new Int32Array(cap);
    this.nextSame = new Int32Array(cap);
    this.globalOf = new Int32Array(maxItems);
    this.support = new Int32Array(maxItems);
    this.head = new Int32Array(maxItems);
    this.rootChild = new Int32Array(maxItems);
    this.reset(0);
  }

  /** Empties the tree for `itemCount` items (ranks); the caller then fills globalOf and support. */
  reset(itemCount: number): void {
    this.nodes = 1;
    this.itemCount = itemCount;
    this.firstChild[0] = -1;
    this.head.fill(-1, 0, itemCount);
    this.rootChild.fill(-1, 0, itemCount);
  }

  /** Adds `count` baskets that hold the ranks path[0..length), which must be ascending. */
  insert(path: Int32Array, length: number, count: number): void {
    let cur = 0;
    for (let i = 0; i < length; i++) {
      const r = path[i]!;
      let child: number;
      if (cur === 0) child = this.rootChild[r]!;
      else {
        child = this.firstChild[cur]!;
        while (child !== -1 && this.item[child] !== r) child = this.nextSibling[child]!;
      }
      if (child === -1) child = this.addNode(r, cur);
      this.count[child]! += count;
      cur = child;
    }
  }

  /** True when no node has two children: every itemset is then a subset of one path. */
  isSinglePath(): boolean {
    let node = 0;
    while (this.firstChild[node] !== -1) {
      const child = this.firstChild[node]!;
      if (this.nextSibling[child] !== -1) return false;
      node = child;
    }
    return true;
  }

  private addNode(rank: number, parent: number): number {
    if (this.nodes === this.item.length) this.grow();
    const n = this.nodes++;
    this.item[n] = rank;
    this.count[n] = 0;
    this.parent[n] = parent;
    this.firstChild[n] = -1;
    this.nextSibling[n] = this.firstChild[parent]!;
    this.firstChild[parent] = n;
    if (parent === 0) this.rootChild[rank] = n;
    this.nextSame[n] = this.head[rank]!;
    this.head[rank] = n;
    return n;
  }

  private grow(): void {
    const cap = this.item.length * 2;
    const bigger = (a: Int32Array): Int32Array => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.item = bigger(this.item);
    this.count = bigger(this.count);
    this.parent = bigger(this.parent);
    this.firstChild = bigger(this.firstChild);
    this.nextSibling = bigger(this.nextSibling);
    this.nextSame = bigger(this.nextSame);
  }
}
