import { describe, expect, it } from 'vitest';
import { DenseWorkspace } from './workspace.js';

describe('DenseWorkspace element-wise kernels', () => {
  it('exp: relative error under 2e-7 from -87 to 88, and exactly 0 below -87 and at -Infinity', () => {
    const n = 175 * 1000 + 3; // not a multiple of 4: the scalar tail runs too
    const ws = new DenseWorkspace(2 * n + 16);
    const x = ws.f32(n);
    const y = ws.f32(n);
    for (let i = 0; i < n; i++) x[i] = -87 + (175 * i) / (n - 1);
    ws.exp(x, y, n);
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const exact = Math.exp(x[i]!);
      worst = Math.max(worst, Math.abs(y[i]! - exact) / exact);
    }
    expect(worst).toBeLessThan(2e-7);
    x.set([-Infinity, -87.5, -1000, 0, 1, Math.log(2)]);
    ws.exp(x, y, 6);
    expect([...y.subarray(0, 3)]).toEqual([0, 0, 0]);
    expect(y[3]).toBe(1);
    expect(y[4]).toBeCloseTo(Math.E, 6);
    expect(y[5]).toBeCloseTo(2, 6);
  });

  it('softmaxCrossEntropyRows: hand-computed rows, masked columns exactly 0', () => {
    const ws = new DenseWorkspace(64);
    // Row 0: target logit 0 against 0, 0 and a masked column: p = 1/3 each, loss ln 3.
    // Row 1: target logit ln 2 against 0 and ln 3 plus a tail column 0 (cols = 5): sum = 2 + 1 + 3 + 1 + 1.
    const z = ws.f32(10);
    const pos = ws.f32(2);
    const loss = ws.f64(4);
    z.set([0, 0, -Infinity, -Infinity, -Infinity, 0, Math.log(3), 0, 0, -Infinity]);
    pos.set([0, Math.log(2)]);
    ws.softmaxCrossEntropyRows(z, pos, loss, 2, 5, 0.5);
    expect(pos[0]).toBeCloseTo(1 / 3, 6);
    expect(loss[0]).toBeCloseTo(Math.log(3), 6);
    expect(z[0]).toBeCloseTo(0.5 / 3, 6);
    expect(z[1]).toBeCloseTo(0.5 / 3, 6);
    expect([z[2], z[3], z[4], z[9]]).toEqual([0, 0, 0, 0]);
    expect(pos[1]).toBeCloseTo(2 / 8, 6);
    expect(loss[1]).toBeCloseTo(Math.log(4), 6);
    expect(z[5]).toBeCloseTo(0.5 / 8, 6);
    expect(z[6]).toBeCloseTo((0.5 * 3) / 8, 6);
    expect(z[8]).toBeCloseTo(0.5 / 8, 6);
  });

  it('adamStep: two hand-computed steps (and the scalar tail)', () => {
    const ws = new DenseWorkspace(64);
    const n = 5;
    const p = ws.f32(n);
    const g = ws.f32(n);
    const m = ws.f32(n);
    const v = ws.f32(n);
    p.fill(1);
    g.set([1, -2, 0, 0.5, 3]);
    ws.adamStep(p, g, m, v, 0.01, 0.9, 0.98, 1e-9);
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      expect(m[i]).toBeCloseTo(0.1 * gi, 6);
      expect(v[i]).toBeCloseTo(0.02 * gi * gi, 6); // float32 arithmetic
      const expected = gi === 0 ? 1 : 1 - (0.01 * 0.1 * gi) / (Math.sqrt(0.02 * gi * gi) + 1e-9);
      expect(p[i]).toBeCloseTo(expected, 6);
    }
    // Second step with g = 0: the moments decay, the parameter keeps moving along m.
    const p1 = p.slice();
    g.fill(0);
    ws.adamStep(p, g, m, v, 0.01, 0.9, 0.98, 1e-9);
    const gi = 3;
    const m2 = 0.9 * 0.1 * gi;
    const v2 = 0.98 * 0.02 * gi * gi;
    expect(p[4]).toBeCloseTo(p1[4]! - (0.01 * m2) / (Math.sqrt(v2) + 1e-9), 6);
  });
});

describe('DenseWorkspace.dropoutMask', () => {
  it('keeps a share `keep` of 100,000 entries at 1 / keep, repeatable for a seed', () => {
    const n = 100_000;
    const ws = new DenseWorkspace(3 * n);
    const a = ws.f32(n);
    const b = ws.f32(n);
    const c = ws.f32(n);
    ws.dropoutMask(a, n, 12345, 0.7);
    ws.dropoutMask(b, n, 12345, 0.7);
    ws.dropoutMask(c, n, 54321, 0.7);
    let kept = 0;
    let same = 0;
    for (let i = 0; i < n; i++) {
      expect(a[i] === 0 || a[i] === Math.fround(1 / 0.7)).toBe(true);
      if (a[i] !== 0) kept++;
      if (a[i] === c[i]) same++;
    }
    expect([...a]).toEqual([...b]);
    // Binomial(100000, 0.7): sd 145; 5 sd either side.
    expect(Math.abs(kept - 70_000)).toBeLessThan(725);
    // Two streams agree where both keep or both drop: 0.7^2 + 0.3^2 = 0.58 of entries.
    expect(Math.abs(same / n - 0.58)).toBeLessThan(0.01);
  });
});
