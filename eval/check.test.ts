import { describe, expect, it, vi } from 'vitest';
import {
  afterLooking,
  equals,
  firstDifference,
  MissingInput,
  missing,
  resultText,
  runSuite,
  within,
} from './check.js';

describe('eval checks', () => {
  it('a missing input is a failure that names what is missing', () => {
    const c = missing('s', 'beats popularity', 'true', 'popularity not evaluated', 'same run');
    expect(c.pass).toBe(false);
    expect(c.actual).toBe('missing input: popularity not evaluated');
    expect(resultText(c)).toBe('**FAIL (missing input)**');
    expect(resultText(equals('s', 'n', 1, 2, 'x'))).toBe('**FAIL**');
    expect(resultText(equals('s', 'n', 2, 2, 'x'))).toBe('pass');
  });

  it('a suite that throws becomes one failed check instead of vanishing', async () => {
    const gone = await runSuite({
      name: 'basket',
      run: () => Promise.reject(new MissingInput('missing dataset file groceries/groceries_baskets.csv')),
    });
    expect(gone.checks).toHaveLength(1);
    expect(gone.checks[0]).toMatchObject({
      suite: 'basket',
      pass: false,
      missing: 'missing dataset file groceries/groceries_baskets.csv',
    });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = await runSuite({ name: 'clv', run: () => Promise.reject(new Error('NaN likelihood')) });
    expect(quiet).toHaveBeenCalledTimes(1); // the stack goes to stderr
    quiet.mockRestore();
    expect(broken.checks[0]).toMatchObject({ pass: false, actual: 'error: NaN likelihood' });
    expect(broken.checks[0]!.missing).toBeUndefined();
    const plain = await runSuite({ name: 'ok', run: () => Promise.resolve([equals('ok', 'n', 1, 1, 'x')]) });
    expect(plain.checks.map((c) => c.pass)).toEqual([true]);
  });

  it('a tolerance under 0.1% is printed, not rounded to 0.0%', () => {
    expect(within('s', 'lift', 18.995654, 18.995654, 1e-6, 'x', 6).expected).toBe('18.995654 ± 0.0001%');
    expect(within('s', 'r', 0.243, 0.2426, 0.01, 'x').expected).toBe('0.243 ± 1.0%');
    // 0.2426 is 0.16% from 0.243: inside 1%, outside 0.1%.
    expect(within('s', 'r', 0.243, 0.2426, 0.001, 'x').pass).toBe(false);
  });

  it('a threshold chosen after looking says so', () => {
    expect(afterLooking('15%, gap measured at -12%')).toBe(
      'threshold chosen after looking at the result: 15%, gap measured at -12%',
    );
  });
});

describe('firstDifference: two engines agree when counts are equal and floats within 1e-9 relative', () => {
  it('names the first path that differs', () => {
    expect(firstDifference({ a: [1, 2], b: 'x' }, { a: [1, 2], b: 'x' })).toBeNull();
    expect(firstDifference({ a: [1, 2] }, { a: [1, 3] })).toBe('$.a[1]: 2 vs 3');
    expect(firstDifference({ a: [1] }, { a: [1, 2] })).toBe('$.a: 1 vs 2 entries');
    expect(firstDifference({ a: null }, { a: 0 })).toBe('$.a: null vs 0');
    expect(firstDifference({ a: 1 }, { b: 1 })).toBe('$.a: 1 vs undefined');
  });

  it('a float within 1e-9 relative is equal, an integer count must match exactly', () => {
    expect(firstDifference(0.1 + 0.2, 0.3)).toBeNull();
    expect(firstDifference(1000.5, 1000.5 * (1 + 2e-9))).toMatch(/^\$: 1000\.5 vs/);
    expect(firstDifference(1_000_000_000, 1_000_000_001)).toBe('$: 1000000000 vs 1000000001');
  });
});
