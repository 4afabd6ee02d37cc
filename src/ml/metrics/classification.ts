/**
 * @module ml/metrics/classification
 * The metrics every classification task reports, defined exactly as scikit-learn defines them so
 * figures compare with the literature (the tests hold sklearn's outputs as literals).
 *
 *   rocAuc(labels, scores)                  area under the ROC curve; tied scores get average ranks
 *   prAuc(labels, scores)                   average precision, sum_k (R_k - R_{k-1}) P_k
 *   brier(labels, probs)                    mean squared error of the probabilities
 *   liftAtTop(labels, scores, fraction)     positive rate in the top fraction / overall rate
 *   atReviewRate(labels, scores, rate)      precision, recall and score threshold in the top rate
 *   scoreAtRate(scores, rate)               the score that holds the top rate (no labels needed)
 *   atThreshold(labels, scores, threshold)  precision, recall and share held at a fixed threshold
 *   calibrationTable(labels, probs, bins)   per probability bin: mean predicted, observed rate, count
 *
 * Labels are 0/1 (any typed or plain number array); higher score = more likely positive.
 *
 * @example
 *   rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]); // 0.75
 */

type Numbers = ArrayLike<number>;

function checkPair(what: string, labels: Numbers, scores: Numbers): void {
  if (labels.length !== scores.length) {
    throw new Error(`${what}: ${labels.length} labels but ${scores.length} scores`);
  }
  if (labels.length === 0) throw new Error(`${what}: no rows`);
}

/** Row indices by descending score (stable, so equal scores keep their row order). */
function byScoreDesc(scores: Numbers): Uint32Array {
  const idx = Uint32Array.from({ length: scores.length }, (_, i) => i);
  return idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

function positives(labels: Numbers): number {
  let p = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]! === 1) p++;
  return p;
}

/** Mann-Whitney form: (sum of positive ranks - P(P+1)/2) / (P N), ties at average rank. NaN if one class is absent. */
export function rocAuc(labels: Numbers, scores: Numbers): number {
  checkPair('rocAuc', labels, scores);
  const n = labels.length;
  const p = positives(labels);
  if (p === 0 || p === n) return NaN;
  const idx = byScoreDesc(scores);
  // Ranks ascend with the score; walking from the top, the group [i, j) has ranks n-j+1 .. n-i.
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    let pos = 0;
    while (j < n && scores[idx[j]!]! === scores[idx[i]!]!) pos += labels[idx[j++]!]! === 1 ? 1 : 0;
    rankSum += pos * ((n - j + 1 + (n - i)) / 2);
    i = j;
  }
  return (rankSum - (p * (p + 1)) / 2) / (p * (n - p));
}

/**
 * Average precision (scikit-learn's `average_precision_score`): at every distinct score threshold,
 * precision weighted by the recall gained there. No interpolation. NaN without positives.
 */
export function prAuc(labels: Numbers, scores: Numbers): number {
  checkPair('prAuc', labels, scores);
  const n = labels.length;
  const p = positives(labels);
  if (p === 0) return NaN;
  const idx = byScoreDesc(scores);
  let tp = 0;
  let ap = 0;
  for (let i = 0; i < n;) {
    let j = i;
    let gained = 0;
    while (j < n && scores[idx[j]!]! === scores[idx[i]!]!) gained += labels[idx[j++]!]! === 1 ? 1 : 0;
    tp += gained;
    if (gained > 0) ap += (gained / p) * (tp / j);
    i = j;
  }
  return ap;
}

/** Mean negative log-likelihood of 0/1 labels under probabilities (clipped to [1e-15, 1 - 1e-15], as scikit-learn). */
export function logLoss(labels: Numbers, probs: Numbers): number {
  checkPair('logLoss', labels, probs);
  let s = 0;
  for (let i = 0; i < labels.length; i++) {
    const q = Math.min(Math.max(probs[i]!, 1e-15), 1 - 1e-15);
    s -= labels[i] === 1 ? Math.log(q) : Math.log(1 - q);
  }
  return s / labels.length;
}

/** Mean of (p - y)^2: 0 is perfect, 0.25 is a constant 0.5. */
export function brier(labels: Numbers, probs: Numbers): number {
  checkPair('brier', labels, probs);
  let s = 0;
  for (let i = 0; i < labels.length; i++) s += (probs[i]! - labels[i]!) ** 2;
  return s / labels.length;
}

/**
 * Lift in the top `fraction` of rows by score (0.1 = top decile): the positive rate there divided
 * by the overall rate. The top holds exactly fraction * n rows; a group of tied scores that
 * straddles the cut counts with its average positive rate, so the result never depends on row order.
 */
export function liftAtTop(labels: Numbers, scores: Numbers, fraction: number): number {
  checkPair('liftAtTop', labels, scores);
  if (!(fraction > 0 && fraction <= 1))
    throw new RangeError(`liftAtTop: fraction in (0, 1] (got ${fraction})`);
  const n = labels.length;
  const p = positives(labels);
  if (p === 0) return NaN;
  const k = fraction * n;
  return top(labels, scores, k).positives / k / (p / n);
}

/**
 * Positives among the k highest scores (k may be fractional) and the lowest score taken; a tied
 * group straddling the cut counts with its average positive rate.
 */
function top(labels: Numbers, scores: Numbers, k: number): { positives: number; lowest: number } {
  const n = labels.length;
  const idx = byScoreDesc(scores);
  let taken = 0;
  let pos = 0;
  let lowest = Infinity;
  for (let i = 0; i < n && taken < k;) {
    let j = i;
    let gpos = 0;
    while (j < n && scores[idx[j]!]! === scores[idx[i]!]!) gpos += labels[idx[j++]!]! === 1 ? 1 : 0;
    const size = j - i;
    const use = Math.min(size, k - taken);
    pos += (gpos * use) / size;
    taken += use;
    lowest = scores[idx[i]!]!;
    i = j;
  }
  return { positives: pos, lowest };
}

export interface ReviewRateFigures {
  /** Rows reviewed: round(rate * n), at least 1. */
  readonly reviewed: number;
  readonly precision: number;
  /** NaN without positives. */
  readonly recall: number;
  /** The lowest score inside the reviewed share: hold orders scoring at or above it. */
  readonly threshold: number;
}

/**
 * Precision and recall when the top `rate` of rows by score is reviewed (0.02 = the riskiest 2%);
 * ties at the cut count with their average positive rate, as in liftAtTop.
 */
export function atReviewRate(labels: Numbers, scores: Numbers, rate: number): ReviewRateFigures {
  checkPair('atReviewRate', labels, scores);
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`atReviewRate: rate in (0, 1] (got ${rate})`);
  const reviewed = Math.max(1, Math.round(rate * labels.length));
  const t = top(labels, scores, reviewed);
  const p = positives(labels);
  return {
    reviewed,
    precision: t.positives / reviewed,
    recall: p === 0 ? NaN : t.positives / p,
    threshold: t.lowest,
  };
}

/**
 * The lowest score among the top `rate` of rows (round(rate * n), at least 1): what atReviewRate
 * calls the threshold, from scores alone, so it can be cut on one part of the data and then measured
 * with atThreshold on another that never chose it.
 */
export function scoreAtRate(scores: Numbers, rate: number): number {
  if (scores.length === 0) throw new Error('scoreAtRate: no rows');
  if (!(rate > 0 && rate <= 1)) throw new RangeError(`scoreAtRate: rate in (0, 1] (got ${rate})`);
  const sorted = Float64Array.from(scores).sort();
  return sorted[sorted.length - Math.max(1, Math.round(rate * sorted.length))]!;
}

export interface ThresholdFigures {
  /** Rows scoring at or above the threshold. */
  readonly held: number;
  /** held / rows: the review rate the threshold gives on these rows. */
  readonly heldShare: number;
  /** NaN when nothing is held. */
  readonly precision: number;
  /** NaN without positives. */
  readonly recall: number;
}

/** Precision and recall of holding every row scoring at or above a threshold fixed beforehand. */
export function atThreshold(labels: Numbers, scores: Numbers, threshold: number): ThresholdFigures {
  checkPair('atThreshold', labels, scores);
  let held = 0;
  let caught = 0;
  for (let i = 0; i < scores.length; i++) {
    if (scores[i]! >= threshold) {
      held++;
      if (labels[i]! === 1) caught++;
    }
  }
  const p = positives(labels);
  return {
    held,
    heldShare: held / scores.length,
    precision: held === 0 ? NaN : caught / held,
    recall: p === 0 ? NaN : caught / p,
  };
}

export interface CalibrationBin {
  /** Bin edges (lower exclusive except for the first bin, upper inclusive, as sklearn bins them). */
  readonly lower: number;
  readonly upper: number;
  /** Mean predicted probability of the rows in the bin (NaN when empty). */
  readonly meanPredicted: number;
  /** Share of positives among them (NaN when empty). */
  readonly observedRate: number;
  readonly count: number;
}

/**
 * Reliability table. 'uniform': equal-width bins over [0, 1]; 'quantile': edges at the quantiles of
 * the predictions (equal counts). Empty bins are kept with count 0 (sklearn's calibration_curve
 * drops them; otherwise the figures are the same).
 */
export function calibrationTable(
  labels: Numbers,
  probs: Numbers,
  bins = 10,
  strategy: 'uniform' | 'quantile' = 'uniform',
): CalibrationBin[] {
  checkPair('calibrationTable', labels, probs);
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new RangeError(`calibrationTable: bins >= 1 (got ${bins})`);
  const n = labels.length;
  const edges = new Float64Array(bins + 1);
  if (strategy === 'uniform') {
    // numpy's linspace(0, 1, bins + 1): i * step.
    const step = 1 / bins;
    for (let i = 0; i <= bins; i++) edges[i] = i * step;
    edges[bins] = 1;
  } else {
    const sorted = Float64Array.from(probs).sort();
    for (let i = 0; i <= bins; i++) {
      // numpy percentile, linear interpolation.
      const pos = (i / bins) * (n - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(lo + 1, n - 1);
      edges[i] = sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
    }
  }
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const p = probs[i]!;
    // sklearn: searchsorted(edges[1:-1], p, side='left') = the number of inner edges below p.
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (edges[mid + 1]! < p) lo = mid + 1;
      else hi = mid;
    }
    sumP[lo]! += p;
    sumY[lo]! += labels[i]!;
    count[lo]!++;
  }
  const out: CalibrationBin[] = [];
  for (let b = 0; b < bins; b++) {
    const c = count[b]!;
    out.push({
      lower: edges[b]!,
      upper: edges[b + 1]!,
      meanPredicted: c > 0 ? sumP[b]! / c : NaN,
      observedRate: c > 0 ? sumY[b]! / c : NaN,
      count: c,
    });
  }
  return out;
}
