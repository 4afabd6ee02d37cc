import { describe, expect, it } from 'vitest';
import { averageRanks, spearman } from './rank-correlation.js';

describe('spearman', () => {
  it('matches scipy.stats.spearmanr, ties included', () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 25])).toBeCloseTo(0.8, 12);
    // scipy.stats.spearmanr([0,0,1,5,5,2], [3,1,1,9,8,0]) = 0.492592183071889
    expect(spearman([0, 0, 1, 5, 5, 2], [3, 1, 1, 9, 8, 0])).toBeCloseTo(0.492592183071889, 12);
    expect(Array.from(averageRanks([5, 1, 5, 3]))).toEqual([3.5, 1, 3.5, 2]);
  });
  it('is NaN for a constant side', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});
