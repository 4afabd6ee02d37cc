import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCutoff } from '../../features/cutoff.js';
import { decodeArtifact, encodeArtifact } from '../../ml/artifact.js';
import { openEmptyStore, openTestStore } from '../../warehouse/analytics/test-store.js';
import { readCustomerPredictions, replaceCustomerPredictions } from '../../warehouse/predictions-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { NotEnoughDataError } from './eligibility.js';
import { RISK_BANDS } from './params.js';
import { predictCustomers } from './predict.js';
import { openSyntheticStore } from './test-synthetic-store.js';
import { trainCustomerModels, type TrainedCustomerModels } from './train.js';

let wh: Warehouse;
let trained: TrainedCustomerModels;
beforeAll(async () => {
  wh = await openSyntheticStore();
  trained = await trainCustomerModels(wh, { cutoff: parseCutoff('2023-10-01') });
});
afterAll(async () => {
  await wh.close();
});

const roundTrip = (a: TrainedCustomerModels['artifacts']['churn']) => decodeArtifact(encodeArtifact(a));

describe('trainCustomerModels on the synthetic store', () => {
  it('scores every buyer, including one-order and zero-value customers, and never reports NaN', () => {
    const e = trained.evaluation;
    expect(e.customers).toBe(302); // 300 + c_one + c_zero; c_cancel never bought
    expect(e.split).toEqual({ seed: 42, train: 169, select: 42, test: 91 });
    for (const r of [e.churn, e.propensity]) {
      for (const m of Object.values(r.test)) {
        for (const v of [m.rocAuc, m.prAuc, m.brier, m.liftTopDecile]) expect(Number.isFinite(v)).toBe(true);
      }
      expect(['gbdt', 'logistic']).toContain(r.chosen);
    }
    // The store's customers stop at a known day, which the features see: the models must beat chance clearly.
    expect(e.churn.test[e.churn.chosen].rocAuc).toBeGreaterThan(0.85);
    expect(Number.isFinite(e.clv.model.spearman) && Number.isFinite(e.clv.model.meanAbsoluteError)).toBe(
      true,
    );
  });

  it('reports the next-order error and the BTYD fit diagnostics with their protocol', () => {
    const n = trained.evaluation.nextOrder;
    expect(n.protocol).toMatch(/^test customers who ordered within 90 days of the cutoff/);
    expect(n.buyers).toBeLessThanOrEqual(trained.evaluation.split.test);
    expect(Number.isFinite(n.meanAbsoluteErrorDays)).toBe(true);
    expect(trained.evaluation.clv.fit).toMatchObject({ timeUnit: 'days', bgnbd: { customers: 302 } });
  });

  it('predicts with artifacts that went through the registry format, with words for reasons', async () => {
    const a = trained.artifacts;
    const rows = await predictCustomers(
      wh,
      {
        churn: { id: 'churn@1', artifact: roundTrip(a.churn) },
        propensity: { id: 'propensity@1', artifact: roundTrip(a.propensity) },
        clv: { id: 'clv@1', artifact: roundTrip(a.clv) },
      },
      { now: new Date('2024-02-01T00:00:00Z') },
    );
    expect(rows.length).toBe(302);
    expect(rows.map((r) => r.customer_id)).not.toContain('c_cancel');
    for (const r of rows) {
      for (const v of [r.churn_probability, r.purchase_probability]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
      // P(alive) is a probability, or null with the reason when no dropout model fits.
      expect(r.purchase_model).toBe((a.clv.meta['purchases'] as { model: string }).model);
      if (r.purchase_model === 'nbd') {
        expect(r.p_alive).toBeNull();
        expect(r.p_alive_unavailable).toMatch(/^no dropout found/);
      } else {
        expect(r.p_alive_unavailable).toBeNull();
        expect(r.p_alive).toBeGreaterThanOrEqual(0);
        expect(r.p_alive).toBeLessThanOrEqual(1);
      }
      for (const v of [r.expected_orders_365d, r.expected_spend_365d, r.clv_365d])
        expect(Number.isFinite(v)).toBe(true);
      expect(r.churn_risk).toBe(
        r.churn_probability >= RISK_BANDS.high
          ? 'high'
          : r.churn_probability >= RISK_BANDS.medium
            ? 'medium'
            : 'low',
      );
      expect(r.churn_reasons.length).toBeGreaterThan(0);
      expect(r.churn_reasons.length).toBeLessThanOrEqual(3);
      expect([...r.churn_reasons, ...r.purchase_reasons].join(' ')).not.toMatch(/NaN|undefined|Infinity/);
      expect(r.as_of.toISOString()).toBe('2024-01-23T00:00:00.000Z'); // the day after the last order
    }
    const zero = rows.find((r) => r.customer_id === 'c_zero')!;
    expect(zero.expected_spend_365d).toBeGreaterThanOrEqual(0);
    const tiers = { high: 0, medium: 0, low: 0 };
    for (const r of rows) tiers[r.spend_tier]++;
    expect(tiers.high).toBeGreaterThanOrEqual(Math.floor(0.2 * 302)); // ties may only add to a better tier
    await replaceCustomerPredictions(wh, rows);
    const back = await readCustomerPredictions(wh, { limit: 2 });
    expect(back.length).toBe(2);
    const top = [...rows].sort((x, y) => y.churn_probability - x.churn_probability)[0]!;
    expect(back[0]).toEqual(top);
    await replaceCustomerPredictions(wh, rows.slice(0, 5)); // a rerun replaces, never appends
    expect((await readCustomerPredictions(wh)).length).toBe(5);
    // An unavailable P(alive) is stored as null with its reason (migration 4), not as a number.
    const unavailable = rows.slice(0, 2).map((r) => ({
      ...r,
      p_alive: null,
      p_alive_unavailable: 'no dropout found: BG/NBD ...; Pareto/NBD ...',
      purchase_model: 'nbd' as const,
    }));
    await replaceCustomerPredictions(wh, unavailable);
    const stored = await readCustomerPredictions(wh, { orderBy: 'customer_id' });
    expect(stored).toEqual([...unavailable].sort((x, y) => (x.customer_id < y.customer_id ? -1 : 1)));
  });
});

describe('bad input', () => {
  it('refuses too few customers with the rule and the minimum', async () => {
    const small = await openTestStore();
    try {
      const err = await trainCustomerModels(small, {
        cutoff: parseCutoff('2024-02-20'),
        horizonDays: 20,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotEnoughDataError);
      expect((err as Error).message).toMatch(
        /^4 customers ordered before the cutoff; at least 100 are needed/,
      );
    } finally {
      await small.close();
    }
  });

  it('refuses a cutoff outside the data, and an empty store', async () => {
    await expect(trainCustomerModels(wh, { cutoff: parseCutoff('2022-06-01') })).rejects.toThrow(
      'cutoff 2022-06-01 is not after the first order (2023-01-01): there is no history to learn from',
    );
    await expect(trainCustomerModels(wh, { cutoff: parseCutoff('2024-01-01') })).rejects.toThrow(
      'cutoff 2024-01-01 + 90 days runs past the last order (2024-01-22): use a cutoff on or before 2023-10-25',
    );
    expect(() => parseCutoff('2024-02-30')).toThrow("cutoff must be a day like 2011-09-09, got '2024-02-30'");
    const short = await openTestStore(); // orders from 01-05 to 03-28: 83 days, less than the 90-day horizon
    try {
      await expect(trainCustomerModels(short)).rejects.toThrow(
        'the orders span 83 days; training needs history before a cutoff and a whole 90-day horizon after it',
      );
    } finally {
      await short.close();
    }
    const empty = await openEmptyStore();
    try {
      await expect(trainCustomerModels(empty)).rejects.toThrow(
        'no sales orders with a customer id in the warehouse',
      );
    } finally {
      await empty.close();
    }
  });

  it('refuses a label with too few customers on one side', async () => {
    // A 1-day horizon: almost nobody buys, so "stayed" has too few training customers.
    await expect(
      trainCustomerModels(wh, { cutoff: parseCutoff('2023-10-01'), horizonDays: 1 }),
    ).rejects.toThrow(
      /churn: the training customers hold \d+ who stayed and \d+ who churned; at least 10 of each are needed/,
    );
  });
});
