/**
 * @module tasks/customers/folds
 * Stratified k-fold split of the rows a classifier may tune on. The rows of each class, in
 * ascending order, are dealt to folds 0, 1, ..., k-1, 0, 1, ... (the count runs on from the
 * first class into the second), so every fold gets the same share of each class to within one
 * row. No shuffle: the rows handed in are already a seeded random subset (`splitCustomers`), and
 * dealing them in order spreads each fold evenly over it; the folds can be checked by hand.
 *
 * @example
 *   stratifiedFolds(Int32Array.from([0, 1, 2, 3, 4, 5]), Float32Array.from([0, 1, 0, 1, 0, 1]), 2);
 *   // class 0 rows 0, 2, 4 -> folds 0, 1, 0; class 1 rows 1, 3, 5 -> folds 1, 0, 1
 *   // [[0, 3, 4], [1, 2, 5]]
 */

/** `k` disjoint folds of `rows` (each ascending); their union is exactly `rows`. */
export function stratifiedFolds(rows: Int32Array, labels: Float32Array, k: number): Int32Array[] {
  if (!Number.isInteger(k) || k < 3)
    throw new RangeError(
      `folds: k must be a whole number >= 3 (one fold scores, one stops early, the rest fit), got ${k}`,
    );
  if (rows.length < k) throw new RangeError(`folds: ${rows.length} rows cannot make ${k} folds`);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let dealt = 0;
  for (const cls of [0, 1]) {
    for (const r of rows) if (labels[r] === cls) folds[dealt++ % k]!.push(r);
  }
  if (dealt !== rows.length) throw new Error('folds: labels must be 0 or 1 on every row to fold');
  return folds.map((f) => Int32Array.from(f).sort());
}

/** The rows of every fold but those listed, ascending. */
export function foldsExcept(folds: readonly Int32Array[], ...left: number[]): Int32Array {
  const parts = folds.filter((_, i) => !left.includes(i));
  const out = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.sort();
}
