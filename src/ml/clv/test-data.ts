/**
 * @module ml/clv/test-data
 * Seeded synthetic customers drawn from the BG/NBD generative story, for tests that check a fit
 * recovers the parameters that made the data. Test support only (not exported from the package).
 */
import { Rng } from '../../core/random.js';
import type { BgNbdParams } from './types.js';

/**
 * n customers, each observed for T uniform in [maxT / 2, maxT] after a first purchase at time 0.
 * a = 0 means nobody ever drops out (p = 0: the NBD, the boundary of the model).
 */
export function syntheticBgNbd(
  p: BgNbdParams,
  n: number,
  maxT: number,
  seed: number,
): { frequency: Float64Array; recency: Float64Array; T: Float64Array } {
  const rng = new Rng(seed);
  const u = (): number => rng.float();
  const frequency = new Float64Array(n);
  const recency = new Float64Array(n);
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lambda = rng.gamma(p.r, 1) / p.alpha;
    const ga = p.a === 0 ? 0 : rng.gamma(p.a, 1);
    const drop = p.a === 0 ? 0 : ga / (ga + rng.gamma(p.b, 1));
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
