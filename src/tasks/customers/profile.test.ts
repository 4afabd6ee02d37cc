import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore } from '../../warehouse/analytics/test-store.js';
import { updateOrderStatus } from '../../warehouse/order-status.js';
import { insertModel, setPromoted } from '../../warehouse/model-store.js';
import { replaceCustomerPredictions } from '../../warehouse/predictions-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { lifecycleStage } from './lifecycle.js';
import { customerProfile, UnknownCustomerError } from './profile.js';

/**
 * The analytics test store (warehouse/analytics/test-store.ts) plus customer c7, who buys through
 * two channels at prices away from the category medians:
 *   p4 Bowl (Kitchen) list price 20
 *   o20 c7 2024-03-05 10:00 shipped app  p4 x1 @ 16, p1 x2 @ 8   -> 32
 *   o21 c7 2024-03-18 10:00 shipped web  p2 x1 @ 30              -> 30
 *   o22 c7 2024-03-20 10:00 shipped app  p4 x1 @ 20              -> 20
 * and a stored prediction for c7 as of 2024-03-25.
 */
const EXTRA = [
  `INSERT INTO products (product_id, title, category, price, is_merchandise) VALUES ('p4', 'Bowl', 'Kitchen', 20, true)`,
  `INSERT INTO customers (customer_id, first_seen_at, country) VALUES ('c7', '2024-03-05 10:00', 'UK')`,
  `INSERT INTO orders (order_id, customer_id, ordered_at, status, country, channel) VALUES
     ('o20', 'c7', '2024-03-05 10:00', 'shipped', 'UK', 'app'),
     ('o21', 'c7', '2024-03-18 10:00', 'shipped', 'UK', 'web'),
     ('o22', 'c7', '2024-03-20 10:00', 'shipped', 'UK', 'app')`,
  `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
     ('o20', 1, 'p4', 1, 16), ('o20', 2, 'p1', 2, 8), ('o21', 1, 'p2', 1, 30), ('o22', 1, 'p4', 1, 20)`,
];

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
  for (const sql of EXTRA) await wh.exec(sql);
  await replaceCustomerPredictions(wh, [
    {
      customer_id: 'c7',
      as_of: new Date('2024-03-25T00:00:00Z'),
      churn_probability: 0.2,
      churn_risk: 'low',
      churn_horizon_days: 90,
      purchase_probability: 0.7,
      purchase_horizon_days: 30,
      p_alive: null,
      p_alive_unavailable: 'both dropout models on the boundary',
      purchase_model: 'nbd',
      expected_orders_365d: 2.5,
      expected_spend_365d: 150,
      clv_365d: 140,
      spend_tier: 'high',
      next_order_at: new Date('2024-04-02T00:00:00Z'),
      churn_reasons: ['a reason'],
      purchase_reasons: ['bought recently'],
      models: { churn: 'churn@1', propensity: 'propensity@1', clv: 'clv@1' },
      predicted_at: new Date('2024-03-25T12:00:00Z'),
    },
  ]);
});
afterAll(async () => {
  await wh.close();
});

describe('customerProfile', () => {
  it('describes a champion as of the day after the latest order or event', async () => {
    const p = await customerProfile(wh, 'c1');
    // Latest order o9 2024-03-28 15:00 (events end 03-12): as of 03-29.
    expect(p.as_of).toBe('2024-03-29');
    expect(p.country).toBe('UK');
    // RFM over 6 scored customers (c1..c5, c7), score = 1 + floor(5 * worse / 6):
    // recency c1 1 day (5 worse -> 5); orders c1 3 = c7 3 (4 worse -> 4); spend c1 90 (4 worse -> 4).
    expect(p.rfm).toMatchObject({
      segment: 'champions',
      recency_days: 1,
      frequency: 3,
      monetary: 90,
      r: 5,
      f: 4,
      m: 4,
    });
    // Sales o1 60, o3 10, o9 20 (o4 cancelled); purchase days 01-05 .. 03-28 = 83 days / 2 gaps.
    expect(p.orders).toEqual({
      sales: 3,
      cancelled: 1,
      returned: 0,
      first_order_at: '2024-01-05T10:00:00.000Z',
      last_order_at: '2024-03-28T15:00:00.000Z',
      spend: 90,
      average_order_value: 30,
      mean_days_between_orders: 41.5,
    });
    expect(p.lifecycle.stage).toBe('active');
    expect(p.lifecycle.reason).toBe('last order 1 day ago, within 90 and 3x their mean gap of 41.5 days');
    // Merchandise spend 50 (postage left out): Kitchen p1 20 + 20 = 40, p3 has no category.
    // March Kitchen lines: o6 p1 @10, o9 p1 @10, o20 p4 @16, o20 p1 @8, o22 p4 @20 -> median 10;
    // January: o1 p1 @10 -> 10. c1 paid 10 everywhere: ratio 1.
    expect(p.favourite_categories).toEqual([
      { category: 'Kitchen', spend: 40, share: 0.8, units: 4, orders: 2, price_ratio: 1 },
    ]);
    expect(p.price_sensitivity).toEqual({ ratio: 1, label: 'typical', lines_compared: 2 });
    expect(p.channel).toEqual({ main: null, orders_by_channel: [] });
    expect(p.recent_orders.map((o) => [o.order_id, o.status, o.amount])).toEqual([
      ['o9', 'shipped', 20],
      ['o4', 'cancelled', 10],
      ['o3', 'shipped', 10],
      ['o1', 'shipped', 60],
    ]);
    expect(p.recent_events.map((e) => e.event_id)).toEqual(['e4', 'e3', 'e2', 'e1']);
    expect(p.events_last_30_days).toEqual({ add_to_cart: 1, purchase: 1, view: 2 });
    expect(p.predictions).toEqual({
      available: false,
      reason: expect.stringMatching(
        /^this customer has no stored prediction .*npx shopsight predict customers/,
      ),
    });
  });

  it('measures price sensitivity against the month medians of each category', async () => {
    const p = await customerProfile(wh, 'c7');
    // Kitchen: paid 16 + 2 x 8 + 20 = 52 for 4 units at a March median of 10 -> 52 / 40 = 1.3.
    // Home: o21 p2 @30 against a March median of 30 (o6, o8, o21) -> 1. All: 82 / 70 = 1.171429.
    expect(p.favourite_categories).toEqual([
      { category: 'Kitchen', spend: 52, share: 0.6341, units: 4, orders: 2, price_ratio: 1.3 },
      { category: 'Home', spend: 30, share: 0.3659, units: 1, orders: 1, price_ratio: 1 },
    ]);
    expect(p.price_sensitivity).toEqual({ ratio: 1.1714, label: 'premium', lines_compared: 4 });
    expect(p.channel).toEqual({
      main: 'app',
      orders_by_channel: [
        { channel: 'app', orders: 2 },
        { channel: 'web', orders: 1 },
      ],
    });
    // First order 24 days before 03-29.
    expect(p.lifecycle).toEqual({ stage: 'new', reason: 'first order 24 days ago (new for 30 days)' });
    // recency c7 9 days (c5, c3, c4 worse: 1 + floor(15/6) = 3); orders 3 (4 worse: 4); spend 82 (3 worse: 3).
    expect(p.rfm).toMatchObject({ segment: 'needs_attention', r: 3, f: 4, m: 3 });
  });

  it('shows stored predictions and flags them stale when other models are promoted', async () => {
    const p = await customerProfile(wh, 'c7');
    expect(p.predictions).toMatchObject({
      available: true,
      as_of: '2024-03-25',
      churn_probability: 0.2,
      churn_reasons: ['a reason'],
      purchase_probability: 0.7,
      next_order_at: '2024-04-02',
      clv_365d: 140,
      spend_tier: 'high',
      p_alive: null,
      promoted_models: { churn: null, propensity: null, clv: null },
      stale: true,
    });
    if (!p.predictions.available) throw new Error('unreachable');
    expect(p.predictions.note).toContain('churn was scored with churn@1 but none is promoted now');
  });

  it('calls predictions current while their models serve, stale once another is promoted', async () => {
    const model = (task: string) =>
      insertModel(wh, {
        task,
        kind: 'test',
        trainedOn: {},
        params: {},
        metrics: {},
        artifact: new Uint8Array([1]),
      });
    for (const task of ['churn', 'propensity', 'clv']) {
      const m = await model(task);
      await setPromoted(wh, task, m.version);
    }
    const current = await customerProfile(wh, 'c7');
    expect(current.predictions).toMatchObject({
      available: true,
      models: { churn: 'churn@1', propensity: 'propensity@1', clv: 'clv@1' },
      promoted_models: { churn: 'churn@1', propensity: 'propensity@1', clv: 'clv@1' },
      stale: false,
      note: null,
    });
    await setPromoted(wh, 'churn', (await model('churn')).version);
    const stale = await customerProfile(wh, 'c7');
    expect(stale.predictions).toMatchObject({
      stale: true,
      note: expect.stringMatching(
        /^churn was scored with churn@1 but churn@2 is promoted now: run `npx shopsight predict customers`/,
      ),
    });
  });

  it('reads nothing on or after as_of, also when later rows change', async () => {
    const before = await customerProfile(wh, 'c7', { asOf: '2024-03-20' });
    // o22 (03-20 10:00) is left out: spend 62; Kitchen March median before 03-20 over o6 @10,
    // o20 @16, o20 @8 = 10 -> 32 / 30; Home over o6 @30, o21 @30 = 30 -> all 62 / 60.
    expect(before.orders.sales).toBe(2);
    expect(before.orders.spend).toBe(62);
    expect(before.price_sensitivity).toEqual({ ratio: 1.0333, label: 'typical', lines_compared: 3 });
    expect(before.favourite_categories[0]).toMatchObject({ category: 'Kitchen', price_ratio: 1.0667 });
    // The predictions (as of 03-25) were built from later data.
    expect(before.predictions).toEqual({
      available: false,
      reason: expect.stringContaining("as of 2024-03-25, after this profile's as_of 2024-03-20"),
    });

    // Later facts: a new order, an event, and o21 returned on 03-25.
    await wh.exec(
      `INSERT INTO orders (order_id, customer_id, ordered_at, status, channel) VALUES ('o23', 'c7', '2024-03-21 09:00', 'shipped', 'web')`,
    );
    await wh.exec(
      `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES ('o23', 1, 'p1', 5, 2)`,
    );
    await wh.exec(
      `INSERT INTO events (event_id, customer_id, type, product_id, occurred_at) VALUES ('e99', 'c7', 'view', 'p4', '2024-03-20 00:00')`,
    );
    await updateOrderStatus(wh, {
      orderId: 'o21',
      status: 'returned',
      changedAt: new Date('2024-03-25T00:00:00Z'),
    });
    const after = await customerProfile(wh, 'c7', { asOf: '2024-03-20' });
    expect(after).toEqual(before);
    // ... while a later as_of sees them.
    const later = await customerProfile(wh, 'c7', { asOf: '2024-03-26' });
    expect(later.orders).toMatchObject({ sales: 3, returned: 1 });
    expect(later.recent_events.map((e) => e.event_id)).toEqual(['e99']);
  });

  it('gives a prospect its own stage and refuses unknown ids', async () => {
    const c6 = await customerProfile(wh, 'c6', { asOf: '2024-03-29' });
    expect(c6.rfm).toMatchObject({ segment: 'prospects', label: 'Prospects', r: null });
    expect(c6.lifecycle.stage).toBe('prospect');
    expect(c6.orders.average_order_value).toBeNull();
    // c6 signed up on 03-20: unknown before that.
    await expect(customerProfile(wh, 'c6', { asOf: '2024-03-15' })).rejects.toThrow(
      "no customer 'c6' in this store as of 2024-03-15",
    );
    await expect(customerProfile(wh, 'nobody')).rejects.toBeInstanceOf(UnknownCustomerError);
    await expect(customerProfile(wh, 'c1', { asOf: '2024-13-01' })).rejects.toThrow(/a day like/);
  });
});

describe('lifecycleStage', () => {
  it('applies the rules in order', () => {
    const c = (recencyDays: number, tenureDays: number, meanGapDays: number | null, sales = 3) =>
      lifecycleStage({ sales, recencyDays, tenureDays, meanGapDays }).stage;
    expect(lifecycleStage({ sales: 0, recencyDays: null, tenureDays: null, meanGapDays: null }).stage).toBe(
      'prospect',
    );
    expect(c(3, 30, 5)).toBe('new'); // 30 days: still new
    expect(c(181, 400, 100)).toBe('lapsed');
    expect(c(180, 400, 100)).toBe('at_risk'); // 180 is not more than 180; more than 90
    expect(c(91, 400, null, 1)).toBe('at_risk');
    expect(c(90, 400, 100)).toBe('active');
    expect(c(31, 400, 10)).toBe('at_risk'); // 31 > 3 x 10 and > 30
    expect(c(30, 400, 5)).toBe('active'); // past 3x the gap, but not more than 30 days
    expect(lifecycleStage({ sales: 5, recencyDays: 30, tenureDays: 400, meanGapDays: 5 }).reason).toBe(
      'last order 30 days ago, within 90 (past 3x their mean gap of 5 days, but within 30 days)',
    );
  });
});
