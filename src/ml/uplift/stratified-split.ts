/**
 * @module ml/uplift/stratified-split
 * A seeded train/test split that keeps every stratum's share (scikit-learn's
 * `train_test_split(stratify=...)` in intent, not in its random stream): the rows of each stratum
 * are shuffled with the seed and round(n_s x testFraction) of them go to the test part. Uplift
 * evaluation stratifies by treatment and outcome together (stratum = 2 t + y), so both parts keep
 * the treated share and the response rates.
 *
 * @example
 *   stratifiedSplit(Int32Array.from([0, 0, 1, 1]), 0.5, 0); // { train: [a, c], test: [b, d] }, one of each stratum
 */
import { Rng } from '../../core/random.js';

export interface Split {
  /** Row indices, ascending. */
  readonly train: Int32Array;
  readonly test: Int32Array;
}

export function stratifiedSplit(strata: ArrayLike<number>, testFraction: number, seed: number): Split {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`split: test fraction must be in (0, 1) (got ${testFraction})`);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < strata.length; i++) {
    const g = groups.get(strata[i]!);
    if (g) g.push(i);
    else groups.set(strata[i]!, [i]);
  }
  const rng = new Rng(seed);
  const train: number[] = [];
  const test: number[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = groups.get(key)!;
    for (let i = rows.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const nTest = Math.round(rows.length * testFraction);
    test.push(...rows.slice(0, nTest));
    train.push(...rows.slice(nTest));
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}
