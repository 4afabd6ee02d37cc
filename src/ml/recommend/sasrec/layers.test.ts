import { describe, expect, it } from 'vitest';
import { Rng } from '../../../core/random.js';
import { DenseWorkspace } from '../../dense/workspace.js';
import { layerNormBackward, layerNormBackwardIn, layerNormForward, layerNormForwardIn } from './layers.js';

describe('layer norm on the SIMD kernel', () => {
  it('matches the float64-accumulating loop, forward and backward (d = 8 and 64)', () => {
    for (const d of [8, 64]) {
      const rows = 37;
      const n = rows * d;
      const ws = new DenseWorkspace(20 * n + 20 * d);
      const rng = new Rng(d);
      const fill = (a: Float32Array, s: number, o = 0) => {
        for (let i = 0; i < a.length; i++) a[i] = o + (rng.float() - 0.5) * s;
        return a;
      };
      const x = fill(ws.f32(n), 4, 1);
      const g = fill(ws.f32(d), 1, 1);
      const b = fill(ws.f32(d), 1);
      const dOut = fill(ws.f32(n), 2);
      const run = (kernel: boolean) => {
        const xhat = ws.f32(n);
        const rstd = ws.f32(rows);
        const out = ws.f32(n);
        const dg = ws.f32(d).fill(0.5);
        const db = ws.f32(d).fill(-0.5);
        const dx = ws.f32(n).fill(1); // accumulate: adds to 1
        if (kernel) {
          layerNormForwardIn(ws, x, g, b, xhat, rstd, out, rows, d);
          layerNormBackwardIn(ws, dOut, xhat, rstd, g, dg, db, dx, rows, d, true);
        } else {
          layerNormForward(x, g, b, xhat, rstd, out, rows, d);
          layerNormBackward(dOut, xhat, rstd, g, dg, db, dx, rows, d, true);
        }
        return { out, rstd, dg, db, dx };
      };
      const k = run(true);
      const j = run(false);
      for (const key of ['out', 'rstd', 'dg', 'db', 'dx'] as const) {
        for (let i = 0; i < j[key].length; i++) {
          expect(Math.abs(k[key][i]! - j[key][i]!)).toBeLessThan(2e-5 * (1 + Math.abs(j[key][i]!)));
        }
      }
      // A normalised row has mean 0 and variance 1 (up to eps): out = g * xhat + b.
      let mean = 0;
      for (let c = 0; c < d; c++) mean += (k.out[c]! - b[c]!) / g[c]!;
      expect(Math.abs(mean / d)).toBeLessThan(1e-5);
    }
  });
});
