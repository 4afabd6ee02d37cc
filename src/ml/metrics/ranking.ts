/**
 * @module ml/metrics/ranking
 * Full-ranking evaluation of a recommender: every case scores the WHOLE catalogue (no sampled
 * negatives), the case's history items are excluded from the ranking, and the held-out target's
 * rank gives HR@k and NDCG@k, averaged over cases; catalogue coverage@k counts the distinct items
 * that appear in any case's top k.
 *
 * @example
 *   const m = evaluateRanking(scorer, split.test); // split from ml/recommend/split leaveLastOut
 *   m.hr[10]; m.ndcg[10]; m.coverage; // e.g. 0.0868, 0.0573, 0.31
 *
 * Rules, so the numbers cannot flatter a model:
 * - Ties: the target's rank is uniformly random among the items with exactly its score, and HR/NDCG
 *   are the EXPECTED values under that draw (g items strictly above and t tied items give
 *   HR@k = clamp((k - g) / (t + 1), 0, 1)). A constant scorer therefore scores what random
 *   guessing would, never a lucky 1.
 * - A history item is not a candidate; a target that is itself in the history (a repeat purchase)
 *   counts as a miss, as in RecBole's full-sort evaluation.
 * - A NaN score is not a candidate; a NaN target score is a miss.
 * - Coverage uses the top-k list with ties broken by lower item index (deterministic).
 * One Float32Array of catalogue size is reused for every case.
 */
import type { RankingCases } from '../recommend/split.js';
import { TopK } from '../recommend/top-k.js';
import type { ItemScorer } from '../recommend/types.js';

export const DEFAULT_CUTOFFS = [5, 10, 20] as const;

export interface RankingMetrics {
  readonly cases: number;
  /** Hit rate (recall with one target) at each cutoff. */
  readonly hr: Readonly<Record<number, number>>;
  readonly ndcg: Readonly<Record<number, number>>;
  /** Distinct items in any top-`coverageK` list, over the catalogue size. */
  readonly coverage: number;
  readonly coverageK: number;
  /** Mean expected 1-based rank of the target (misses count as the catalogue size). */
  readonly meanRank: number;
}

export interface RankingOptions {
  readonly cutoffs?: readonly number[];
  readonly coverageK?: number;
}

/** Per-case expected HR and NDCG at one cutoff from g strictly-greater and t tied items. */
export function expectedHitAndGain(g: number, t: number, k: number): { hit: number; gain: number } {
  if (g >= k) return { hit: 0, gain: 0 };
  const last = Math.min(g + t, k - 1);
  let gain = 0;
  for (let r = g; r <= last; r++) gain += 1 / Math.log2(r + 2);
  return { hit: (last - g + 1) / (t + 1), gain: gain / (t + 1) };
}

export function evaluateRanking(
  scorer: ItemScorer,
  cases: RankingCases,
  options: RankingOptions = {},
): RankingMetrics {
  const cutoffs = options.cutoffs ?? DEFAULT_CUTOFFS;
  const coverageK = options.coverageK ?? 10;
  const n = scorer.items;
  const out = new Float32Array(n);
  const seen = new Uint8Array(n);
  const heap = new TopK(coverageK);
  const top = new Int32Array(coverageK);
  const hr = new Float64Array(cutoffs.length);
  const ndcg = new Float64Array(cutoffs.length);
  let rankSum = 0;
  const count = cases.users.length;
  for (let c = 0; c < count; c++) {
    const history = cases.items.subarray(cases.starts[c]!, cases.ends[c]!);
    const target = cases.targets[c]!;
    scorer.score(cases.users[c]!, history, out);
    let targetInHistory = false;
    for (let i = 0; i < history.length; i++) {
      const h = history[i]!;
      if (h === target) targetInHistory = true;
      out[h] = NaN;
    }
    if (cases.exclude) {
      const { items, starts, ends } = cases.exclude;
      for (let i = starts[c]!; i < ends[c]!; i++) if (items[i] !== target) out[items[i]!] = NaN;
    }
    const ts = out[target]!;
    if (targetInHistory || ts !== ts) {
      rankSum += n;
    } else {
      let greater = 0;
      let ties = -1; // the target ties with itself
      for (let j = 0; j < n; j++) {
        const s = out[j]!;
        if (s > ts) greater++;
        else if (s === ts) ties++;
      }
      rankSum += greater + 1 + ties / 2;
      for (let q = 0; q < cutoffs.length; q++) {
        const { hit, gain } = expectedHitAndGain(greater, ties, cutoffs[q]!);
        hr[q]! += hit;
        ndcg[q]! += gain;
      }
    }
    heap.clear();
    for (let j = 0; j < n; j++) {
      const s = out[j]!;
      if (s >= heap.threshold()) heap.push(j, s);
    }
    const kept = heap.drainInto(top);
    for (let i = 0; i < kept; i++) seen[top[i]!] = 1;
  }
  let distinct = 0;
  for (let j = 0; j < n; j++) distinct += seen[j]!;
  const hrOut: Record<number, number> = {};
  const ndcgOut: Record<number, number> = {};
  cutoffs.forEach((k, q) => {
    hrOut[k] = count ? hr[q]! / count : 0;
    ndcgOut[k] = count ? ndcg[q]! / count : 0;
  });
  return {
    cases: count,
    hr: hrOut,
    ndcg: ndcgOut,
    coverage: n ? distinct / n : 0,
    coverageK,
    meanRank: count ? rankSum / count : 0,
  };
}
