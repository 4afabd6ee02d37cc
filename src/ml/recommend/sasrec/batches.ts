/**
 * @module ml/recommend/sasrec/batches
 * Packs whole sequences back to back into one token batch, with no padding: token t carries an
 * item, its position (distance from the end of its sequence, so the newest item is position 0) and,
 * for training, the item that followed it. Sequence s occupies tokens starts[s] .. starts[s + 1].
 */

export class PackedBatch {
  tokens = 0;
  sequences = 0;
  readonly items: Int32Array;
  readonly positions: Int32Array;
  /** The next item after each token (-1 when there is none, e.g. at inference). */
  readonly targets: Int32Array;
  readonly starts: Int32Array;
  /** For each sequence, a caller's tag (e.g. the user or validation case it came from). */
  readonly tags: Int32Array;

  constructor(readonly capacity: number) {
    this.items = new Int32Array(capacity);
    this.positions = new Int32Array(capacity);
    this.targets = new Int32Array(capacity);
    this.starts = new Int32Array(capacity + 1);
    this.tags = new Int32Array(capacity);
  }

  clear(): void {
    this.tokens = 0;
    this.sequences = 0;
  }

  /**
   * Appends source[from .. to) as one sequence. With `withTargets`, the inputs are source[from ..
   * to - 1) and each token's target is the item after it (a sequence of n items gives n - 1 tokens);
   * otherwise all n items are inputs. Returns false (and appends nothing) when it would not fit.
   */
  append(source: Int32Array, from: number, to: number, withTargets: boolean, tag = 0): boolean {
    const n = withTargets ? to - from - 1 : to - from;
    if (n <= 0) return true;
    if (this.tokens + n > this.capacity) return false;
    const t0 = this.tokens;
    for (let i = 0; i < n; i++) {
      this.items[t0 + i] = source[from + i]!;
      this.positions[t0 + i] = n - 1 - i;
      this.targets[t0 + i] = withTargets ? source[from + i + 1]! : -1;
    }
    this.starts[this.sequences] = t0;
    this.tags[this.sequences] = tag;
    this.tokens += n;
    this.sequences++;
    this.starts[this.sequences] = this.tokens;
    return true;
  }

  /** Makes this batch a copy of sequences [from, to) of `src` (tokens renumbered from 0). */
  copyFrom(src: PackedBatch, from: number, to: number): this {
    const t0 = src.starts[from]!;
    const t1 = src.starts[to]!;
    this.items.set(src.items.subarray(t0, t1));
    this.positions.set(src.positions.subarray(t0, t1));
    this.targets.set(src.targets.subarray(t0, t1));
    for (let s = from; s <= to; s++) this.starts[s - from] = src.starts[s]! - t0;
    this.tokens = t1 - t0;
    this.sequences = to - from;
    return this;
  }
}
