import { describe, expect, it } from 'vitest';
import { AnswerCache } from './answer-cache.js';
import type { RecommendAnswer } from './recommender.js';

const answer = (id: string): RecommendAnswer => ({
  source: 'test',
  coldStart: false,
  items: [{ rank: 1, productId: id, title: null, score: 1, reason: 'r' }],
});

describe('AnswerCache', () => {
  it('keeps at most its capacity, dropping the least recently used', () => {
    const c = new AnswerCache(2);
    c.set('a', answer('A'));
    c.set('b', answer('B'));
    expect(c.get('a')?.items[0]!.productId).toBe('A'); // a is now the most recent
    c.set('c', answer('C'));
    expect([c.get('a') !== undefined, c.get('b') !== undefined, c.get('c') !== undefined]).toEqual([
      true,
      false,
      true,
    ]);
    expect(c.size).toBe(2);
  });

  it('computes once through the cache', () => {
    const c = new AnswerCache(10);
    let calls = 0;
    const compute = (): RecommendAnswer => (calls++, answer('X'));
    const first = c.through('u1', compute);
    expect(c.through('u1', compute)).toBe(first);
    expect(calls).toBe(1);
  });

  it('warms every key not kept yet, yielding between slices, and stops when asked', async () => {
    const c = new AnswerCache(100);
    c.set('k0', answer('kept'));
    let turns = 0;
    const timer = setInterval(() => turns++, 0);
    const computed = await c.warm(
      Array.from({ length: 50 }, (_, i) => `k${i}`),
      (key) => {
        const t = performance.now();
        while (performance.now() - t < 1); // 1 ms of work per answer
        return answer(key);
      },
      { sliceMs: 2 },
    );
    clearInterval(timer);
    expect(computed).toBe(49);
    expect(c.get('k0')!.items[0]!.productId).toBe('kept');
    expect(c.size).toBe(50);
    // About 25 slices of 2 ms: other work ran between them.
    expect(turns).toBeGreaterThan(5);
    let n = 0;
    expect(await c.warm(['x', 'y', 'z'], (k) => answer(k), { stop: () => n++ >= 1 })).toBe(1);
  });
});
