/**
 * @module ml/uplift/metrics
 * Uplift model metrics defined exactly as scikit-uplift 0.5 defines them (sklift/metrics/metrics.py;
 * docs: https://www.uplift-modeling.com/en/latest/api/metrics/index.html), so figures compare with
 * the literature. eval/reference/uplift_metrics.py re-implements the same formulas in numpy and its
 * recorded output is what `metrics.test.ts` holds beside the hand-computed fixture.
 *
 *   upliftCurve(y, uplift, t)        x = customers targeted (at each distinct score), y = (rate_T - rate_C) * x
 *   qiniCurve(y, uplift, t)          y = responders_T - responders_C * n_T / n_C among the targeted
 *   perfectQiniCurve(y, t)           the Qini curve of the oracle ranking (treated responders first,
 *                                    control responders last: negative effects allowed)
 *   qiniAucScore(y, uplift, t)       (area(model) - area(random)) / (area(perfect) - area(random)),
 *                                    random = the straight line to the curve's end, trapezoid areas
 *   upliftAucScore(y, uplift, t)     the same on the uplift curve
 *   upliftAtK(y, uplift, t, k, s)    treated minus control outcome rate in the top k (fraction);
 *                                    'overall': top k of all rows; 'by_group': top k of each group
 *
 * Points are taken only at distinct score values (as sklearn's ROC curve does), so tied scores
 * count as one step and the order among ties cannot change a curve. `upliftAtK` cuts inside ties
 * the way sklift does: numpy's stable ascending argsort reversed, i.e. among equal scores the later
 * row comes first.
 *
 * @example
 *   qiniCurve([1, 0, 1, 0], [0.4, 0.3, 0.2, 0.1], [1, 1, 0, 0]); // x [0,1,2,3,4], y [0,1,1,-1,0]
 */

export type Numbers = ArrayLike<number>;

export interface Curve {
  /** Customers targeted, 0 first. */
  readonly x: Float64Array;
  readonly y: Float64Array;
}

export type UpliftAtKStrategy = 'overall' | 'by_group';

function check(what: string, y: Numbers, t: Numbers, score?: Numbers): void {
  if (y.length === 0) throw new Error(`${what}: no rows`);
  if (t.length !== y.length) throw new Error(`${what}: ${y.length} outcomes but ${t.length} treatment flags`);
  if (score && score.length !== y.length) {
    throw new Error(`${what}: ${y.length} outcomes but ${score.length} uplift scores`);
  }
  let treated = 0;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== 0 && t[i] !== 1)
      throw new Error(`${what}: treatment flag ${t[i]} at row ${i} (need 0 or 1)`);
    treated += t[i]!;
    if (!Number.isFinite(y[i]!)) throw new Error(`${what}: outcome ${y[i]} at row ${i} is not a number`);
    if (score && Number.isNaN(score[i]!)) throw new Error(`${what}: uplift score NaN at row ${i}`);
  }
  if (treated === 0 || treated === t.length) {
    throw new Error(`${what}: needs both treated and control rows (got ${treated} treated of ${t.length})`);
  }
}

/** Row indices by descending score; among equal scores the later row first (numpy argsort(kind='mergesort')[::-1]). */
export function orderByScoreDesc(score: Numbers): Uint32Array {
  const idx = Uint32Array.from({ length: score.length }, (_, i) => i);
  return idx.sort((a, b) => score[b]! - score[a]! || b - a);
}

/** Cumulative treated/control counts and outcomes at each distinct score, best first. */
function cumulative(
  y: Numbers,
  score: Numbers,
  t: Numbers,
): { all: Float64Array; nT: Float64Array; nC: Float64Array; yT: Float64Array; yC: Float64Array } {
  const order = orderByScoreDesc(score);
  const n = order.length;
  const all: number[] = [];
  const nT: number[] = [];
  const yT: number[] = [];
  const yC: number[] = [];
  let cT = 0;
  let cYT = 0;
  let cYC = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (t[i] === 1) {
      cT++;
      cYT += y[i]!;
    } else cYC += y[i]!;
    const last = k === n - 1 || score[order[k + 1]!] !== score[i];
    if (last) {
      all.push(k + 1);
      nT.push(cT);
      yT.push(cYT);
      yC.push(cYC);
    }
  }
  const allA = Float64Array.from(all);
  const nTA = Float64Array.from(nT);
  return {
    all: allA,
    nT: nTA,
    nC: allA.map((a, i) => a - nTA[i]!),
    yT: Float64Array.from(yT),
    yC: Float64Array.from(yC),
  };
}

/** Prepends the origin (0, 0), as sklift does when the first point is not already there. */
function withOrigin(x: Float64Array, y: Float64Array): Curve {
  const ox = new Float64Array(x.length + 1);
  const oy = new Float64Array(y.length + 1);
  ox.set(x, 1);
  oy.set(y, 1);
  return { x: ox, y: oy };
}

const ratio = (a: number, b: number): number => (b !== 0 ? a / b : 0);

/** sklift.metrics.uplift_curve: (treated rate - control rate) x customers targeted, at each distinct score. */
export function upliftCurve(y: Numbers, uplift: Numbers, t: Numbers): Curve {
  check('upliftCurve', y, t, uplift);
  const c = cumulative(y, uplift, t);
  const v = c.all.map((a, i) => (ratio(c.yT[i]!, c.nT[i]!) - ratio(c.yC[i]!, c.nC[i]!)) * a);
  return withOrigin(c.all, v);
}

/** sklift.metrics.qini_curve: treated responders - control responders x n_T / n_C among the targeted. */
export function qiniCurve(y: Numbers, uplift: Numbers, t: Numbers): Curve {
  check('qiniCurve', y, t, uplift);
  const c = cumulative(y, uplift, t);
  const v = c.yT.map((r, i) => r - c.yC[i]! * ratio(c.nT[i]!, c.nC[i]!));
  return withOrigin(c.all, v);
}

/**
 * sklift.metrics.perfect_qini_curve with negative_effect=True: the Qini curve of the score
 * y*t - y*(1-t) (treated responders first, control responders last).
 */
export function perfectQiniCurve(y: Numbers, t: Numbers): Curve {
  const score = Float64Array.from({ length: y.length }, (_, i) => y[i]! * t[i]! - y[i]! * (1 - t[i]!));
  return qiniCurve(y, score, t);
}

/**
 * sklift.metrics.perfect_uplift_curve: score 2*(y == t) + (y if control responders outnumber
 * treated non-responders, else t).
 */
export function perfectUpliftCurve(y: Numbers, t: Numbers): Curve {
  let controlResponders = 0;
  let treatedNonResponders = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1 && t[i] === 0) controlResponders++;
    if (y[i] === 0 && t[i] === 1) treatedNonResponders++;
  }
  const summand = controlResponders > treatedNonResponders ? y : t;
  const score = Float64Array.from({ length: y.length }, (_, i) => 2 * (y[i] === t[i] ? 1 : 0) + summand[i]!);
  return upliftCurve(y, score, t);
}

/** Trapezoid area under a curve (sklearn.metrics.auc on increasing x). */
export function trapezoid(x: Numbers, y: Numbers): number {
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i]! - x[i - 1]!) * (y[i]! + y[i - 1]!)) / 2;
  return area;
}

/** (area(actual) - area(baseline)) / (area(perfect) - area(baseline)), baseline the chord to the perfect curve's end. */
function normalisedArea(actual: Curve, perfect: Curve): number {
  const endX = perfect.x[perfect.x.length - 1]!;
  const endY = perfect.y[perfect.y.length - 1]!;
  const baseline = (endX * endY) / 2;
  return (trapezoid(actual.x, actual.y) - baseline) / (trapezoid(perfect.x, perfect.y) - baseline);
}

/** sklift.metrics.qini_auc_score (negative_effect=True): the Qini coefficient, 1 = the oracle, 0 = random. */
export function qiniAucScore(y: Numbers, uplift: Numbers, t: Numbers): number {
  return normalisedArea(qiniCurve(y, uplift, t), perfectQiniCurve(y, t));
}

/** sklift.metrics.uplift_auc_score: the same normalisation on the uplift curve. */
export function upliftAucScore(y: Numbers, uplift: Numbers, t: Numbers): number {
  return normalisedArea(upliftCurve(y, uplift, t), perfectUpliftCurve(y, t));
}

/**
 * sklift.metrics.uplift_at_k: treated minus control mean outcome among the top-scored rows.
 * 'overall': the first floor(n k) rows of the ranking; 'by_group': the first floor(n_T k) treated
 * and floor(n_C k) control rows of it. NaN when a group has no row in the top (numpy's empty mean).
 */
export function upliftAtK(
  y: Numbers,
  uplift: Numbers,
  t: Numbers,
  k: number,
  strategy: UpliftAtKStrategy,
): number {
  check('upliftAtK', y, t, uplift);
  if (!(k > 0 && k <= 1)) throw new RangeError(`upliftAtK: k must be a fraction in (0, 1] (got ${k})`);
  const order = orderByScoreDesc(uplift);
  const n = y.length;
  let nTreated = 0;
  for (let i = 0; i < n; i++) nTreated += t[i]!;
  const limitAll = Math.floor(n * k);
  const limitT = strategy === 'overall' ? Infinity : Math.floor(nTreated * k);
  const limitC = strategy === 'overall' ? Infinity : Math.floor((n - nTreated) * k);
  let sT = 0;
  let cT = 0;
  let sC = 0;
  let cC = 0;
  const stop = strategy === 'overall' ? limitAll : n;
  for (let r = 0; r < stop; r++) {
    const i = order[r]!;
    if (t[i] === 1) {
      if (cT < limitT) {
        sT += y[i]!;
        cT++;
      }
    } else if (cC < limitC) {
      sC += y[i]!;
      cC++;
    }
  }
  return sT / cT - sC / cC;
}
