import { describe, expect, it } from 'vitest';
import { CommittedIds } from './committed-ids.js';

const T = Date.UTC(2026, 10, 30, 10);

describe('CommittedIds', () => {
  it('answers for spans from its floor on, and only for ids stored within the span', () => {
    const ids = new CommittedIds(T, 10);
    expect(ids.covers(T - 1)).toBe(false);
    expect(ids.covers(T)).toBe(true);
    ids.add(['a', 'b'], [T + 5, T + 10]);
    expect(ids.storedWithin('a', T, T + 5)).toBe(true);
    expect(ids.storedWithin('a', T + 6, T + 20)).toBe(false); // the same id at another time
    expect(ids.storedWithin('b', T + 10, T + 10)).toBe(true);
    expect(ids.storedWithin('c', T, T + 100)).toBe(false);
  });

  it('keeps nothing dated before its floor', () => {
    const ids = new CommittedIds(T, 10);
    ids.add(['old', 'new'], [T - 1, T]);
    expect(ids.size).toBe(1);
    expect(ids.storedWithin('new', T, T)).toBe(true);
  });

  it('drops the oldest flush past its capacity and moves the floor past that flush', () => {
    const ids = new CommittedIds(-Infinity, 4);
    ids.add(['a1', 'a2', 'a3'], [T + 30, T + 10, T + 20]); // newest of this flush: T + 30
    ids.add(['b1', 'b2'], [T + 40, T + 50]); // 5 ids: the first flush goes
    expect(ids.size).toBe(2);
    expect(ids.covers(T + 30)).toBe(false);
    expect(ids.covers(T + 31)).toBe(true);
    expect(ids.storedWithin('a1', T + 30, T + 30)).toBe(false);
    expect(ids.storedWithin('b2', T + 31, T + 60)).toBe(true);
  });

  it('starts again from a new floor on reset', () => {
    const ids = new CommittedIds(-Infinity, 10);
    ids.add(['a'], [T]);
    ids.reset(T + 1000);
    expect(ids.size).toBe(0);
    expect(ids.covers(T)).toBe(false);
    expect(ids.covers(T + 1000)).toBe(true);
  });
});
