import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { datasetPath } from '../../../eval/datasets.js';
import { basketsFromLists, basketsFromNames, minCountFor } from './baskets.js';
import { fpGrowth, type FrequentItemsets } from './fpgrowth.js';

/** itemset key "0,1" -> support, for comparing whole results regardless of emission order. */
function asMap(sets: FrequentItemsets): Map<string, number> {
  const m = new Map<string, number>();
  for (let s = 0; s < sets.count; s++) {
    m.set(
      Array.from(sets.items.subarray(sets.offsets[s]!, sets.offsets[s + 1]!)).join(','),
      sets.support[s]!,
    );
  }
  expect(m.size).toBe(sets.count); // no itemset reported twice
  return m;
}

// a=0, b=1, c=2, d=3. Six baskets:
//   T1 {a,b,c}  T2 {a,b}  T3 {a,c}  T4 {a,b,d}  T5 {b,d}  T6 {c}
// Counted by hand:
//   singles  a: T1 T2 T3 T4 = 4   b: T1 T2 T4 T5 = 4   c: T1 T3 T6 = 3   d: T4 T5 = 2
//   pairs    ab: T1 T2 T4 = 3   ac: T1 T3 = 2   ad: T4 = 1   bc: T1 = 1   bd: T4 T5 = 2   cd: 0
//   triples  abc: T1 = 1   abd: T4 = 1   (acd, bcd: 0)
const TINY = [[0, 1, 2], [0, 1], [0, 2], [0, 1, 3], [1, 3], [2]];

describe('fpGrowth, hand-computed', () => {
  it('min count 2: the four items and the pairs ab, ac, bd; no triple reaches 2', () => {
    const sets = fpGrowth(basketsFromLists(TINY), { minCount: 2 });
    expect(asMap(sets)).toEqual(
      new Map([
        ['0', 4],
        ['1', 4],
        ['2', 3],
        ['3', 2],
        ['0,1', 3],
        ['0,2', 2],
        ['1,3', 2],
      ]),
    );
    expect(sets.baskets).toBe(6);
  });

  it('min count 1 adds ad, bc, abc, abd (cd, acd, bcd never occur)', () => {
    const m = asMap(fpGrowth(basketsFromLists(TINY), { minCount: 1 }));
    expect(m.size).toBe(11);
    expect([m.get('0,3'), m.get('1,2'), m.get('0,1,2'), m.get('0,1,3')]).toEqual([1, 1, 1, 1]);
    expect(m.has('2,3')).toBe(false);
  });

  it('a support fraction becomes the smallest count meeting it: 0.3 x 6 = 1.8 -> 2', () => {
    expect(fpGrowth(basketsFromLists(TINY), { minSupport: 0.3 }).minCount).toBe(2);
    expect(minCountFor(0.001, 9835)).toBe(10); // arules: 10/9835 >= 0.001 > 9/9835
    expect(minCountFor(0.01, 20000)).toBe(200); // 0.01 * 20000 is 200.00000000000003 in binary
  });

  it('maxLength 1 reports only the items', () => {
    expect(asMap(fpGrowth(basketsFromLists(TINY), { minCount: 2, maxLength: 1 })).size).toBe(4);
  });

  it('a single-path tree (with a repeated item in a basket) is enumerated directly', () => {
    // {a,b,c} twice (one copy lists a twice) and {a,b}: a 3, b 3, c 2, ab 3, ac 2, bc 2, abc 2.
    const m = asMap(
      fpGrowth(
        basketsFromLists([
          [0, 1, 2],
          [0, 2, 1, 0],
          [1, 0],
        ]),
        { minCount: 2 },
      ),
    );
    expect(m).toEqual(
      new Map([
        ['0', 3],
        ['1', 3],
        ['2', 2],
        ['0,1', 3],
        ['0,2', 2],
        ['1,2', 2],
        ['0,1,2', 2],
      ]),
    );
  });

  it('empty baskets and no frequent item give no itemsets', () => {
    expect(fpGrowth(basketsFromLists([[], [0], []], 2), { minCount: 2 }).count).toBe(0);
  });

  it('agrees with brute-force subset counting on seeded random baskets', () => {
    // 200 baskets over 9 items with skewed popularity; every one of the 511 subsets is counted directly.
    let seed = 12345;
    const rand = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const lists: number[][] = [];
    for (let b = 0; b < 200; b++) {
      const basket: number[] = [];
      for (let i = 0; i < 9; i++) if (rand() < 0.6 / (1 + i * 0.3)) basket.push(i);
      lists.push(basket);
    }
    const brute = new Map<string, number>();
    for (let mask = 1; mask < 1 << 9; mask++) {
      const items = [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((i) => mask & (1 << i));
      const n = lists.filter((l) => items.every((i) => l.includes(i))).length;
      if (n >= 5 && items.length <= 4) brute.set(items.join(','), n);
    }
    const got = asMap(fpGrowth(basketsFromLists(lists, 9), { minCount: 5, maxLength: 4 }));
    expect(got).toEqual(brute);
    expect(got.size).toBeGreaterThan(100);
    // maxLength 2 takes the no-tree shortcut at the last level: still exactly the brute-force pairs.
    const pairs = new Map([...brute].filter(([key]) => key.split(',').length <= 2));
    expect(asMap(fpGrowth(basketsFromLists(lists, 9), { minCount: 5, maxLength: 2 }))).toEqual(pairs);
  });
});

// $SHOPSIGHT_DATASETS, else ../shared/datasets beside the checkout (eval/datasets.ts); skipped without it.
const GROCERIES = datasetPath('groceries', 'groceries_baskets.csv');

describe.skipIf(!existsSync(GROCERIES))('fpGrowth on Groceries (arules)', () => {
  it('finds 13,492 itemsets at support 0.001, whole milk in 2,513 baskets', () => {
    const lines = readFileSync(GROCERIES, 'utf8').trimEnd().split('\n');
    const { baskets, names } = basketsFromNames(lines.map((l) => l.split(',')));
    expect([baskets.count, names.length, baskets.itemIds.length]).toEqual([9835, 169, 43367]); // dataset README
    const sets = fpGrowth(baskets, { minSupport: 0.001 });
    // Counted independently with an Eclat over Python big-int tidsets (scratch script, recorded here):
    // 13,492 itemsets; by size 157, 2981, 6831, 3137, 376, 10.
    const bySize = [0, 0, 0, 0, 0, 0, 0];
    for (let s = 0; s < sets.count; s++) bySize[sets.offsets[s + 1]! - sets.offsets[s]!]!++;
    expect(sets.count).toBe(13492);
    expect(bySize).toEqual([0, 157, 2981, 6831, 3137, 376, 10]);
    expect(asMap(sets).get(String(names.indexOf('whole milk')))).toBe(2513);
  });
});
