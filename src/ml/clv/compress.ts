/**
 * @module ml/clv/compress
 * Merges customers with identical (frequency, recency, T) into one weighted row. Every likelihood
 * here depends on a customer only through those three numbers, and in real stores many rows repeat
 * (all one-time buyers who started on the same day share x = 0, t_x = 0 and T): on the 23,570
 * CDNOW customers (times in weeks) this about halves the work per likelihood evaluation.
 */
export interface WeightedSummary {
  readonly frequency: Float64Array;
  readonly recency: Float64Array;
  readonly T: Float64Array;
  readonly weight: Float64Array;
  /** Sum of the weights (the original number of customers). */
  readonly total: number;
}

export function compressSummary(
  frequency: Float64Array,
  recency: Float64Array,
  T: Float64Array,
): WeightedSummary {
  const n = frequency.length;
  // Sort row indices by (x, t_x, T) and merge runs of equal rows: no per-row strings or objects.
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort(
    (i, j) => frequency[i]! - frequency[j]! || recency[i]! - recency[j]! || T[i]! - T[j]!,
  );
  let distinct = 0;
  for (let k = 0; k < n; k++) if (k === 0 || !sameRow(order[k - 1]!, order[k]!)) distinct++;
  const out = {
    frequency: new Float64Array(distinct),
    recency: new Float64Array(distinct),
    T: new Float64Array(distinct),
    weight: new Float64Array(distinct),
    total: n,
  };
  let j = -1;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k === 0 || !sameRow(order[k - 1]!, i)) {
      j++;
      out.frequency[j] = frequency[i]!;
      out.recency[j] = recency[i]!;
      out.T[j] = T[i]!;
    }
    out.weight[j] = out.weight[j]! + 1;
  }
  return out;

  function sameRow(i: number, k: number): boolean {
    return frequency[i] === frequency[k] && recency[i] === recency[k] && T[i] === T[k];
  }
}

/**
 * Sorted distinct values and, per entry, the index of its value among them: lets a likelihood
 * compute log(alpha + T) once per distinct T (CDNOW's T takes 84 values, one per first-purchase
 * day) instead of once per customer.
 */
export function distinctValues(a: Float64Array): { values: Float64Array; slot: Int32Array } {
  const sorted = Float64Array.from(a).sort();
  let m = 0;
  for (let k = 0; k < sorted.length; k++)
    if (k === 0 || sorted[k] !== sorted[m - 1]) sorted[m++] = sorted[k]!;
  const values = sorted.slice(0, m);
  const slot = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) {
    // Binary search: values is sorted and holds a[i].
    let lo = 0;
    let hi = m - 1;
    const v = a[i]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    slot[i] = lo;
  }
  return { values, slot };
}
