import { afterEach, describe, expect, it } from 'vitest';
import { denseEngine, setDenseEngine } from '../dense/engine.js';
import { onnxGemmAvailable } from '../dense/onnx-gemm.js';
import { spdInverse } from './spd-inverse.js';

// A = X^T X + 2 I for a random 20 x 7 binary X (numpy, seed 3); A^-1 from numpy.linalg.inv.
const A = [
  8, 3, 1, 3, 3, 1, 1, 3, 10, 2, 2, 4, 0, 1, 1, 2, 9, 0, 3, 2, 2, 3, 2, 0, 6, 2, 0, 1, 3, 4, 3, 2, 11, 1, 2,
  1, 0, 2, 0, 1, 6, 1, 1, 1, 2, 1, 2, 1, 9,
];
const A_INV = [
  0.1734573043, -0.0294642824, 0.0002428118, -0.0695954755, -0.0215766333, -0.0252748443, -0.0007172288,
  -0.0294642824, 0.1288527701, -0.0183360292, -0.0175478246, -0.0321707005, 0.0163318976, 0.0003156554,
  0.0002428118, -0.0183360292, 0.1370766202, 0.0183696493, -0.026993205, -0.0378524974, -0.0202878628,
  -0.0695954755, -0.0175478246, 0.0183696493, 0.2156038357, -0.0169706795, 0.0109377393, -0.0157995794,
  -0.0215766333, -0.0321707005, -0.026993205, -0.0169706795, 0.1217346478, -0.0055996145, -0.0125739175,
  -0.0252748443, 0.0163318976, -0.0378524974, 0.0109377393, -0.0055996145, 0.1863076538, -0.0112664692,
  -0.0007172288, 0.0003156554, -0.0202878628, -0.0157995794, -0.0125739175, -0.0112664692, 0.121465687,
];

/** A tridiagonal SPD matrix: 4 on the diagonal, 1 beside it. */
function tridiagonal(n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    m[i * n + i] = 4;
    if (i > 0) m[i * n + i - 1] = m[(i - 1) * n + i] = 1;
  }
  return m;
}

/** X^T X + 30 I for a 0/1 X (users x n, about 1 in 12 ones): EASE's matrix, dense and coupled. */
function gramLike(users: number, n: number): Float64Array {
  const g = new Float64Array(n * n);
  let s = 7;
  for (let u = 0; u < users; u++) {
    const row: number[] = [];
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      if (s % 12 === 0) row.push(i);
    }
    for (const a of row) for (const b of row) g[a * n + b]! += 1;
  }
  for (let i = 0; i < n; i++) g[i * n + i]! += 30;
  return g;
}

afterEach(() => setDenseEngine('auto'));

describe('blocked Cholesky SPD inverse', () => {
  // Block 2 and 3 leave a ragged last tile (7 = 3 + 3 + 1); 7 and 256 are one tile.
  describe.each(['tiles', 'panels'] as const)('%s form', (method) => {
    it.each([2, 3, 7, 256])('matches numpy.linalg.inv with %i x %i tiles', (block) => {
      const inv = spdInverse(A, 7, { method, block });
      for (let i = 0; i < 49; i++) expect(inv[i]).toBeCloseTo(A_INV[i]!, 6);
    });
  });

  // The wasm kernels, then onnxruntime where it is installed: the panel form is meant for it.
  it.each(['wasm', 'auto'] as const)(
    'agrees between the forms on a 700 x 700 Gram matrix (engine %s)',
    (engine) => {
      setDenseEngine(engine);
      const n = 700;
      const g = gramLike(400, n);
      const tiles = spdInverse(g, n, { method: 'tiles', block: 64 });
      const panels = spdInverse(g, n, { method: 'panels', block: 256 });
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < n * n; i++) {
        worst = Math.max(worst, Math.abs(tiles[i]! - panels[i]!));
        scale = Math.max(scale, Math.abs(tiles[i]!));
      }
      // Two float32 orders of summation over 700 terms: agreement to about 1e-6 of the largest entry.
      expect(worst / scale).toBeLessThan(2e-5);
      // And the inverse is one: row 5 of G times column 9 of G^-1 is 0, times column 5 is 1.
      for (const [i, j] of [
        [5, 9],
        [5, 5],
        [699, 0],
      ] as const) {
        let s = 0;
        for (let p = 0; p < n; p++) s += g[i * n + p]! * panels[p * n + j]!;
        expect(s).toBeCloseTo(i === j ? 1 : 0, 4);
      }
    },
  );

  it('falls back to the tile form with the wasm engine forced', () => {
    setDenseEngine('wasm');
    expect(denseEngine()).toBe('wasm');
    const inv = spdInverse(A, 7);
    for (let i = 0; i < 49; i++) expect(inv[i]).toBeCloseTo(A_INV[i]!, 6);
    setDenseEngine('auto');
    expect(denseEngine()).toBe(onnxGemmAvailable() ? 'onnxruntime' : 'wasm');
  });

  it.each([
    ['tiles', 64],
    ['panels', 256],
  ] as const)('matches a 600 x 600 identity check across many tiles (A A^-1 = I, %s)', (method, block) => {
    const n = 600;
    const m = tridiagonal(n);
    const inv = spdInverse(m, n, { method, block });
    let worst = 0;
    for (const i of [0, 1, 63, 64, 65, 300, 599]) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (const p of [i - 1, i, i + 1]) if (p >= 0 && p < n) s += m[i * n + p]! * inv[p * n + j]!;
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it.each(['tiles', 'panels'] as const)('refuses a matrix that is not positive definite (%s)', (method) => {
    expect(() => spdInverse([1, 2, 2, 1], 2, { method, block: 64 })).toThrow(
      /not positive definite \(in rows 0-1\)/,
    );
  });
});
