import { describe, expect, it } from 'vitest';
import { hash32 } from '../../core/random.js';
import {
  CHUNK,
  GRAD_LEVELS,
  HESS_LEVELS,
  PACK,
  packedGrad,
  packedHess,
  packedOf,
  quantization,
  quantizeOrdered,
} from './quantize.js';

describe('packed values', () => {
  it('decode a negative gradient sum with its hessian sum', () => {
    // Three rows: (gq, hq) = (-5, 7), (2, 0), (-1, 255): G = -4, H = 262.
    const v = -5 * PACK + 7 + (2 * PACK + 0) + (-1 * PACK + 255);
    expect(v).toBe(-4 * PACK + 262);
    expect(packedGrad(v)).toBe(-4);
    expect(packedHess(v)).toBe(262);
  });

  it("come from 16-bit codes gq * 256 + hq: every pair's code decodes to gq * PACK + hq", () => {
    const codes = new Int16Array(1);
    for (let gq = -GRAD_LEVELS; gq <= GRAD_LEVELS; gq++) {
      for (const hq of [0, 1, 128, HESS_LEVELS]) {
        codes[0] = (gq << 8) | hq; // as quantizeOrdered stores it
        expect(packedOf(codes[0]!)).toBe(gq * PACK + hq);
      }
    }
  });

  it('stay exact at the chunk limit: CHUNK rows of the extreme pair', () => {
    // 2^18 rows of (gq, hq) = (-127, 255): G = -33,292,288, H = 66,846,720 < 2^26 = 67,108,864.
    expect(CHUNK).toBe(262_144);
    expect(HESS_LEVELS * CHUNK).toBe(66_846_720);
    expect(HESS_LEVELS * CHUNK).toBeLessThan(PACK);
    const one = -GRAD_LEVELS * PACK + HESS_LEVELS;
    let v = 0;
    for (let k = 0; k < CHUNK; k++) v += one;
    expect(v).toBe(-33_292_288 * PACK + 66_846_720);
    expect(Math.abs(v)).toBeLessThan(2 ** 53);
    expect(packedGrad(v)).toBe(-33_292_288);
    expect(packedHess(v)).toBe(66_846_720);
    // The same sum of positive gradients: G = +33,292,288.
    let w = 0;
    for (let k = 0; k < CHUNK; k++) w += GRAD_LEVELS * PACK + HESS_LEVELS;
    expect(packedGrad(w)).toBe(33_292_288);
    expect(packedHess(w)).toBe(66_846_720);
  });
});

describe('quantizeOrdered', () => {
  const rows = 100_000;
  // g = 0.3 on every row but the last, which holds the largest |g| = -1; h = 0.1, the largest 0.2.
  const gh = new Float32Array(2 * rows);
  for (let r = 0; r < rows; r++) {
    gh[2 * r] = r === rows - 1 ? -1 : 0.3;
    gh[2 * r + 1] = r === rows - 1 ? 0.2 : 0.1;
  }
  const q = quantization(gh, rows, 5, 3);
  const rowIndex = Uint32Array.from({ length: rows }, (_, i) => rows - 1 - i); // reversed
  const codes = new Int16Array(rows);
  quantizeOrdered({ gh, rowIndex, codes }, q, 0, rows);
  const packed = Float64Array.from(codes, packedOf);

  it('takes its units from the largest |g| and h, which map to the end levels exactly', () => {
    expect(q.gradUnit).toBe(1 / 127);
    expect(q.hessUnit).toBe(Math.fround(0.2) / 255); // h is stored as a float32
    // Position 0 holds the last row.
    expect(packedGrad(packed[0]!)).toBe(-127);
    expect(packedHess(packed[0]!)).toBe(255);
  });

  it('rounds stochastically between the two neighbouring levels, without bias', () => {
    // 0.3 * 127 = 38.1 (float32 0.3: 38.1000006), 0.1 / (0.2 / 255) = 127.5 (float32: 127.5000019).
    let g = 0;
    let h = 0;
    for (let k = 1; k < rows; k++) {
      const gq = packedGrad(packed[k]!);
      const hq = packedHess(packed[k]!);
      expect(gq === 38 || gq === 39).toBe(true);
      expect(hq === 127 || hq === 128).toBe(true);
      g += gq;
      h += hq;
    }
    // The means of 99,999 draws: standard errors 0.0009 (g) and 0.0016 (h).
    expect(g / (rows - 1)).toBeCloseTo(38.1, 2);
    expect(h / (rows - 1)).toBeCloseTo(127.5, 2);
  });

  it("draws each row's u from hash32(row ^ key): high 16 bits for g, low 16 for h", () => {
    for (const r of [0, 1, 4242, rows - 2]) {
      const z = hash32(r ^ q.key);
      const k = rows - 1 - r; // the reversed row index
      expect(packedGrad(packed[k]!)).toBe(Math.floor(gh[2 * r]! / q.gradUnit + (z >>> 16) / 65536));
      expect(packedHess(packed[k]!)).toBe(Math.floor(gh[2 * r + 1]! / q.hessUnit + (z & 0xffff) / 65536));
    }
  });

  it('draws by row, round and seed, never by position', () => {
    const again = new Int16Array(rows);
    const inOrder = Uint32Array.from({ length: rows }, (_, i) => i);
    quantizeOrdered({ gh, rowIndex: inOrder, codes: again }, q, 0, rows);
    let same = 0;
    for (let k = 0; k < rows; k++) if (again[rows - 1 - k] === codes[k]) same++;
    expect(same).toBe(rows);
    const otherRound = new Int16Array(rows);
    quantizeOrdered({ gh, rowIndex, codes: otherRound }, quantization(gh, rows, 5, 4), 0, rows);
    expect(otherRound.filter((v, k) => v !== codes[k]).length).toBeGreaterThan(rows / 4);
  });
});
