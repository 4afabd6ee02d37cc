/**
 * @module tasks/reviews/split
 * A seeded random split of row positions (reviews are not time-ordered in labelled corpora, and the
 * issue asks for a fixed-seed 80/20 split): Fisher-Yates over 0..n-1 with the project's Rng, the
 * first `share` of the shuffled order is the first part.
 */
import { Rng } from '../../core/random.js';

export function seededSplit(
  n: number,
  share: number,
  seed: number,
): { first: Int32Array; second: Int32Array } {
  if (!(share > 0 && share < 1)) throw new RangeError(`split share must be in (0, 1), got ${share}`);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  const cut = Math.round(n * share);
  return { first: order.slice(0, cut).sort(), second: order.slice(cut).sort() };
}
