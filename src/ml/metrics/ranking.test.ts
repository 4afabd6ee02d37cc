import { describe, expect, it } from 'vitest';
import type { RankingCases } from '../recommend/split.js';
import type { ItemScorer } from '../recommend/types.js';
import { evaluateRanking, expectedHitAndGain } from './ranking.js';

// A scorer that ignores the user: the same six scores for everyone.
const fixed: ItemScorer = {
  name: 'fixed',
  items: 6,
  score: (_u, _h, out) => out.set([0.9, 0.5, 0.5, 0.1, 0.7, 0.5]),
};

// history per case in one shared array: case 0 [0], case 1 [4, 2], case 2 [].
const cases: RankingCases = {
  users: Int32Array.of(0, 1, 2),
  targets: Int32Array.of(2, 2, 0),
  items: Int32Array.of(0, 4, 2),
  starts: Int32Array.of(0, 1, 3),
  ends: Int32Array.of(1, 3, 3),
};

const L3 = 1 / Math.log2(3);
const L4 = 1 / Math.log2(4);
const L5 = 1 / Math.log2(5);

describe('evaluateRanking (hand-computed)', () => {
  // Case 0: item 0 excluded; item 4 above the target, items 1 and 5 tie with it: g = 1, t = 2, so the
  //   target's rank (0-based) is 1, 2 or 3 with probability 1/3 each.
  // Case 1: the target (2) is in the history: a miss.
  // Case 2: nothing excluded, item 0 is the single best: rank 0.
  const m = evaluateRanking(fixed, cases, { cutoffs: [1, 2, 5], coverageK: 2 });

  it('averages expected hits and gains over cases', () => {
    expect(m.cases).toBe(3);
    expect(m.hr[1]).toBeCloseTo((0 + 0 + 1) / 3, 10);
    expect(m.hr[2]).toBeCloseTo((1 / 3 + 0 + 1) / 3, 10);
    expect(m.hr[5]).toBeCloseTo((1 + 0 + 1) / 3, 10);
    expect(m.ndcg[2]).toBeCloseTo((L3 / 3 + 0 + 1) / 3, 10);
    expect(m.ndcg[5]).toBeCloseTo(((L3 + L4 + L5) / 3 + 0 + 1) / 3, 10);
    // Ranks 1-based: case 0 expects 1 + 1 + 2/2 = 3, the miss counts 6, case 2 is 1.
    expect(m.meanRank).toBeCloseTo(10 / 3, 10);
  });

  it('coverage counts distinct items in the top-k lists (ties by lower index)', () => {
    // top-2: case 0 {4, 1}, case 1 {0, 1}, case 2 {0, 4} -> {0, 1, 4} of 6 items.
    expect(m.coverage).toBe(0.5);
  });

  it('a constant scorer scores what random guessing would', () => {
    const flat: ItemScorer = { name: 'flat', items: 100, score: (_u, _h, out) => out.fill(1) };
    const one: RankingCases = {
      users: Int32Array.of(0),
      targets: Int32Array.of(7),
      items: Int32Array.of(),
      starts: Int32Array.of(0),
      ends: Int32Array.of(0),
    };
    expect(evaluateRanking(flat, one).hr[10]).toBeCloseTo(0.1, 10);
  });

  it('extra exclusions remove candidates but never the target', () => {
    const withExclude: RankingCases = {
      ...cases,
      exclude: { items: Int32Array.of(4, 2), starts: Int32Array.of(0, 2, 2), ends: Int32Array.of(2, 2, 2) },
    };
    // Case 0 loses item 4 (now g = 0, t = 2), keeps its own target 2.
    const e = evaluateRanking(fixed, withExclude, { cutoffs: [1] });
    expect(e.hr[1]).toBeCloseTo((1 / 3 + 0 + 1) / 3, 10);
  });
});

describe('expectedHitAndGain', () => {
  it('matches the definition', () => {
    expect(expectedHitAndGain(0, 0, 10)).toEqual({ hit: 1, gain: 1 });
    expect(expectedHitAndGain(10, 0, 10)).toEqual({ hit: 0, gain: 0 });
    const { hit, gain } = expectedHitAndGain(8, 3, 10); // ranks 8..11, two of four inside
    expect(hit).toBe(0.5);
    expect(gain).toBeCloseTo((1 / Math.log2(10) + 1 / Math.log2(11)) / 4, 12);
  });
});
