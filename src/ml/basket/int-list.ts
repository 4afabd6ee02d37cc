/**
 * @module ml/basket/int-list
 * A growable Int32Array (doubling), for outputs whose size is known only at the end: itemsets and
 * rules are pushed one number at a time with no per-element allocation.
 */
export class IntList {
  private data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** A right-sized copy of what was pushed. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
