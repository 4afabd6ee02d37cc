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

describe('DenseWorkspace row kernels (SASRec layer steps, hand-computed)', () => {
  it('adds biases, fuses bias + residual with and without a mask, and bias + ReLU', () => {
    const ws = new DenseWorkspace(64);
    const x = ws.f32(8);
    const bias = ws.f32(4);
    x.set([1, 2, 3, 4, 5, 6, 7, 8]);
    bias.set([1, 2, 3, 4]);
    ws.addBiasRows(x, bias, 2, 4);
    expect([...x]).toEqual([2, 4, 6, 8, 6, 8, 10, 12]);
    const y = ws.f32(4);
    const base = ws.f32(4);
    const mask = ws.f32(4);
    const ones = ws.f32(4).fill(1);
    base.set([10, 20, 30, 40]);
    mask.set([0, 2, 0, 2]);
    y.set([1, 2, 3, 4]);
    ws.biasResidual(y, ones, base, mask, 1, 4); // x + (y + 1) * mask
    expect([...y]).toEqual([10, 26, 30, 50]);
    y.set([1, 2, 3, 4]);
    ws.biasResidual(y, ones, base, null, 1, 4);
    expect([...y]).toEqual([12, 23, 34, 45]);
    const f = ws.f32(4);
    const r = ws.f32(4);
    f.set([-2, 0.5, 1, -0.5]);
    bias.set([1, 1, -2, 0]);
    ws.biasRelu(f, bias, r, 1, 4);
    expect([...f]).toEqual([-1, 1.5, -1, -0.5]);
    expect([...r]).toEqual([0, 1.5, 0, 0]);
    expect(() => ws.addBiasRows(x, bias, 2, 3)).toThrow(/multiple of 4/);
  });

  it('adds column sums (a 16-column block and a 4-column tail), through a mask and through a ReLU', () => {
    const ws = new DenseWorkspace(256);
    const d = ws.f32(40);
    for (let i = 0; i < 40; i++) d[i] = i; // 2 rows x 20 columns: column c sums to c + (20 + c)
    const db = ws.f32(20).fill(1);
    ws.columnSums(d, db, 2, 20);
    expect([...db]).toEqual(Array.from({ length: 20 }, (_, c) => 1 + 2 * c + 20));
    const dy = ws.f32(8);
    const mask = ws.f32(8);
    const out = ws.f32(8);
    const db4 = ws.f32(4);
    dy.set([1, 2, 3, 4, 5, 6, 7, 8]);
    mask.set([1, 0, 2, 0, 0, 1, 0, 2]);
    ws.maskColumnSums(dy, mask, out, db4, 2, 4);
    expect([...out]).toEqual([1, 0, 6, 0, 0, 6, 0, 16]);
    expect([...db4]).toEqual([1, 6, 6, 16]);
    ws.maskColumnSums(dy, null, out, db4, 2, 4);
    expect([...out]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...db4]).toEqual([7, 14, 16, 28]);
    const x = ws.f32(4);
    const grad = ws.f32(4);
    const dbr = ws.f32(4);
    x.set([1, -1, 0, 2]);
    grad.set([5, 6, 7, 8]);
    ws.reluBackColumnSums(x, grad, dbr, 1, 4);
    expect([...grad]).toEqual([5, 0, 0, 8]);
    expect([...dbr]).toEqual([5, 0, 0, 8]);
  });

  it('gathers, scatters (a repeated index adds twice), takes target dots and target gradients', () => {
    const ws = new DenseWorkspace(256);
    const src = ws.f32(12);
    for (let i = 0; i < 12; i++) src[i] = i + 1; // rows [1..4], [5..8], [9..12]
    const ids = ws.i32(3);
    ids.set([2, 0, 2]);
    const rows = ws.f32(12);
    ws.gatherRows(src, ids, 3, 4, rows);
    expect([...rows]).toEqual([9, 10, 11, 12, 1, 2, 3, 4, 9, 10, 11, 12]);
    const dst = ws.f32(12);
    ws.scatterAddRows(src, ids, 3, 4, dst); // dst[2] = row 0 + row 2, dst[0] = row 1
    expect([...dst]).toEqual([5, 6, 7, 8, 0, 0, 0, 0, 10, 12, 14, 16]);
    const h = ws.f32(8);
    h.set([1, 0, 2, 0, 3, 3, 3, 3]);
    const targets = ws.i32(2);
    targets.set([1, -1]);
    const dots = ws.f32(2).fill(7);
    ws.targetDots(h, src, targets, 2, 4, dots);
    expect([...dots]).toEqual([5 + 14, 0]);
    // p(target) = 0.25, scale 0.5: g = -0.375; dh[0] = g e[1], ge[1] += g h[0]; dh[1] = 0.
    const p = ws.f32(2);
    p.set([0.25, 1]);
    const ge = ws.f32(12);
    const dh = ws.f32(8).fill(9);
    ws.targetGrads(h, src, ge, dh, targets, p, 2, 4, 0.5);
    expect([...dh]).toEqual([-1.875, -2.25, -2.625, -3, 0, 0, 0, 0]);
    expect([...ge.subarray(4, 8)]).toEqual([-0.375, 0, -0.75, 0]);
    expect([...ge.subarray(0, 4)]).toEqual([0, 0, 0, 0]);
  });

  it('embeds rows (item x scale + position, masked) and adds their gradient back', () => {
    const ws = new DenseWorkspace(256);
    const item = ws.f32(8);
    item.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const pos = ws.f32(8);
    pos.set([0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1]);
    const items = ws.i32(2);
    items.set([1, 1]);
    const positions = ws.i32(2);
    positions.set([0, 1]);
    const mask = ws.f32(8);
    mask.set([1, 0, 1, 0, 2, 2, 2, 2]);
    const x = ws.f32(8);
    ws.embedRows(item, pos, items, positions, 2, 4, 2, mask, x);
    expect([...x]).toEqual([10.5, 0, 14.5, 0, 22, 26, 30, 34]);
    const dx = ws.f32(8).fill(1);
    const gItem = ws.f32(8);
    const gPos = ws.f32(8);
    ws.embedRowsBackward(dx, mask, items, positions, 2, 4, 2, gItem, gPos);
    // item 1 twice: (mask row 0 + mask row 1) x scale 2
    expect([...gItem]).toEqual([0, 0, 0, 0, 6, 4, 6, 4]);
    expect([...gPos]).toEqual([1, 0, 1, 0, 2, 2, 2, 2]);
  });

  it('adamStepMixed on 0.5 g1 + 0.5 g2 is adamStep on their mean', () => {
    const ws = new DenseWorkspace(64);
    const p1 = ws.f32(5).fill(1);
    const p2 = ws.f32(5).fill(1);
    const g1 = ws.f32(5);
    const g2 = ws.f32(5);
    const mean = ws.f32(5);
    g1.set([2, -4, 0, 1, 6]);
    g2.set([4, 0, 0, 3, -2]);
    for (let i = 0; i < 5; i++) mean[i] = (g1[i]! + g2[i]!) / 2; // exact in float32
    const [m1, v1, m2, v2] = [ws.f32(5), ws.f32(5), ws.f32(5), ws.f32(5)];
    ws.adamStep(p1, mean, m1, v1, 0.01, 0.9, 0.98, 1e-9);
    ws.adamStepMixed(p2, g1, 0.5, g2, 0.5, m2, v2, 0.01, 0.9, 0.98, 1e-9);
    expect([...p2]).toEqual([...p1]);
    expect([...m2]).toEqual([...m1]);
    // First step from zero moments: p = 1 - lr (1 - b1) g / (sqrt(1 - b2) |g| + eps) = 1 - 0.01 sign(g) 0.1 / sqrt(0.02).
    expect(p1[0]).toBeCloseTo(1 - 0.001 / Math.sqrt(0.02), 6);
    expect(p1[2]).toBe(1);
  });
});
