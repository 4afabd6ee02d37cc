/**
 * @module ml/recommend/top-k
 * The k best (index, score) pairs of a stream, in a binary heap over typed arrays whose root is the
 * worst kept pair: O(n log k), no allocation after construction, reusable with `clear()`. "Better"
 * is a higher score, then a lower index, so results are deterministic under ties. NaN never enters.
 *
 * @example
 *   const top = new TopK(2);
 *   top.push(7, 0.5); top.push(3, 0.9); top.push(4, 0.5);
 *   top.drain(); // { indices: [3, 7], scores: [0.9, 0.5] } (7 beats 4 on the tie: lower index)
 */

export class TopK {
  readonly capacity: number;
  private readonly idx: Int32Array;
  private readonly val: Float32Array;
  private n = 0;

  constructor(k: number) {
    this.capacity = k;
    this.idx = new Int32Array(k);
    this.val = new Float32Array(k);
  }

  get size(): number {
    return this.n;
  }

  clear(): void {
    this.n = 0;
  }

  /** The worst kept score, or -Infinity while fewer than k are kept (a cheap pre-filter). */
  threshold(): number {
    return this.n < this.capacity ? -Infinity : this.val[0]!;
  }

  push(index: number, score: number): void {
    if (!(score === score) || this.capacity === 0) return; // NaN
    if (this.n < this.capacity) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!worse(score, index, this.val[p]!, this.idx[p]!)) break;
        this.val[i] = this.val[p]!;
        this.idx[i] = this.idx[p]!;
        i = p;
      }
      this.val[i] = score;
      this.idx[i] = index;
      return;
    }
    if (!worse(this.val[0]!, this.idx[0]!, score, index)) return;
    this.siftDown(0, score, index, this.n);
  }

  /** Writes the kept pairs best first into `indices` / `scores` (if given), empties the heap, returns the count. */
  drainInto(indices: Int32Array, scores?: Float32Array): number {
    const count = this.n;
    // Pop the worst repeatedly and fill from the back.
    for (let at = count - 1; at >= 0; at--) {
      indices[at] = this.idx[0]!;
      if (scores) scores[at] = this.val[0]!;
      const last = --this.n;
      if (last > 0) this.siftDown(0, this.val[last]!, this.idx[last]!, last);
    }
    return count;
  }

  drain(): { indices: Int32Array; scores: Float32Array } {
    const indices = new Int32Array(this.n);
    const scores = new Float32Array(this.n);
    this.drainInto(indices, scores);
    return { indices, scores };
  }

  private siftDown(i: number, score: number, index: number, n: number): void {
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && worse(this.val[r]!, this.idx[r]!, this.val[l]!, this.idx[l]!) ? r : l;
      if (!worse(this.val[c]!, this.idx[c]!, score, index)) break;
      this.val[i] = this.val[c]!;
      this.idx[i] = this.idx[c]!;
      i = c;
    }
    this.val[i] = score;
    this.idx[i] = index;
  }
}

/** Is (a, ai) worse than (b, bi)? Lower score, or equal score and higher index. */
function worse(a: number, ai: number, b: number, bi: number): boolean {
  return a < b || (a === b && ai > bi);
}

/**
 * The k best items of a score vector, skipping `exclude` (e.g. the user's history) and NaN.
 * Allocates only the result; pass a reused TopK for hot loops.
 */
export function topItems(
  scores: Float32Array,
  k: number,
  exclude?: Int32Array,
  heap: TopK = new TopK(k),
): { indices: Int32Array; scores: Float32Array } {
  heap.clear();
  const saved = exclude ? new Float32Array(exclude.length) : undefined;
  if (exclude) {
    for (let i = 0; i < exclude.length; i++) {
      saved![i] = scores[exclude[i]!]!;
      scores[exclude[i]!] = NaN;
    }
  }
  for (let j = 0; j < scores.length; j++) {
    const s = scores[j]!;
    if (s >= heap.threshold()) heap.push(j, s);
  }
  if (exclude) for (let i = exclude.length - 1; i >= 0; i--) scores[exclude[i]!] = saved![i]!;
  return heap.drain();
}
