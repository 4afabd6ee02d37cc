/**
 * @module ml/metrics/rank-correlation
 * Spearman's rank correlation: Pearson's correlation of the ranks, ties at their average rank
 * (scipy.stats.spearmanr). Used to ask "does the predicted spend order customers like the actual
 * spend does", which is what a spend tier needs, whatever the scale of the prediction.
 *
 * @example
 *   spearman([1, 2, 3, 4], [10, 20, 30, 25]); // 0.8
 */
type Numbers = ArrayLike<number>;

/** Average ranks (1-based), ties sharing the mean of the ranks they span. */
export function averageRanks(v: Numbers): Float64Array {
  const n = v.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a]! - v[b]!);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j < n && v[idx[j]!]! === v[idx[i]!]!) j++;
    const r = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[idx[k]!] = r;
    i = j;
  }
  return ranks;
}

/** NaN when either side is constant (no order to compare) or the lengths differ from each other. */
export function spearman(a: Numbers, b: Numbers): number {
  if (a.length !== b.length) throw new Error(`spearman: ${a.length} vs ${b.length} values`);
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = a.length;
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = ra[i]! - mean;
    const y = rb[i]! - mean;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}
