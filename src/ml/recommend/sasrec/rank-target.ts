/**
 * @module ml/recommend/sasrec/rank-target
 * The 0-based rank of a held-out item among all items by score, its history excluded, as
 * ml/metrics/ranking counts it (ties at their expected position; a target already in the history
 * is a miss, rank = item count). Used for early stopping inside training, where building an
 * ItemScorer per check would cost a forward pass per user instead of one per batch.
 */
export function rankTarget(
  scores: Float32Array,
  at: number,
  items: number,
  target: number,
  history: Int32Array,
  from: number,
  to: number,
  seen: Int32Array,
  stamp: number,
): number {
  for (let i = from; i < to; i++) seen[history[i]!] = stamp;
  if (seen[target] === stamp) return items;
  const st = scores[at + target]!;
  let greater = 0;
  let ties = 0;
  for (let j = 0; j < items; j++) {
    const s = scores[at + j]!;
    if (s >= st && seen[j] !== stamp) {
      if (s > st) greater++;
      else ties++;
    }
  }
  return greater + (ties - 1) / 2; // the target itself is among the ties
}

/** NDCG@k of one case from its (expected) 0-based rank. */
export function ndcgAt(rank: number, k: number): number {
  return rank < k ? 1 / Math.log2(rank + 2) : 0;
}
