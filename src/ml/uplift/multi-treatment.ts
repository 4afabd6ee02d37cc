/**
 * @module ml/uplift/multi-treatment
 * Several treatments against one control (Hillstrom: Mens e-mail, Womens e-mail vs no e-mail): one
 * binary uplift model per treatment, each fitted on that treatment's rows and the control rows
 * only, so each uplift is that treatment's own effect. The best treatment of a customer is the one
 * with the largest uplift (ties: the first listed).
 *
 * `arm` per row: 0 = control, j = the j-th treatment (1-based, `treatments[j - 1]` names it).
 *
 * @example
 *   const m = fitMultiUplift(x, y, arm, ['Mens E-Mail', 'Womens E-Mail'], spec);
 *   const s = predictMultiUplift(m, features, rows);
 *   s.uplift[1][r]; s.best[r]; // Womens uplift of row r; index of its best treatment
 */
import type { Matrix } from './base-learner.js';
import { fitUplift, predictUplift, type UpliftModel, type UpliftSpec } from './learners.js';

export interface MultiUpliftModel {
  /** Treatment names, in arm order 1..k. */
  readonly treatments: readonly string[];
  /** One binary model per treatment, same order. */
  readonly models: readonly UpliftModel[];
}

export interface MultiUpliftScores {
  /** uplift[j][r]: treatment j's uplift for row r. */
  readonly uplift: readonly Float64Array[];
  /** Index into `treatments` of each row's largest uplift. */
  readonly best: Int32Array;
  readonly bestUplift: Float64Array;
}

/** The rows of `arm` in {0, j}, as a matrix with outcomes and 0/1 flags. */
function armPair(
  x: Matrix,
  y: Float32Array,
  arm: Int32Array,
  j: number,
): { m: Matrix; y: Float32Array; t: Uint8Array } {
  let n = 0;
  for (let i = 0; i < x.rows; i++) if (arm[i] === 0 || arm[i] === j) n++;
  const f = new Float32Array(n * x.cols);
  const yy = new Float32Array(n);
  const t = new Uint8Array(n);
  let k = 0;
  for (let i = 0; i < x.rows; i++) {
    if (arm[i] !== 0 && arm[i] !== j) continue;
    f.set(x.features.subarray(i * x.cols, (i + 1) * x.cols), k * x.cols);
    yy[k] = y[i]!;
    t[k++] = arm[i] === j ? 1 : 0;
  }
  return { m: { features: f, rows: n, cols: x.cols }, y: yy, t };
}

export function fitMultiUplift(
  x: Matrix,
  y: Float32Array,
  arm: Int32Array,
  treatments: readonly string[],
  spec: UpliftSpec,
): MultiUpliftModel {
  if (treatments.length === 0)
    throw new Error('uplift: at least one treatment besides the control is needed');
  if (arm.length !== x.rows) throw new Error(`uplift: ${x.rows} rows but ${arm.length} arms`);
  for (let i = 0; i < arm.length; i++) {
    if (!(Number.isInteger(arm[i]) && arm[i]! >= 0 && arm[i]! <= treatments.length)) {
      throw new Error(
        `uplift: arm ${arm[i]} at row ${i} (0 = control, 1..${treatments.length} = treatments)`,
      );
    }
  }
  const models = treatments.map((name, j) => {
    const pair = armPair(x, y, arm, j + 1);
    try {
      return fitUplift(pair.m, pair.y, pair.t, spec);
    } catch (e) {
      throw new Error(`uplift for treatment '${name}': ${(e as Error).message}`, { cause: e });
    }
  });
  return { treatments: [...treatments], models };
}

export function predictMultiUplift(
  m: MultiUpliftModel,
  features: Float32Array,
  rows: number,
): MultiUpliftScores {
  const uplift = m.models.map((model) => predictUplift(model, features, rows));
  const best = new Int32Array(rows);
  const bestUplift = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let b = 0;
    for (let j = 1; j < uplift.length; j++) if (uplift[j]![r]! > uplift[b]![r]!) b = j;
    best[r] = b;
    bestUplift[r] = uplift[b]![r]!;
  }
  return { uplift, best, bestUplift };
}
