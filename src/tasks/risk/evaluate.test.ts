import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupValues, orderGroupValues, parseGroupSpec } from '../../features/fairness-groups.js';
import { orderRiskFeatures } from '../../features/order-risk-features.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { evaluateLabelledRisk, evaluatePlantedRisk } from './evaluate.js';
import { parseRiskRules } from './rules.js';
import { openRiskStore, RISK_STORE_ORDERS } from '../../warehouse/test-risk-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openRiskStore();
});
afterAll(async () => {
  await wh.close();
});

describe('evaluate risk on a store', () => {
  it('with labels: the time split of the labelled orders, four models side by side', async () => {
    const m = await orderRiskFeatures(wh);
    // Fraud = more than 6 units in the order: the GBDT can learn it exactly (registry/risk.test.ts).
    const units = await wh.rows<{ order_id: string; units: number }>(
      'SELECT order_id, sum(quantity) AS units FROM order_items GROUP BY order_id',
    );
    const labels = new Map(units.map((u) => [u.order_id, u.units > 6 ? (1 as const) : (0 as const)]));
    const rules = parseRiskRules(
      {
        rules: [
          {
            name: 'many units',
            field: 'log_total_quantity',
            operator: '>',
            threshold: Math.log(7.5),
            action: 'hold',
          },
        ],
      },
      'inline',
    );
    const spec = parseGroupSpec('country');
    const grouping = groupValues(await orderGroupValues(wh, m.orderIds, spec), spec);
    const e = evaluateLabelledRisk(m, labels, { rules, grouping });
    // 487 labelled orders: fit on floor(floor(487 * 0.7) * 0.85) = 289, validate on 340 - 289 = 51, test 147.
    expect(e.protocol).toMatch(
      /^time split of 487 labelled orders: fit on the earliest 289, validation .* next 51, measured on the latest 147/,
    );
    expect(e.test.orders).toBe(147);
    expect(e.models.gbdt.rocAuc).toBeGreaterThan(0.95);
    // The rule states the label exactly (units > 6 <=> ln(1 + units) > ln 7.5): GBDT + rules ranks every fraud first.
    expect(e.models.gbdtRules!.rocAuc).toBe(1);
    for (const f of Object.values(e.models)) {
      expect(f!.rocAuc).toBeGreaterThanOrEqual(0);
      expect(f!.rocAuc).toBeLessThanOrEqual(1);
    }
    // The GBDT's fairness report covers the 147 test orders and their frauds, split by country.
    const f = e.fairness!;
    const sum = (k: 'n' | 'positives' | 'truePositives' | 'flagged'): number =>
      f.groups.reduce((t, g) => t + g[k], 0);
    expect(sum('n')).toBe(147);
    expect(sum('positives')).toBe(e.test.fraud);
    expect(new Set(f.groups.map((g) => g.group)).size).toBe(f.groups.length);
    expect(f.gaps.length).toBe(f.groups.length - 1);
  }, 60_000);

  it('without labels: planted anomalies, found at the review rate, and nothing stays in the store', async () => {
    const e = await evaluatePlantedRisk(wh, { plantedPerKind: 2 });
    expect(e.planted).toBe(8);
    // 487 orders + 2 value + 12 burst + 2 quantity + 2 newcomer orders; 2% of them held.
    expect(e.orders).toBe(RISK_STORE_ORDERS + 18);
    expect(e.held).toBe(Math.round(0.02 * (RISK_STORE_ORDERS + 18)));
    // A line of 200,000 units is the rarest quantity of the store: always held.
    expect(e.recallByKind.quantity).toBe(1);
    expect(e.precision).toBeCloseTo(e.found / e.held, 12);
    const [{ n }] = (await wh.rows<{ n: number }>(
      "SELECT CAST(count(*) AS INTEGER) AS n FROM orders WHERE order_id LIKE 'INJ-%' OR customer_id LIKE 'INJ-%'",
    )) as [{ n: number }];
    expect(n).toBe(0);
    expect((await orderRiskFeatures(wh)).rows).toBe(RISK_STORE_ORDERS);
  }, 60_000);
});
