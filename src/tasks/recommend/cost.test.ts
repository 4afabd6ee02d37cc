import { describe, expect, it } from 'vitest';
import { sequencesFromLists, trainingData } from '../../ml/recommend/training-data.js';
import { COSTS, comparisonSeconds, dataSize, estimateCandidate, fitSeconds, withKnnTable } from './cost.js';

// User 0 buys 0, 1, 1 (2 distinct items); user 1 buys 2 once.
const data = trainingData(sequencesFromLists([[0, 1, 1], [2]], 3));

describe('dataSize', () => {
  it('counts what the cost formulas read', () => {
    expect(dataSize(data, 7)).toEqual({
      users: 2,
      items: 3,
      interactions: 4,
      nonZeros: 3,
      pairs: 2 * 2 + 1 * 1,
      tokens: 3 + 1,
      meanHistory: 3, // only user 0 has 3+ interactions
      cases: 7,
    });
  });
});

describe('estimateCandidate', () => {
  it('is rate x work, a composite the sum of its parts, and unknown models have none', () => {
    const s = dataSize(data, 7);
    const pop = estimateCandidate('popularity', s)!;
    expect(pop.fitFixedSeconds).toBeCloseTo(4 * COSTS['popularity']!.fitRate, 15);
    expect(pop.casesSeconds).toBeCloseTo(7 * 3 * COSTS['popularity']!.caseRate, 15);
    expect(comparisonSeconds(pop, 1)).toBeCloseTo(2 * fitSeconds(pop, 1) + 2 * pop.casesSeconds, 15);
    const blend = estimateCandidate('sasrec-transition', s)!;
    const sasrec = estimateCandidate('sasrec', s)!;
    const multistep = estimateCandidate('transition-multistep', s)!;
    expect(blend.fitStepSeconds).toBeCloseTo(sasrec.fitStepSeconds, 15);
    expect(blend.fitFixedSeconds).toBeCloseTo(multistep.fitFixedSeconds, 15);
    expect(estimateCandidate('no-such-model', s)).toBeUndefined();
    // Once the shared kNN table exists, a transition model only counts transitions.
    const counts = COSTS['transition-counts']!;
    expect(withKnnTable(estimateCandidate('transition', s)!).fitFixedSeconds).toBeCloseTo(
      4 * counts.fitRate,
      15,
    );
    expect(estimateCandidate('item-knn-bm25', s)!.sharedKnnSeconds).toBe(0); // its own table
  });
});
