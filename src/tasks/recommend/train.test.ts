import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionData } from '../../features/interactions.js';
import { trainPopularity } from '../../ml/recommend/popularity.js';
import { sequencesFromLists } from '../../ml/recommend/training-data.js';
import { RECOMMENDERS, type RecommenderEntry } from './models.js';
import { trainRecommendations } from './train.js';

/** `users` customers over 6 items, each with 4 interactions (so all are evaluable). */
function store(users: number): InteractionData {
  const lists = Array.from({ length: users }, (_, u) => [u % 6, (u + 1) % 6, (u + 2) % 6, (u + 3) % 6]);
  const data = { sequences: sequencesFromLists(lists, 6), itemCategories: new Int32Array(6).fill(-1) };
  const userIds = lists.map((_, u) => `C${u}`);
  const itemIds = ['P0', 'P1', 'P2', 'P3', 'P4', 'P5'];
  return {
    data,
    userIds,
    itemIds,
    userIndex: new Map(userIds.map((id, i) => [id, i])),
    itemIndex: new Map(itemIds.map((id, i) => [id, i])),
    categories: [],
  };
}

// Test-only registry entries, removed after each test.
const registry = RECOMMENDERS as Record<string, RecommenderEntry>;
const added: string[] = [];
function register(name: string, entry: RecommenderEntry): void {
  registry[name] = entry;
  added.push(name);
}
afterEach(() => {
  for (const name of added.splice(0)) delete registry[name];
});

describe('trainRecommendations', () => {
  it('reports a candidate that throws and one that refuses, and still picks among the rest', async () => {
    let refusedFits = 0;
    register('test-throws', {
      description: 'throws while training',
      train: () => {
        throw new Error('out of memory (test)');
      },
    });
    register('test-refuses', {
      description: 'refuses every store',
      train: (d) => {
        refusedFits++;
        return trainPopularity(d);
      },
      refuses: ({ items }) => `${items} items is too many (test)`,
    });
    const r = await trainRecommendations(store(20), {
      candidates: ['popularity', 'test-throws', 'test-refuses'],
      budgetSeconds: Infinity,
    });
    expect(r.bundle.model).toBe('popularity');
    const status = Object.fromEntries(r.evaluation.candidates.map((c) => [c.model, c.status]));
    expect(status).toEqual({ popularity: 'ran', 'test-throws': 'failed', 'test-refuses': 'refused' });
    const notes = Object.fromEntries(r.evaluation.candidates.map((c) => [c.model, c.note]));
    expect(notes['test-throws']).toBe('failed: out of memory (test)');
    expect(notes['test-refuses']).toBe('refused: 6 items is too many (test)');
    expect(refusedFits).toBe(0);
    expect(r.evaluation.rows.map((x) => x.model)).toEqual(['popularity']);
    expect(r.metrics['skipped']).toEqual([
      { model: 'test-refuses', reason: 'refused: 6 items is too many (test)' },
      { model: 'test-throws', reason: 'failed: out of memory (test)' },
    ]);
  });

  it('refuses unknown candidate names with a did-you-mean before any work', async () => {
    await expect(
      trainRecommendations(store(20), { candidates: ['popularity', 'itemknn', 'transiton'] }),
    ).rejects.toThrow(
      /unknown recommender 'itemknn' \(did you mean 'item-knn'\?\), 'transiton' \(did you mean 'transition'\?\)/,
    );
    await expect(trainRecommendations(store(20), { model: 'ALS' })).rejects.toThrow(/did you mean 'als'/);
  });

  it('checks the data before training anything', async () => {
    let fits = 0;
    register('test-counts', {
      description: 'counts its fits',
      train: (d) => {
        fits++;
        return trainPopularity(d);
      },
    });
    // 9 customers with 4 interactions each: one short of MIN_EVALUABLE_USERS.
    await expect(trainRecommendations(store(9), { candidates: ['test-counts'] })).rejects.toThrow(
      /only 9 customers have 3 or more interactions; at least 10 are needed/,
    );
    expect(fits).toBe(0);
  });

  it('skips the candidates the budget cannot hold, with a note, and always runs the baseline', async () => {
    const r = await trainRecommendations(store(20), {
      candidates: ['popularity', 'item-knn', 'sasrec'],
      budgetSeconds: 1e-6,
    });
    expect(r.bundle.model).toBe('popularity');
    const byModel = new Map(r.evaluation.candidates.map((c) => [c.model, c]));
    expect(byModel.get('popularity')!.status).toBe('ran');
    for (const m of ['item-knn', 'sasrec']) {
      expect(byModel.get(m)!.status).toBe('skipped');
      expect(byModel.get(m)!.note).toMatch(
        /^skipped: estimated \d+ s with a final fit, 0 s of the budget left/,
      );
      expect(byModel.get(m)!.estimateSeconds).toBeGreaterThan(0);
    }
    expect(byModel.get('sasrec')!.note).toMatch(/even epochs 4 would not fit/);
    expect(r.evaluation.budget.seconds).toBe(1e-6);
  });

  it('serves a named model whatever the budget, compared with popularity', async () => {
    const r = await trainRecommendations(store(20), { model: 'item-knn', budgetSeconds: 1e-6 });
    expect(r.bundle.model).toBe('item-knn');
    expect(r.evaluation.candidates.map((c) => [c.model, c.status])).toEqual([
      ['popularity', 'ran'],
      ['item-knn', 'ran'],
    ]);
    expect(r.evaluation.budget.seconds).toBeNull();
  });

  it('scores a seeded sample of customers when there are more than maxCases', async () => {
    const r = await trainRecommendations(store(40), { candidates: ['popularity'], maxCases: 15 });
    expect(r.evaluation.validationCases).toBe(15);
    expect(r.evaluation.testCases).toBe(15);
    expect(r.evaluation.protocol).toMatch(/seeded sample of 15 of the 40 customers with 3\+ interactions/);
  });
});
