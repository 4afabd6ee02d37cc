/**
 * @module ml/basket/rules
 * Association rules X => Y from frequent itemsets, with the five usual measures, sorted by lift.
 * For N baskets, n(X) baskets holding X, n(Y) holding Y and n(XY) holding both:
 *   support = n(XY)/N, confidence = n(XY)/n(X), lift = confidence / (n(Y)/N),
 *   leverage = n(XY)/N - n(X)n(Y)/N^2, conviction = (1 - n(Y)/N) / (1 - confidence) (Infinity at confidence 1).
 * By default Y is one item and X is never empty, as arules' apriori reports them (arules also emits
 * {} => {y} when y alone reaches the confidence; such a rule says nothing about co-purchase).
 *
 * @example
 *   const rules = associationRules(fpGrowth(groceries, { minSupport: 0.001 }), { minConfidence: 0.5 });
 *   rules.count; // 5668, arules' "set of 5668 rules"
 *   ruleAt(rules, 0); // {Instant food products, soda} => {hamburger meat}, lift 18.9957
 */
import type { FrequentItemsets } from './fpgrowth.js';
import { IntList } from './int-list.js';
import { ItemsetIndex } from './itemset-index.js';

export interface RuleOptions {
  /** Keep rules with confidence >= this. Default 0.8, arules' `conf` default. */
  readonly minConfidence?: number;
  /** Keep rules with lift >= this. Default 0 (no filter). */
  readonly minLift?: number;
  /** Most items on the right-hand side. Default 1 (arules' apriori reports only one). */
  readonly maxConsequentLength?: number;
}

/** Rules as parallel arrays, sorted by lift descending (then confidence, joint count, antecedent and consequent items). */
export interface AssociationRules {
  readonly baskets: number;
  readonly count: number;
  /** Rule r's antecedent is antecedentItems[antecedentOffsets[r] .. antecedentOffsets[r+1]), ascending. */
  readonly antecedentOffsets: Int32Array;
  readonly antecedentItems: Int32Array;
  readonly consequentOffsets: Int32Array;
  readonly consequentItems: Int32Array;
  /** n(XY), n(X), n(Y): basket counts. */
  readonly jointCount: Int32Array;
  readonly antecedentCount: Int32Array;
  readonly consequentCount: Int32Array;
  readonly support: Float64Array;
  readonly confidence: Float64Array;
  readonly lift: Float64Array;
  readonly leverage: Float64Array;
  readonly conviction: Float64Array;
}

/** One rule as plain values, for reports and tests. */
export interface Rule {
  readonly antecedent: number[];
  readonly consequent: number[];
  readonly jointCount: number;
  readonly antecedentCount: number;
  readonly consequentCount: number;
  readonly support: number;
  readonly confidence: number;
  readonly lift: number;
  readonly leverage: number;
  readonly conviction: number;
}

export function associationRules(sets: FrequentItemsets, options: RuleOptions = {}): AssociationRules {
  const minConfidence = options.minConfidence ?? 0.8;
  const minLift = options.minLift ?? 0;
  const maxCons = options.maxConsequentLength ?? 1;
  if (!(maxCons >= 1)) throw new RangeError(`maxConsequentLength must be >= 1, got ${maxCons}`);
  const N = sets.baskets;
  const index = new ItemsetIndex(sets);

  let longest = 0;
  for (let s = 0; s < sets.count; s++) longest = Math.max(longest, sets.offsets[s + 1]! - sets.offsets[s]!);
  if (maxCons > 1 && longest > 30) {
    throw new RangeError(`itemsets of ${longest} items: multi-item consequents need itemsets of <= 30`);
  }
  const ante = new Int32Array(longest);
  const cons = new Int32Array(longest);

  const aOff = new IntList();
  const aItems = new IntList();
  const cOff = new IntList();
  const cItems = new IntList();
  const joint = new IntList();
  const nX = new IntList();
  const nY = new IntList();
  aOff.push(0);
  cOff.push(0);

  /** Keeps ante[0..na) => cons[0..nc) if it passes the thresholds (one closure per call, not per itemset). */
  const consider = (na: number, nc: number, cXY: number): void => {
    const cX = index.support(ante, 0, na);
    if (cXY / cX < minConfidence) return;
    const cY = index.support(cons, 0, nc);
    if ((cXY * N) / (cX * cY) < minLift) return;
    for (let i = 0; i < na; i++) aItems.push(ante[i]!);
    for (let i = 0; i < nc; i++) cItems.push(cons[i]!);
    aOff.push(aItems.length);
    cOff.push(cItems.length);
    joint.push(cXY);
    nX.push(cX);
    nY.push(cY);
  };

  for (let s = 0; s < sets.count; s++) {
    const from = sets.offsets[s]!;
    const k = sets.offsets[s + 1]! - from;
    if (k < 2) continue;
    const cXY = sets.support[s]!;
    if (maxCons === 1) {
      // Each item in turn on the right (by position, so itemsets longer than 31 items work too).
      for (let y = 0; y < k; y++) {
        let na = 0;
        for (let i = 0; i < k; i++) if (i !== y) ante[na++] = sets.items[from + i]!;
        cons[0] = sets.items[from + y]!;
        consider(na, 1, cXY);
      }
      continue;
    }
    const full = (1 << k) - 1;
    for (let mask = 1; mask < full; mask++) {
      if (popcount(mask) > maxCons) continue;
      let na = 0;
      let nc = 0;
      for (let i = 0; i < k; i++) {
        if (mask & (1 << i)) cons[nc++] = sets.items[from + i]!;
        else ante[na++] = sets.items[from + i]!;
      }
      consider(na, nc, cXY);
    }
  }

  return sortByLift(N, aOff.toArray(), aItems.toArray(), cOff.toArray(), cItems.toArray(), {
    joint: joint.toArray(),
    nX: nX.toArray(),
    nY: nY.toArray(),
  });
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x; v !== 0; v &= v - 1) n++;
  return n;
}

/** Lexicographic order of two rows of a compressed list (ties in the measures sort by items). */
function compareRows(off: Int32Array, items: Int32Array, a: number, b: number): number {
  const la = off[a + 1]! - off[a]!;
  const lb = off[b + 1]! - off[b]!;
  for (let i = 0; i < Math.min(la, lb); i++) {
    const d = items[off[a]! + i]! - items[off[b]! + i]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

/** Orders the rules by lift (then confidence, joint count, items) and computes the measures. */
function sortByLift(
  N: number,
  aOff: Int32Array,
  aItems: Int32Array,
  cOff: Int32Array,
  cItems: Int32Array,
  counts: { joint: Int32Array; nX: Int32Array; nY: Int32Array },
): AssociationRules {
  const count = counts.joint.length;
  const lift0 = new Float64Array(count);
  const conf0 = new Float64Array(count);
  for (let r = 0; r < count; r++) {
    lift0[r] = (counts.joint[r]! * N) / (counts.nX[r]! * counts.nY[r]!);
    conf0[r] = counts.joint[r]! / counts.nX[r]!;
  }
  const order = new Int32Array(count);
  for (let r = 0; r < count; r++) order[r] = r;
  order.sort(
    (a, b) =>
      lift0[b]! - lift0[a]! ||
      conf0[b]! - conf0[a]! ||
      counts.joint[b]! - counts.joint[a]! ||
      compareRows(aOff, aItems, a, b) ||
      compareRows(cOff, cItems, a, b),
  );

  const antecedentOffsets = new Int32Array(count + 1);
  const consequentOffsets = new Int32Array(count + 1);
  const antecedentItems = new Int32Array(aItems.length);
  const consequentItems = new Int32Array(cItems.length);
  const jointCount = new Int32Array(count);
  const antecedentCount = new Int32Array(count);
  const consequentCount = new Int32Array(count);
  const support = new Float64Array(count);
  const confidence = new Float64Array(count);
  const lift = new Float64Array(count);
  const leverage = new Float64Array(count);
  const conviction = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const r = order[i]!;
    // Plain copies: a subarray view per rule would allocate two objects per rule.
    let a = antecedentOffsets[i]!;
    for (let k = aOff[r]!; k < aOff[r + 1]!; k++) antecedentItems[a++] = aItems[k]!;
    antecedentOffsets[i + 1] = a;
    let c = consequentOffsets[i]!;
    for (let k = cOff[r]!; k < cOff[r + 1]!; k++) consequentItems[c++] = cItems[k]!;
    consequentOffsets[i + 1] = c;
    const j = counts.joint[r]!;
    const x = counts.nX[r]!;
    const y = counts.nY[r]!;
    jointCount[i] = j;
    antecedentCount[i] = x;
    consequentCount[i] = y;
    support[i] = j / N;
    confidence[i] = conf0[r]!;
    lift[i] = lift0[r]!;
    leverage[i] = j / N - (x / N) * (y / N);
    conviction[i] = conf0[r]! === 1 ? Infinity : (1 - y / N) / (1 - conf0[r]!);
  }
  return {
    baskets: N,
    count,
    antecedentOffsets,
    antecedentItems,
    consequentOffsets,
    consequentItems,
    jointCount,
    antecedentCount,
    consequentCount,
    support,
    confidence,
    lift,
    leverage,
    conviction,
  };
}

/** Rule `r` as plain values. */
export function ruleAt(rules: AssociationRules, r: number): Rule {
  return {
    antecedent: Array.from(
      rules.antecedentItems.subarray(rules.antecedentOffsets[r]!, rules.antecedentOffsets[r + 1]!),
    ),
    consequent: Array.from(
      rules.consequentItems.subarray(rules.consequentOffsets[r]!, rules.consequentOffsets[r + 1]!),
    ),
    jointCount: rules.jointCount[r]!,
    antecedentCount: rules.antecedentCount[r]!,
    consequentCount: rules.consequentCount[r]!,
    support: rules.support[r]!,
    confidence: rules.confidence[r]!,
    lift: rules.lift[r]!,
    leverage: rules.leverage[r]!,
    conviction: rules.conviction[r]!,
  };
}

/** "{a, b} => {c}" with item names, items in the order stored (ascending index). */
export function formatRule(rule: Rule, names: readonly string[]): string {
  const set = (ids: number[]): string => `{${ids.map((i) => names[i] ?? String(i)).join(', ')}}`;
  return `${set(rule.antecedent)} => ${set(rule.consequent)}`;
}
