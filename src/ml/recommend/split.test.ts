import { describe, expect, it } from 'vitest';
import { leaveLastOut, pickCases, temporalSplit } from './split.js';
import type { Sequences } from './types.js';

// u0 [5, 7, 9, 2], u1 [1, 3] (too short to evaluate), u2 [4, 6, 8]
const seqs: Sequences = {
  users: 3,
  items: 10,
  offsets: Int32Array.of(0, 4, 6, 9),
  itemIds: Int32Array.of(5, 7, 9, 2, 1, 3, 4, 6, 8),
  times: Float64Array.of(10, 20, 30, 40, 1, 2, 5, 6, 7),
};

const history = (c: { items: Int32Array; starts: Int32Array; ends: Int32Array }, i: number) => [
  ...c.items.subarray(c.starts[i]!, c.ends[i]!),
];

describe('leaveLastOut', () => {
  const s = leaveLastOut(seqs);

  it('keeps all but the last two for training, short users whole', () => {
    expect([...s.train.offsets]).toEqual([0, 2, 4, 5]);
    expect([...s.train.itemIds]).toEqual([5, 7, 1, 3, 4]);
    expect([...s.train.times!]).toEqual([10, 20, 1, 2, 5]);
    expect([...s.trainValid.itemIds]).toEqual([5, 7, 9, 1, 3, 4, 6]);
    expect(s.trainOnlyUsers).toBe(1);
  });

  it('validation: history = train items, target = second-last', () => {
    expect([...s.validation.users]).toEqual([0, 2]);
    expect([...s.validation.targets]).toEqual([9, 6]);
    expect(history(s.validation, 0)).toEqual([5, 7]);
    expect(history(s.validation, 1)).toEqual([4]);
  });

  it('test: history = all but the last, target = last', () => {
    expect([...s.test.targets]).toEqual([2, 8]);
    expect(history(s.test, 0)).toEqual([5, 7, 9]);
    expect(history(s.test, 1)).toEqual([4, 6]);
  });
});

describe('temporalSplit', () => {
  // u0 [5@10, 7@20, 9@30, 2@40], u1 [1@1, 3@2] (no history before 25 -> nothing), u2 [4@5, 6@6, 8@7]
  // plus u3 with nothing before 25 but a purchase after it (cold).
  const withCold: Sequences = {
    users: 4,
    items: 10,
    offsets: Int32Array.of(0, 4, 6, 9, 11),
    itemIds: Int32Array.of(5, 7, 9, 2, 1, 3, 4, 6, 8, 3, 3),
    times: Float64Array.of(10, 20, 30, 40, 1, 2, 5, 6, 7, 26, 27),
  };

  it('trains before the cutoff, tests first-time items after it', () => {
    const t = temporalSplit(withCold, 25);
    expect([...t.train.itemIds]).toEqual([5, 7, 1, 3, 4, 6, 8]);
    expect([...t.train.offsets]).toEqual([0, 2, 4, 7, 7]);
    expect([...t.cases.users]).toEqual([0, 0]);
    expect([...t.cases.targets]).toEqual([9, 2]);
    expect(history(t.cases, 1)).toEqual([5, 7]);
    // each case excludes the user's other new item
    expect([
      ...t.cases.exclude!.items.subarray(t.cases.exclude!.starts[0]!, t.cases.exclude!.ends[0]!),
    ]).toEqual([9, 2]);
    expect(t.coldUsers).toBe(1);
  });

  it('an end bound and an already-bought item are not targets', () => {
    const again: Sequences = { ...withCold, itemIds: Int32Array.of(5, 7, 5, 2, 1, 3, 4, 6, 8, 3, 3) };
    const t = temporalSplit(again, 25, 35);
    expect([...t.cases.targets]).toEqual([]);
  });
});

describe('pickCases', () => {
  it('keeps the cases at the given positions, the same customers in validation and test', () => {
    const s = leaveLastOut(seqs); // cases: u0 then u2
    const v = pickCases(s.validation, Int32Array.of(1));
    const t = pickCases(s.test, Int32Array.of(1));
    expect([...v.users]).toEqual([2]);
    expect([...v.targets]).toEqual([6]);
    expect(history(v, 0)).toEqual([4]);
    expect([...t.users]).toEqual([2]);
    expect([...t.targets]).toEqual([8]);
    expect(history(t, 0)).toEqual([4, 6]);
  });
});
