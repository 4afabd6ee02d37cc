import { describe, expect, it } from 'vitest';
import { basketsFromLists } from './baskets.js';
import { CoOccurrence } from './co-occurrence.js';

// a=0, b=1, c=2, d=3:  T1 {a,b,c}  T2 {a,b,b}  T3 {a,c}  T4 {a,b,d}  T5 {b,d}  T6 {c}  T7 {a,a,d}
// With a: b in T1 T2 T4 = 3, c in T1 T3 = 2, d in T4 T7 = 2 (T2's second b and T7's second a count once).
describe('CoOccurrence', () => {
  const co = new CoOccurrence(
    basketsFromLists([[0, 1, 2], [0, 1, 1], [0, 2], [0, 1, 3], [1, 3], [2], [0, 0, 3]]),
  );

  it('counts shared baskets once each, most first, ties to the lower index', () => {
    const top = co.top(0, 5);
    expect(Array.from(top.items)).toEqual([1, 2, 3]);
    expect(Array.from(top.counts)).toEqual([3, 2, 2]);
    expect(co.basketsWith(0)).toBe(5);
  });

  it('k and a minimum count cut the list; repeated queries start from zero', () => {
    expect(Array.from(co.top(0, 1).items)).toEqual([1]);
    expect(Array.from(co.top(0, 5, 3).items)).toEqual([1]);
    // d: with a in T4 T7, with b in T4 T5.
    expect(Array.from(co.top(3, 5).counts)).toEqual([2, 2]);
    expect(Array.from(co.top(0, 5).counts)).toEqual([3, 2, 2]);
  });
});
