import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import type { BaseLearnerSpec } from './base-learner.js';
import { fitUplift, predictUplift, UPLIFT_METHODS } from './learners.js';
import { fitMultiUplift, predictMultiUplift } from './multi-treatment.js';
import { stratifiedSplit } from './stratified-split.js';

/**
 * A randomised test with a known effect: x0 uniform on [0, 1], x1 noise; base response 0.2; the
 * treatment adds 0.3 when x0 > 0.5 and nothing otherwise (half treated).
 */
function trial(n: number, seed: number, effect = (x0: number) => (x0 > 0.5 ? 0.3 : 0)) {
  const rng = new Rng(seed);
  const features = new Float32Array(n * 2);
  const y = new Float32Array(n);
  const t = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x0 = rng.float();
    features[2 * i] = x0;
    features[2 * i + 1] = rng.float();
    t[i] = rng.chance(0.5) ? 1 : 0;
    y[i] = rng.chance(0.2 + (t[i] ? effect(x0) : 0)) ? 1 : 0;
  }
  return { x: { features, rows: n, cols: 2 }, y, t };
}

const probe = Float32Array.of(0.1, 0.5, 0.25, 0.5, 0.75, 0.5, 0.9, 0.5); // x0 = 0.1, 0.25, 0.75, 0.9

const gbdt: BaseLearnerSpec = {
  kind: 'gbdt',
  params: { rounds: 40, maxDepth: 2, learningRate: 0.1, minChildHessian: 20 },
};

describe('uplift learners recover a known effect (0 below x0 = 0.5, +0.3 above)', () => {
  const data = trial(8000, 7);
  for (const method of UPLIFT_METHODS) {
    it(`${method} on GBDT: about 0 then about 0.3`, () => {
      const m = fitUplift(data.x, data.y, data.t, { method, base: gbdt });
      const u = predictUplift(m, probe, 4);
      for (const i of [0, 1]) expect(Math.abs(u[i]!), `x0 low, row ${i}`).toBeLessThan(0.08);
      for (const i of [2, 3]) expect(Math.abs(u[i]! - 0.3), `x0 high, row ${i}`).toBeLessThan(0.08);
    });
  }

  it('the linear family ranks by the effect (T, X, class transformation rise with x0)', () => {
    for (const method of ['t-learner', 'x-learner', 'class-transformation'] as const) {
      const u = predictUplift(
        fitUplift(data.x, data.y, data.t, { method, base: { kind: 'logistic' } }),
        probe,
        4,
      );
      expect(u[3]! > u[0]!, method).toBe(true);
      expect(u[3]!, method).toBeGreaterThan(0.2);
    }
  });

  it('refuses one group only and flags that are not 0/1', () => {
    const ones = new Uint8Array(data.x.rows).fill(1);
    expect(() => fitUplift(data.x, data.y, ones, { method: 't-learner', base: gbdt })).toThrow(
      /needs treated and control rows \(got 8000 treated of 8000\)/,
    );
    const bad = Uint8Array.from(data.t);
    bad[3] = 2;
    expect(() => fitUplift(data.x, data.y, bad, { method: 't-learner', base: gbdt })).toThrow(
      /flag 2 at row 3/,
    );
  });
});

describe('several treatments', () => {
  it('one uplift per treatment; the best is the one that helps this customer', () => {
    // arm 1 helps when x0 > 0.5, arm 2 when x0 < 0.5 (+0.3 each); arm 0 is the control
    const rng = new Rng(3);
    const n = 9000;
    const features = new Float32Array(n * 2);
    const y = new Float32Array(n);
    const arm = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const x0 = rng.float();
      features[2 * i] = x0;
      features[2 * i + 1] = rng.float();
      arm[i] = rng.int(3);
      const lift = (arm[i] === 1 && x0 > 0.5) || (arm[i] === 2 && x0 < 0.5) ? 0.3 : 0;
      y[i] = rng.chance(0.2 + lift) ? 1 : 0;
    }
    const m = fitMultiUplift({ features, rows: n, cols: 2 }, y, arm, ['high', 'low'], {
      method: 't-learner',
      base: gbdt,
    });
    const s = predictMultiUplift(m, probe, 4);
    expect([...s.best]).toEqual([1, 1, 0, 0]);
    expect(Math.abs(s.uplift[0]![3]! - 0.3)).toBeLessThan(0.08);
    expect(Math.abs(s.uplift[1]![0]! - 0.3)).toBeLessThan(0.08);
    expect(s.bestUplift[0]).toBe(s.uplift[1]![0]);
    expect(() =>
      fitMultiUplift({ features, rows: n, cols: 2 }, y, arm, ['high'], { method: 't-learner', base: gbdt }),
    ).toThrow(/arm 2 at row/);
  });
});

describe('stratified split', () => {
  it('keeps each stratum share, covers every row once, and is seeded', () => {
    const strata = Int32Array.from({ length: 1000 }, (_, i) => (i < 100 ? 0 : i < 400 ? 1 : 3));
    const s = stratifiedSplit(strata, 0.3, 0);
    expect(s.test.length).toBe(30 + 90 + 180);
    expect(s.test.filter((r) => strata[r] === 0).length).toBe(30);
    expect(new Set([...s.train, ...s.test]).size).toBe(1000);
    expect([...stratifiedSplit(strata, 0.3, 0).test]).toEqual([...s.test]);
    expect([...stratifiedSplit(strata, 0.3, 1).test]).not.toEqual([...s.test]);
  });
});

describe('uplift artifact', () => {
  it('round-trips every method on both bases exactly', async () => {
    const { upliftFromArtifact, upliftToArtifact } = await import('./artifact.js');
    const { decodeArtifact, encodeArtifact } = await import('../artifact.js');
    const data = trial(1500, 11);
    const arm = Int32Array.from(data.t);
    for (const method of UPLIFT_METHODS) {
      for (const base of [gbdt, { kind: 'logistic' } as const]) {
        const m = fitMultiUplift(data.x, data.y, arm, ['e-mail'], { method, base });
        const back = upliftFromArtifact(decodeArtifact(encodeArtifact(upliftToArtifact(m))));
        expect([...predictMultiUplift(back, probe, 4).uplift[0]!], `${method} ${base.kind}`).toEqual([
          ...predictMultiUplift(m, probe, 4).uplift[0]!,
        ]);
      }
    }
  });
});
