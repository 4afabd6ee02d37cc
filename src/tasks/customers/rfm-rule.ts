/**
 * @module tasks/customers/rfm-rule
 * The RFM rule baseline: the merchant's classic segmentation turned into a probability. Each
 * customer's R, F and M quintile scores come from warehouse/analytics/rfm.ts (as of the cutoff
 * day; on a ClickHouse cluster from its chRfm, which scores by the same rule); the rule's score is R + F + M (3..15), and its probability for a label is the training
 * customers' rate of that label at the same total, smoothed towards the overall rate with a prior
 * of 2 customers: p(s) = (positives(s) + 2 * base) / (customers(s) + 2). A model that cannot beat
 * this table has learned nothing a spreadsheet does not already know.
 *
 * @example
 *   const rule = fitRfmRule(scores, labels, trainRows); // scores: R+F+M per customer
 *   applyRfmRule(rule, scores); // Float64Array of probabilities
 */
import { rfm } from '../../warehouse/analytics/rfm.js';
import { chRfm } from '../../warehouse/clickhouse/analytics/rfm.js';
import { ClickHouseStore } from '../../warehouse/clickhouse/clickhouse-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';

export interface RfmRule {
  /** Probability per total score 0..15 (index = R + F + M). */
  readonly probability: Float64Array;
  readonly base: number;
}

const PRIOR = 2;

/** R + F + M per customer id, in the order of `customerIds` (missing customer -> error). */
export async function rfmTotals(
  wh: Warehouse,
  customerIds: readonly string[],
  cutoff: Date,
): Promise<Int32Array> {
  const options = { asOf: cutoff.toISOString().slice(0, 10) };
  const res = wh instanceof ClickHouseStore ? await chRfm(wh, options) : await rfm(wh, options);
  const total = new Map(res.customers.map((c) => [c.customer_id, c.r + c.f + c.m]));
  return Int32Array.from(customerIds, (id) => {
    const s = total.get(id);
    if (s === undefined) throw new Error(`rfm rule: customer ${id} has no RFM score as of the cutoff`);
    return s;
  });
}

export function fitRfmRule(totals: Int32Array, labels: Float32Array, rows: Int32Array): RfmRule {
  const pos = new Float64Array(16);
  const n = new Float64Array(16);
  let allPos = 0;
  for (const r of rows) {
    const s = totals[r]!;
    pos[s] = pos[s]! + labels[r]!;
    n[s] = n[s]! + 1;
    allPos += labels[r]!;
  }
  const base = rows.length ? allPos / rows.length : 0.5;
  const probability = new Float64Array(16);
  for (let s = 0; s < 16; s++) probability[s] = (pos[s]! + PRIOR * base) / (n[s]! + PRIOR);
  return { probability, base };
}

export function applyRfmRule(rule: RfmRule, totals: Int32Array): Float64Array {
  return Float64Array.from(totals, (s) => rule.probability[s]!);
}
