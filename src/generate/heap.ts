/**
 * @module generate/heap
 * A binary min-heap of (time, visitor) pairs in typed arrays: the simulation always advances the visitor
 * whose next session starts first, so sessions, orders and events come out in time order without sorting
 * anything afterwards. Ties break on the smaller visitor index, which keeps the output deterministic.
 *
 * @example
 *   const h = new TimeHeap(3); h.push(5, 0); h.push(2, 1);
 *   h.peekTime(); // 2
 *   h.pop(); // 1
 */

export class TimeHeap {
  private readonly time: Float64Array;
  private readonly who: Int32Array;
  private n = 0;

  constructor(capacity: number) {
    this.time = new Float64Array(capacity);
    this.who = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  peekTime(): number {
    return this.n > 0 ? this.time[0]! : Infinity;
  }

  push(t: number, id: number): void {
    if (this.n >= this.time.length) throw new RangeError('TimeHeap is full');
    let i = this.n++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(t, id, this.time[parent]!, this.who[parent]!)) break;
      this.time[i] = this.time[parent]!;
      this.who[i] = this.who[parent]!;
      i = parent;
    }
    this.time[i] = t;
    this.who[i] = id;
  }

  /** Removes and returns the visitor with the earliest time (-1 when empty). */
  pop(): number {
    if (this.n === 0) return -1;
    const top = this.who[0]!;
    const n = --this.n;
    if (n > 0) this.siftDown(this.time[n]!, this.who[n]!);
    return top;
  }

  private siftDown(t: number, id: number): void {
    const n = this.n;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(this.time[right]!, this.who[right]!, this.time[child]!, this.who[child]!))
        child = right;
      if (!before(this.time[child]!, this.who[child]!, t, id)) break;
      this.time[i] = this.time[child]!;
      this.who[i] = this.who[child]!;
      i = child;
    }
    this.time[i] = t;
    this.who[i] = id;
  }
}

function before(t1: number, id1: number, t2: number, id2: number): boolean {
  return t1 < t2 || (t1 === t2 && id1 < id2);
}
