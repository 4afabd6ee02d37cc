import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { compareUplift, RANDOM, RESPONSE_MODEL, summarise } from './uplift-comparison.js';

describe('uplift comparison protocol', () => {
  it('mean and sample sd over splits, per model (hand-computed)', () => {
    const s = summarise([
      { seed: 0, qini: { a: 0.1 }, upliftAt30: { a: 0.02 } },
      { seed: 1, qini: { a: 0.3 }, upliftAt30: { a: 0.04 } },
    ]);
    expect(s[0]!.name).toBe('a');
    expect(s[0]!.qini.mean).toBeCloseTo(0.2, 12);
    expect(s[0]!.qini.sd).toBeCloseTo(Math.SQRT2 * 0.1, 12); // sqrt((0.01 + 0.01) / 1)
    expect(s[0]!.upliftAt30.mean).toBeCloseTo(0.03, 12);
  });

  it('an uplift model beats the response model where the effect and the response disagree', () => {
    // x0 drives the base response (buyers buy anyway) and the effect falls with it: the response
    // model ranks the customers the e-mail changes last
    const rng = new Rng(5);
    const n = 6000;
    const features = new Float32Array(n * 2);
    const y = new Float32Array(n);
    const t = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x0 = rng.float();
      features.set([x0, rng.float()], 2 * i);
      t[i] = rng.chance(0.5) ? 1 : 0;
      y[i] = rng.chance(0.1 + 0.6 * x0 + (t[i] ? 0.3 * (1 - x0) : 0)) ? 1 : 0;
    }
    const runs = compareUplift(
      { features, rows: n, cols: 2 },
      y,
      t,
      [{ name: 't', spec: { method: 't-learner', base: { kind: 'logistic' } } }],
      [0, 1],
    );
    expect(runs.map((r) => r.seed)).toEqual([0, 1]);
    const s = summarise(runs);
    expect(s.map((m) => m.name)).toEqual(['t', RESPONSE_MODEL, RANDOM]);
    expect(s[0]!.qini.mean).toBeGreaterThan(0.03);
    expect(s[1]!.qini.mean).toBeLessThan(0);
  });
});
