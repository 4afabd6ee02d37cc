/**
 * @module tasks/customers/reasons
 * The top reasons behind one customer's score, in words. Contributions are in log-odds (TreeSHAP
 * values or logistic terms): a positive one pushes the probability up. When the customer's score is
 * above the average customer's (contributions sum > 0) the reasons are the largest pushes up,
 * otherwise the largest pushes down, so the words explain why THIS customer differs from the
 * average one. Each reason is the feature's value in words (features/customer-feature-defs.ts);
 * two features that read the same (e.g. two gap features of a one-order customer) give one reason.
 *
 * @example
 *   topReasons(contribs, m, defs, row, 3);
 *   // ['no order for 120 days, 3x their usual gap', '1 order in the last year', ...]
 */
import { sayFeature, type CustomerFeatureDef } from '../../features/customer-feature-defs.js';

export interface ReasonInput {
  /** rows x (cols + 1), last = bias. */
  readonly contributions: Float64Array;
  /** Row-major rows x cols feature values. */
  readonly values: Float32Array;
  readonly cols: number;
  readonly defs: readonly CustomerFeatureDef[];
}

export function topReasons(input: ReasonInput, row: number, k = 3): string[] {
  const { contributions, values, cols, defs } = input;
  const base = row * (cols + 1);
  let total = 0;
  for (let j = 0; j < cols; j++) total += contributions[base + j]!;
  const sign = total >= 0 ? 1 : -1;
  const order: number[] = [];
  for (let j = 0; j < cols; j++) if (sign * contributions[base + j]! > 0) order.push(j);
  order.sort((a, b) => sign * (contributions[base + b]! - contributions[base + a]!) || a - b);
  const byName = new Map(defs.map((d, j) => [d.name, j]));
  const get = (name: string): number => {
    const j = byName.get(name);
    return j === undefined ? NaN : values[row * cols + j]!;
  };
  const out: string[] = [];
  for (const j of order) {
    const text = sayFeature(defs[j]!, values[row * cols + j]!, get);
    if (!out.includes(text)) out.push(text);
    if (out.length === k) break;
  }
  return out;
}
