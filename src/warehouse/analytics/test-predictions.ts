/**
 * @module warehouse/analytics/test-predictions
 * Stored predictions for the analytics test store (test-store.ts), made by hand so the customer
 * table and the distributions have known answers. Test-only. As of 2024-03-29 (the day after the
 * store's last order); c5 and c6 have none.
 *
 *   customer  churn  risk    purchase  clv   tier
 *   c1        0.05   low     0.80      200   high
 *   c2        0.35   medium  0.40       80   medium
 *   c3        0.72   high    0.10      120   high
 *   c4        0.95   high    0.02        0   low
 */
import type { ChurnRisk, CustomerPrediction, SpendTierName } from '../../schema/predictions.js';
import { replaceCustomerPredictions } from '../predictions-store.js';
import type { Warehouse } from '../warehouse.js';

const ROWS: [string, number, ChurnRisk, number, number, SpendTierName][] = [
  ['c1', 0.05, 'low', 0.8, 200, 'high'],
  ['c2', 0.35, 'medium', 0.4, 80, 'medium'],
  ['c3', 0.72, 'high', 0.1, 120, 'high'],
  ['c4', 0.95, 'high', 0.02, 0, 'low'],
];

export function testPredictions(asOf = '2024-03-29'): CustomerPrediction[] {
  return ROWS.map(([customer_id, churn, risk, purchase, clv, tier]) => ({
    customer_id,
    as_of: new Date(`${asOf}T00:00:00Z`),
    churn_probability: churn,
    churn_risk: risk,
    churn_horizon_days: 90,
    purchase_probability: purchase,
    purchase_horizon_days: 30,
    p_alive: 0.5,
    p_alive_unavailable: null,
    purchase_model: 'bgnbd',
    expected_orders_365d: 1,
    expected_spend_365d: clv,
    clv_365d: clv,
    spend_tier: tier,
    next_order_at: null,
    churn_reasons: ['a reason'],
    purchase_reasons: ['a reason'],
    models: { churn: 'churn@1', propensity: 'propensity@1', clv: 'clv@1' },
    predicted_at: new Date(`${asOf}T12:00:00Z`),
  }));
}

/** Stores the predictions above (replacing any). */
export async function storeTestPredictions(wh: Warehouse, asOf?: string): Promise<void> {
  await replaceCustomerPredictions(wh, testPredictions(asOf));
}
