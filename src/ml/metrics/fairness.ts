/**
 * @module ml/metrics/fairness
 * A classifier's figures per group of a sensitive attribute (country, sex, age band) and the gaps
 * between groups, to report, never to reweight:
 *
 *   per group   n, positives (label 1), ROC-AUC, flagged (score >= threshold), positive rate =
 *               flagged / n, true positives (flagged and label 1), true-positive rate = true
 *               positives / positives
 *   per gap     demographic-parity difference = positive rate(group) - positive rate(reference)
 *               equal-opportunity difference   = TPR(group) - TPR(reference)
 *               each with Newcombe's hybrid score interval (proportions.ts: newcombeDifference)
 *
 * Every group is compared with one reference group (the one named, else the largest), so each gap
 * is a plain difference of two independent proportions with a known interval; fairlearn's
 * "max - min over groups" is the widest of these gaps when the reference is an extreme group.
 * ROC-AUC is NaN, and the TPR null, for a group that lacks a class.
 *
 * @example
 *   const r = fairnessReport([1, 0, 1, 0], [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1], ['a', 'b'], { threshold: 0.5 });
 *   r.groups[0].positiveRate; // 1 (a: both flagged); r.gaps[0].demographicParity.difference // -1 (b - a)
 */
import { rocAuc } from './classification.js';
import { newcombeDifference, type DifferenceInterval } from './proportions.js';

type Numbers = ArrayLike<number>;

export interface GroupRates {
  readonly group: string;
  readonly n: number;
  readonly positives: number;
  /** NaN when the group lacks one class. */
  readonly rocAuc: number;
  readonly flagged: number;
  readonly positiveRate: number;
  readonly truePositives: number;
  /** Null without positives. */
  readonly truePositiveRate: number | null;
}

export interface GroupGap {
  readonly group: string;
  readonly reference: string;
  /** Null when a side has no rows. */
  readonly demographicParity: DifferenceInterval | null;
  /** Null when a side has no positives. */
  readonly equalOpportunity: DifferenceInterval | null;
}

export interface FairnessReport {
  /** Scores at or above it are flagged (the model's decision). */
  readonly threshold: number;
  readonly confidence: number;
  readonly method: string;
  readonly reference: string;
  /** Groups with at least one row, in the order of `names`. */
  readonly groups: readonly GroupRates[];
  /** Every group but the reference, against it. */
  readonly gaps: readonly GroupGap[];
}

export interface FairnessOptions {
  readonly threshold: number;
  /** Name of the reference group (default: the largest, ties by name order). */
  readonly reference?: string;
  /** Default 0.05: 95% intervals. */
  readonly alpha?: number;
}

export const FAIRNESS_METHOD =
  "Newcombe's hybrid score interval (Wilson intervals of each rate; Newcombe 1998, method 10) of a difference of two independent proportions";

/**
 * `group[i]` is the index into `names` of row i's group. Rows of every group count; a group
 * without rows is left out.
 */
export function fairnessReport(
  labels: Numbers,
  scores: Numbers,
  group: Numbers,
  names: readonly string[],
  options: FairnessOptions,
): FairnessReport {
  const n = labels.length;
  if (scores.length !== n || group.length !== n) {
    throw new Error(`fairnessReport: ${n} labels, ${scores.length} scores, ${group.length} group codes`);
  }
  if (!Number.isFinite(options.threshold)) throw new RangeError('fairnessReport: threshold must be finite');
  const alpha = options.alpha ?? 0.05;
  const k = names.length;
  const rowsOf: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) {
    const g = group[i]!;
    if (!Number.isInteger(g) || g < 0 || g >= k)
      throw new RangeError(`fairnessReport: row ${i} has group code ${g}, not 0..${k - 1}`);
    rowsOf[g]!.push(i);
  }
  const groups: GroupRates[] = [];
  for (let g = 0; g < k; g++) {
    const rows = rowsOf[g]!;
    if (rows.length === 0) continue;
    const y = rows.map((i) => labels[i]!);
    const s = rows.map((i) => scores[i]!);
    let positives = 0;
    let flagged = 0;
    let truePositives = 0;
    for (let j = 0; j < rows.length; j++) {
      const isPositive = y[j] === 1;
      const isFlagged = s[j]! >= options.threshold;
      if (isPositive) positives++;
      if (isFlagged) flagged++;
      if (isPositive && isFlagged) truePositives++;
    }
    groups.push({
      group: names[g]!,
      n: rows.length,
      positives,
      rocAuc: rocAuc(y, s),
      flagged,
      positiveRate: flagged / rows.length,
      truePositives,
      truePositiveRate: positives > 0 ? truePositives / positives : null,
    });
  }
  if (groups.length === 0) throw new Error('fairnessReport: no rows');
  const ref =
    options.reference === undefined
      ? groups.reduce((best, g) => (g.n > best.n ? g : best))
      : groups.find((g) => g.group === options.reference);
  if (!ref) {
    throw new Error(
      `fairnessReport: reference group '${options.reference}' has no rows (groups: ${groups.map((g) => g.group).join(', ')})`,
    );
  }
  const gaps = groups
    .filter((g) => g !== ref)
    .map((g): GroupGap => ({
      group: g.group,
      reference: ref.group,
      demographicParity: newcombeDifference(
        { successes: g.flagged, trials: g.n },
        { successes: ref.flagged, trials: ref.n },
        alpha,
      ),
      equalOpportunity: newcombeDifference(
        { successes: g.truePositives, trials: g.positives },
        { successes: ref.truePositives, trials: ref.positives },
        alpha,
      ),
    }));
  return {
    threshold: options.threshold,
    confidence: 1 - alpha,
    method: FAIRNESS_METHOD,
    reference: ref.group,
    groups,
    gaps,
  };
}
