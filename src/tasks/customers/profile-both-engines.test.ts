/**
 * What `predict customers`, `customers profile` and `evaluate customers --group` read and write, on
 * both engines over the small hand-made store (warehouse/clickhouse/test-small-store.ts) plus one
 * customer of this file (c3: no country of their own, attributes, orders from DE), written into a
 * DuckDB file and a 2-shard ClickHouse cluster: the same known answers worked out by hand on each.
 * Stored predictions are read back bit for bit (doubles 18.16 parses one unit off are kept as text),
 * and a second scoring replaces the first whole. Without clickhouse-server the ClickHouse half is
 * skipped with a printed message; DuckDB always runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerGroupValues, orderGroupValues } from '../../features/fairness-groups.js';
import { latestActivityDay } from '../../features/customer-profile.js';
import type { CustomerPrediction } from '../../schema/predictions.js';
import { describeOnBothEngines, type EngineContract } from '../../warehouse/clickhouse/test-both-engines.js';
import { CUTOFF, d, loadSmallStore } from '../../warehouse/clickhouse/test-small-store.js';
import {
  countCustomerPredictions,
  readCustomerPredictions,
  replaceCustomerPredictions,
} from '../../warehouse/predictions-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { customerProfile } from './profile.js';

/** c3: a customers row without a country, two orders from DE and one from FR before the cutoff. */
async function addC3(wh: Warehouse): Promise<void> {
  await wh.append('customers', {
    customer_id: ['c3'],
    attributes: ['{"age": 31, "sex": "f", "vip": true}'],
  });
  const orders: [string, string, string][] = [
    ['o6', '2011-01-05T00:00:00', 'DE'],
    ['o7', '2011-01-06T00:00:00', 'DE'],
    ['o8', '2011-01-07T00:00:00', 'FR'],
  ];
  for (const [id, at, country] of orders) {
    await wh.exec(
      'INSERT INTO orders (order_id, customer_id, ordered_at, status, total, country) VALUES (?, ?, ?, ?, ?, ?)',
      [id, 'c3', d(at), 'delivered', 7, country],
    );
  }
}

/** A prediction row; doubles that 18.16 would parse one unit in the last place off among them. */
function prediction(id: string, churn: number, over: Partial<CustomerPrediction> = {}): CustomerPrediction {
  return {
    customer_id: id,
    as_of: CUTOFF,
    churn_probability: churn,
    churn_risk: churn >= 0.7 ? 'high' : churn >= 0.3 ? 'medium' : 'low',
    churn_horizon_days: 90,
    purchase_probability: 1 / 3,
    purchase_horizon_days: 30,
    p_alive: 0.1 + 0.2,
    p_alive_unavailable: null,
    purchase_model: 'bgnbd',
    expected_orders_365d: 2.718281828459045,
    expected_spend_365d: 123.45678901234567,
    clv_365d: 1e-17,
    spend_tier: 'medium',
    next_order_at: d('2011-03-20T00:00:00'),
    churn_reasons: ["no order for 120 days, 3x 'their' usual gap", 'b\tc'],
    purchase_reasons: [],
    models: { churn: 'churn@1', propensity: 'propensity@1', clv: 'clv@1' },
    predicted_at: new Date(Date.UTC(2026, 11, 2, 14, 30, 5, 123)),
    ...over,
  };
}

const contract: EngineContract = (engine, open) => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await open();
    await loadSmallStore(wh);
    await addC3(wh);
  }, 120_000);
  afterAll(async () => wh?.close());

  it(`${engine}: predictions are stored and read back unchanged; a new scoring replaces the old whole`, async () => {
    expect(await countCustomerPredictions(wh)).toBe(0);
    expect(await readCustomerPredictions(wh)).toEqual([]);
    const first = [
      prediction('c1', 0.30000000000000004),
      prediction('c2', 0.7, {
        p_alive: null,
        p_alive_unavailable: 'both on the boundary',
        purchase_model: 'nbd',
      }),
      prediction('c3', 0.1, { next_order_at: null, spend_tier: 'low' }),
    ];
    await replaceCustomerPredictions(wh, first);
    expect(await countCustomerPredictions(wh)).toBe(3);
    // Highest churn first; by CLV; one customer; a limit.
    expect(await readCustomerPredictions(wh)).toEqual([first[1], first[0], first[2]]);
    expect((await readCustomerPredictions(wh, { orderBy: 'customer_id' })).map((p) => p.customer_id)).toEqual(
      ['c1', 'c2', 'c3'],
    );
    expect(await readCustomerPredictions(wh, { customerId: 'c3' })).toEqual([first[2]]);
    expect(await readCustomerPredictions(wh, { limit: 1 })).toEqual([first[1]]);

    const second = [prediction('c2', 0.05, { predicted_at: new Date(Date.UTC(2026, 11, 2, 15, 0, 0, 999)) })];
    await replaceCustomerPredictions(wh, second);
    expect(await countCustomerPredictions(wh)).toBe(1);
    expect(await readCustomerPredictions(wh)).toEqual(second);
    expect(await readCustomerPredictions(wh, { customerId: 'c1' })).toEqual([]);
  }, 60_000);

  it(`${engine}: fairness groups: country of the row, else the most frequent order country; attributes`, async () => {
    const ids = ['c1', 'c2', 'c3', 'nobody'];
    const country = { attribute: 'country', versus: null };
    expect(await customerGroupValues(wh, ids, country, CUTOFF)).toEqual(['GB', 'FR', 'DE', null]);
    // Before Jan 7 c3 has one DE order only; before Jan 6, none (no group).
    expect(await customerGroupValues(wh, ['c3'], country, d('2011-01-06T00:00:00'))).toEqual(['DE']);
    expect(await customerGroupValues(wh, ['c3'], country, d('2011-01-05T00:00:00'))).toEqual([null]);
    expect(await customerGroupValues(wh, ids, { attribute: 'age', versus: null }, CUTOFF)).toEqual([
      null,
      null,
      '31',
      null,
    ]);
    expect(await customerGroupValues(wh, ['c3'], { attribute: 'vip', versus: null }, CUTOFF)).toEqual([
      'true',
    ]);
    // Orders: their own country, else their customer's (o1 has none: c1's GB; o5 is a guest's).
    expect(await orderGroupValues(wh, ['o1', 'o5', 'o8'], country)).toEqual(['GB', null, 'FR']);
    expect(await orderGroupValues(wh, ['o6', 'o1'], { attribute: 'sex', versus: null })).toEqual(['f', null]);
  });

  it(`${engine}: c1's profile as of 2011-03-01, worked out by hand`, async () => {
    // The latest activity is e3 (2011-04-01): the default day is the one after.
    expect(await latestActivityDay(wh)).toEqual(d('2011-04-02T00:00:00'));
    await replaceCustomerPredictions(wh, [prediction('c1', 0.4)]);
    const p = await customerProfile(wh, 'c1', { asOf: '2011-03-01' });
    expect(p).toMatchObject({
      customer_id: 'c1',
      as_of: '2011-03-01',
      first_seen_at: null,
      country: 'GB',
      // o1 (delivered, 2 x 10 + postage 5) and o2 (returned only on 2011-03-15: still a sale).
      orders: { sales: 2, cancelled: 0, returned: 0, spend: 45, average_order_value: 22.5 },
      recent_orders: [
        { order_id: 'o2', status: 'placed', amount: 20, lines: 1, units: 1, channel: null },
        { order_id: 'o1', status: 'delivered', amount: 25, lines: 2, units: 3, channel: null },
      ],
      // Merchandise: P1 (A, 20 in January) and P2 (B, 20 in February); A's January median is 10
      // (o3 was cancelled by then), B's February median is 20 (o2 and o4): each ratio 1.
      favourite_categories: [
        { category: 'A', spend: 20, share: 0.5, units: 2, orders: 1, price_ratio: 1 },
        { category: 'B', spend: 20, share: 0.5, units: 1, orders: 1, price_ratio: 1 },
      ],
      price_sensitivity: { ratio: 1, label: 'typical', lines_compared: 2 },
      channel: { main: null, orders_by_channel: [] },
      recent_events: [
        { event_id: 'e4', type: 'search', product_id: null, occurred_at: '2011-02-07T00:00:00.000Z' },
        { event_id: 'e1', type: 'view', product_id: 'P2', occurred_at: '2011-02-05T00:00:00.000Z' },
      ],
      events_last_30_days: { search: 1, view: 1 },
      predictions: { available: true, churn_probability: 0.4, as_of: '2011-03-01', stale: true },
    });
    expect(p.rfm).toMatchObject({ frequency: 2, monetary: 45, recency_days: 28 });
    // Before o1 (2011-01-01 10:00) c1 is a customers row without a sale: a prospect. An unknown id: refused.
    const early = await customerProfile(wh, 'c1', { asOf: '2011-01-01' });
    expect(early).toMatchObject({ orders: { sales: 0 }, rfm: { segment: 'prospects' }, recent_orders: [] });
    await expect(customerProfile(wh, 'nobody', { asOf: '2011-03-01' })).rejects.toThrow(
      "no customer 'nobody'",
    );
    // c3: a customers row with orders (totals only, no lines): no categories.
    const c3 = await customerProfile(wh, 'c3', { asOf: '2011-03-01' });
    expect(c3).toMatchObject({
      country: null,
      attributes: { age: 31, sex: 'f', vip: true },
      orders: { sales: 3, spend: 21 },
      favourite_categories: [],
      price_sensitivity: { ratio: null, label: null, lines_compared: 0 },
      predictions: { available: false },
    });
  }, 60_000);
};

describeOnBothEngines('customer predictions, profiles and fairness groups', contract);
