import { describe, expect, it } from 'vitest';
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

describe('blocked Cholesky SPD inverse', () => {
  // Block 2 and 3 leave a ragged last tile (7 = 3 + 3 + 1); 7 and 256 are one tile.
  it.each([2, 3, 7, 256])('matches numpy.linalg.inv with %i x %i tiles', (block) => {
    const inv = spdInverse(A, 7, block);
    for (let i = 0; i < 49; i++) expect(inv[i]).toBeCloseTo(A_INV[i]!, 6);
  });

  it('matches a 600 x 600 identity check across many tiles (A A^-1 = I)', () => {
    // A tridiagonal SPD matrix: 4 on the diagonal, 1 beside it.
    const n = 600;
    const m = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      m[i * n + i] = 4;
      if (i > 0) m[i * n + i - 1] = m[(i - 1) * n + i] = 1;
    }
    const inv = spdInverse(m, n, 64);
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

  it('refuses a matrix that is not positive definite', () => {
    expect(() => spdInverse([1, 2, 2, 1], 2)).toThrow(/not positive definite \(in rows 0-1\)/);
  });
});
