import { describe, expect, it } from 'vitest';
import type { Sequences } from '../../ml/recommend/types.js';
import { evaluateRecommenders, formatRecommendTable } from './evaluate.js';
import { RECOMMENDERS, type RecommenderEntry } from './models.js';

// Four users over 5 items; item 4 is everyone's last purchase, item 3 everyone's second-last.
const seqs: Sequences = {
  users: 4,
  items: 5,
  offsets: Int32Array.of(0, 4, 8, 11, 14),
  itemIds: Int32Array.of(0, 1, 3, 4, 1, 2, 3, 4, 0, 3, 4, 2, 3, 4),
};

describe('evaluateRecommenders', () => {
  it('fits on train for validation, refits on train+validation for the test', async () => {
    const r = await evaluateRecommenders(seqs, ['popularity']);
    expect(r.validationCases).toBe(4);
    const row = r.rows[0]!;
    // Validation: train = u0 [0, 1], u1 [1, 2], u2 [0], u3 [2] -> popularity {0: 2, 1: 2, 2: 2, 3: 0,
    // 4: 0}; target 3 ties with item 4. u0 and u1: one unseen item above, one tie -> rank 2.5 (1-based);
    // u2 and u3: two above, one tie -> 3.5.
    expect(row.validation.meanRank).toBeCloseTo((2.5 + 2.5 + 3.5 + 3.5) / 4, 10);
    expect(row.validation.hr[5]).toBe(1);
    // Test: refit on all but the last item -> item 3 counts 4 (excluded everywhere: in every
    // history); target 4 (count 0) sits below 1 unseen item for u0/u1 and 2 for u2/u3.
    expect(row.test.meanRank).toBeCloseTo(2.5, 10);
    expect(row.test.hr[5]).toBe(1);
    expect(row.test.ndcg[5]).toBeCloseTo((2 / Math.log2(3) + 2 / Math.log2(4)) / 4, 6);
    expect(r.best).toBe('popularity');
    expect(formatRecommendTable(r.rows, r.best)).toContain('**popularity** (best)');
  });
});

describe('evaluateRecommenders with a failing model', () => {
  it('reports it as skipped with its message and still evaluates the others', async () => {
    const registry = RECOMMENDERS as Record<string, RecommenderEntry>;
    registry['test-throws'] = {
      description: 'throws',
      train: () => {
        throw new Error('boom (test)');
      },
    };
    try {
      const r = await evaluateRecommenders(seqs, ['test-throws', 'popularity']);
      expect(r.rows.map((x) => x.model)).toEqual(['popularity']);
      expect(r.skipped).toEqual([{ model: 'test-throws', reason: 'failed: boom (test)' }]);
      expect(r.best).toBe('popularity');
    } finally {
      delete registry['test-throws'];
    }
  });
});
