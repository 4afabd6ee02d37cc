/**
 * @module ml/text/rank-fusion
 * Reciprocal rank fusion (Cormack, Clarke and Buettcher, SIGIR 2009): each ranking gives an item
 * 1 / (k + rank), rank counted from 1, and the sums order the fused list. Only ranks are used, so
 * BM25 scores and embedding cosines, on different scales, combine without calibration. k = 60 is
 * the paper's value.
 *
 * @example
 *   fuseRankings([[3, 1, 2], [1, 3]]); // [{ item: 1, score: 1/62 + 1/61 }, { item: 3, ... }, { item: 2, ... }]
 */

export interface FusedItem {
  readonly item: number;
  readonly score: number;
}

export function fuseRankings(rankings: readonly (readonly number[])[], k = 60): FusedItem[] {
  const scores = new Map<number, number>();
  for (const ranking of rankings) {
    ranking.forEach((item, i) => scores.set(item, (scores.get(item) ?? 0) + 1 / (k + i + 1)));
  }
  return [...scores.entries()]
    .map(([item, score]) => ({ item, score }))
    .sort((a, b) => b.score - a.score || a.item - b.item);
}
