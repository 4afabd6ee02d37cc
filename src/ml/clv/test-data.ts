/**
 * @module ml/clv/test-data
 * Seeded synthetic customers drawn from the BG/NBD generative story, for tests that check a fit
 * recovers the parameters that made the data. Test support only (not exported from the package).
 */
import type { BgNbdParams } from './types.js';

/** mulberry32: a small seeded uniform generator. */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gamma(shape, 1) by Marsaglia-Tsang (with the shape < 1 boost). */
function gamma(shape: number, u: () => number): number {
  if (shape < 1) return gamma(shape + 1, u) * Math.pow(u(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      // Box-Muller normal
      x = Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const w = u();
    if (Math.log(w) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** n customers, each observed for T uniform in [maxT / 2, maxT] after a first purchase at time 0. */
export function syntheticBgNbd(
  p: BgNbdParams,
  n: number,
  maxT: number,
  seed: number,
): { frequency: Float64Array; recency: Float64Array; T: Float64Array } {
  const u = uniform(seed);
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = gamma(p.r, u) / p.alpha;
    const ga = gamma(p.a, u);
    const drop = ga / (ga + gamma(p.b, u));
    const end = maxT * (0.5 + 0.5 * u());
    let t = 0;
    let x = 0;
    let last = 0;
    for (;;) {
      t += -Math.log(1 - u()) / lambda;
      if (t > end) break;
      x++;
      last = t;
      if (u() < drop) break; // drops out right after this purchase
    }
    frequency[i] = x;
    recency[i] = last;
    T[i] = end;
  }
  return { frequency, recency, T };
}
