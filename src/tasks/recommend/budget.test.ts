import { describe, expect, it } from 'vitest';
import { decideCandidate, parseBudget } from './budget.js';

// One fit: 10 s per epoch; scoring the validation cases 5 s. Comparing at e epochs = 2 fits + 2
// scorings = 20e + 10 s; its final fit 10e s more.
const estimate = { fitFixedSeconds: 0, fitStepSeconds: 10, casesSeconds: 5, sharedKnnSeconds: 0 };
const shorten = { param: 'epochs', default: 40, min: 4 };

describe('decideCandidate', () => {
  it('runs a candidate as registered when it and its final fit fit the time left', () => {
    // 40 epochs: 810 s + 400 s final = 1210 s.
    expect(decideCandidate(estimate, shorten, 1210, 0)).toEqual({
      action: 'run',
      steps: 40,
      seconds: 810,
      finalSeconds: 400,
    });
  });

  it('shortens to the most epochs that fit, with a note', () => {
    // 30e + 10 <= 300 -> e = 9 (280 s); 10 epochs would need 310 s.
    const d = decideCandidate(estimate, shorten, 300, 0);
    expect(d.action).toBe('shorten');
    expect(d.steps).toBe(9);
    expect(d.seconds).toBe(190);
    expect(d.note).toBe(
      'shortened to epochs 9 (of 40): estimated 1,210 s with a final fit, 300 s of the budget left',
    );
  });

  it('keeps room for a larger final fit of a candidate already run', () => {
    // reserve 200 s: 20e + 10 + max(200, 10e) <= 300 -> e = 4 (290 s).
    expect(decideCandidate(estimate, shorten, 300, 200).steps).toBe(4);
  });

  it('skips below the least worthwhile value, and models that cannot be shortened', () => {
    // 4 epochs need 130 s.
    expect(decideCandidate(estimate, shorten, 129, 0)).toMatchObject({
      action: 'skip',
      note: 'skipped: estimated 1,210 s with a final fit, 129 s of the budget left, and even epochs 4 would not fit',
    });
    const knn = { fitFixedSeconds: 30, fitStepSeconds: 0, casesSeconds: 10, sharedKnnSeconds: 30 };
    // 2 x 30 + 2 x 10 + 30 = 110 s.
    expect(decideCandidate(knn, undefined, 110, 0).action).toBe('run');
    expect(decideCandidate(knn, undefined, 109, 0)).toEqual({
      action: 'skip',
      seconds: 80,
      note: 'skipped: estimated 110 s with a final fit, 109 s of the budget left',
    });
  });

  it('runs a model without an estimate only while time is left, and says so', () => {
    expect(decideCandidate(undefined, undefined, 10, 0).note).toMatch(/no cost estimate/);
    expect(decideCandidate(undefined, undefined, 10, 0).action).toBe('run');
    expect(decideCandidate(undefined, undefined, -5, 0).action).toBe('skip');
  });
});

describe('parseBudget', () => {
  it('reads seconds, minutes, hours and none', () => {
    expect(parseBudget('600')).toBe(600);
    expect(parseBudget('90s')).toBe(90);
    expect(parseBudget('10m')).toBe(600);
    expect(parseBudget('1.5h')).toBe(5400);
    expect(parseBudget('none')).toBe(Infinity);
  });

  it('refuses zero, negatives and words', () => {
    for (const bad of ['0', '-5', '10 minutes', 'abc', '']) {
      expect(() => parseBudget(bad)).toThrow(/--budget must be a positive duration/);
    }
  });
});
