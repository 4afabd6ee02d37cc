import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../../../eval/datasets.js';
import { basketsFromLists, basketsFromNames } from './baskets.js';
import { fpGrowth } from './fpgrowth.js';
import { associationRules, formatRule, ruleAt } from './rules.js';

// The same six baskets as fpgrowth.test.ts (a=0, b=1, c=2, d=3), N = 6:
//   T1 {a,b,c}  T2 {a,b}  T3 {a,c}  T4 {a,b,d}  T5 {b,d}  T6 {c}
// Frequent at count 2: a 4, b 4, c 3, d 2, ab 3, ac 2, bd 2. Rules with one item on each side, by hand:
//   X=>Y   n(XY) n(X) n(Y)  conf  lift            leverage = n(XY)/N - n(X)n(Y)/N^2   conviction
//   d=>b   2     2    4     1     1/(4/6)   = 1.5   2/6 - 8/36 = 1/9                   Infinity
//   b=>d   2     4    2     1/2   (1/2)/(2/6)= 1.5   1/9                                (1-2/6)/(1/2) = 4/3
//   a=>b   3     4    4     3/4   (3/4)/(4/6)=1.125 3/6 - 16/36 = 1/18                 (1-4/6)/(1/4) = 4/3
//   b=>a   3     4    4     3/4   1.125             1/18                               4/3
//   c=>a   2     3    4     2/3   (2/3)/(4/6)= 1    2/6 - 12/36 = 0                    (1-4/6)/(1/3) = 1
//   a=>c   2     4    3     1/2   (1/2)/(3/6)= 1    0                                  (1-3/6)/(1/2) = 1
// Sorted by lift, then confidence, then n(XY), then antecedent items: the order above.
const TINY = [[0, 1, 2], [0, 1], [0, 2], [0, 1, 3], [1, 3], [2]];
const NAMES = ['a', 'b', 'c', 'd'];

describe('associationRules, hand-computed', () => {
  const sets = fpGrowth(basketsFromLists(TINY), { minCount: 2 });

  it('every rule at confidence >= 0.5 with its five measures, sorted by lift', () => {
    const rules = associationRules(sets, { minConfidence: 0.5 });
    const got = Array.from({ length: rules.count }, (_, r) => ruleAt(rules, r));
    expect(got.map((r) => formatRule(r, NAMES))).toEqual([
      '{d} => {b}',
      '{b} => {d}',
      '{a} => {b}',
      '{b} => {a}',
      '{c} => {a}',
      '{a} => {c}',
    ]);
    expect(got.map((r) => [r.jointCount, r.antecedentCount, r.consequentCount])).toEqual([
      [2, 2, 4],
      [2, 4, 2],
      [3, 4, 4],
      [3, 4, 4],
      [2, 3, 4],
      [2, 4, 3],
    ]);
    const close = (xs: number[], want: number[]): void =>
      xs.forEach((x, i) => expect(x).toBeCloseTo(want[i]!, 12));
    close(
      got.map((r) => r.confidence),
      [1, 0.5, 0.75, 0.75, 2 / 3, 0.5],
    );
    close(
      got.map((r) => r.lift),
      [1.5, 1.5, 1.125, 1.125, 1, 1],
    );
    close(
      got.map((r) => r.support),
      [2 / 6, 2 / 6, 3 / 6, 3 / 6, 2 / 6, 2 / 6],
    );
    close(
      got.map((r) => r.leverage),
      [1 / 9, 1 / 9, 1 / 18, 1 / 18, 0, 0],
    );
    expect(got[0]!.conviction).toBe(Infinity);
    close(
      got.slice(1).map((r) => r.conviction),
      [4 / 3, 4 / 3, 4 / 3, 1, 1],
    );
  });

  it('filters by confidence and lift', () => {
    expect(associationRules(sets, { minConfidence: 0.8 }).count).toBe(1); // only d => b
    expect(associationRules(sets, { minConfidence: 0.5, minLift: 1.1 }).count).toBe(4);
    // The default confidence is arules' 0.8.
    expect(associationRules(sets).count).toBe(1);
  });

  it('multi-item consequents: {a,b,c} at count 1 gives c=>ab with n(abc)=1, n(c)=3, n(ab)=3', () => {
    const all = fpGrowth(basketsFromLists(TINY), { minCount: 1 });
    const rules = associationRules(all, { minConfidence: 0, maxConsequentLength: 2 });
    const names = Array.from({ length: rules.count }, (_, r) => formatRule(ruleAt(rules, r), NAMES));
    const i = names.indexOf('{c} => {a, b}');
    expect(i).toBeGreaterThanOrEqual(0);
    const r = ruleAt(rules, i);
    expect([r.jointCount, r.antecedentCount, r.consequentCount]).toEqual([1, 3, 3]);
    expect(r.lift).toBeCloseTo(1 / 3 / (3 / 6), 12);
    // Pairs give 2 rules each (5 pairs occur: ab ac ad bc bd) and each of abc, abd gives 6: 10 + 12.
    expect(rules.count).toBe(22);
  });
});

// $SHOPSIGHT_DATASETS, else ../shared/datasets beside the checkout (eval/datasets.ts); skipped without it.
const GROCERIES = datasetPath('groceries', 'groceries_baskets.csv');

describe.skipIf(!existsSync(GROCERIES))('associationRules on Groceries (arules)', () => {
  it('apriori(Groceries, supp=0.001, conf=0.5): the published 5,668 rules and their top 5 by lift', () => {
    const lines = readFileSync(GROCERIES, 'utf8').trimEnd().split('\n');
    const { baskets, names } = basketsFromNames(lines.map((l) => l.split(',')));
    const rules = associationRules(fpGrowth(baskets, { minSupport: 0.001 }), { minConfidence: 0.5 });
    // arules: one item on the right; {} => {y} would need an item in >= 50% of baskets (none is;
    // whole milk is in 25.6%), so all 5,668 have a non-empty left side. Recounted in Python (Eclat over
    // tidsets, then each rule by a scan of the baskets): 5,668 rules, 452 of them at confidence exactly 0.5.
    expect(rules.count).toBe(5668);
    const top = Array.from({ length: 5 }, (_, r) => ruleAt(rules, r));
    const sorted = (ids: number[]): string =>
      ids
        .map((i) => names[i])
        .sort()
        .join(', ');
    expect(top.map((r) => `${sorted(r.antecedent)} => ${sorted(r.consequent)}`)).toEqual([
      'Instant food products, soda => hamburger meat',
      'popcorn, soda => salty snack',
      'baking powder, flour => sugar',
      'ham, processed cheese => white bread',
      'Instant food products, whole milk => hamburger meat',
    ]);
    // n(XY), n(X), n(Y) from the Python scan; lift = n(XY) N / (n(X) n(Y)).
    expect(top.map((r) => [r.jointCount, r.antecedentCount, r.consequentCount])).toEqual([
      [12, 19, 327],
      [12, 19, 372],
      [10, 18, 333],
      [19, 30, 414],
      [15, 30, 327],
    ]);
    const lifts = [18.995654, 16.697793, 16.408075, 15.045491, 15.038226];
    top.forEach((r, i) => expect(r.lift).toBeCloseTo(lifts[i]!, 5));
    expect(top[0]!.leverage).toBeCloseTo(0.001155900006, 11);
    expect(top[0]!.conviction).toBeCloseTo(2.624039509042, 11);
  });
});
