import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore } from '../warehouse/analytics/test-store.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { updateOrderStatus } from '../warehouse/order-status.js';
import { loadBaskets } from './baskets.js';
import { btydSummary } from './btyd-summary.js';
import { CUSTOMER_FEATURES, sayFeature } from './customer-feature-defs.js';
import { customerFeatures, type FeatureMatrix } from './customer-features.js';
import { customerOutcomes } from './customer-outcomes.js';
import { loadInteractions } from './interactions.js';

// The analytics test store (see warehouse/analytics/test-store.ts for every order and amount).
const CUTOFF = new Date('2024-03-21T00:00:00Z');

let wh: Warehouse;
beforeEach(async () => {
  wh = await openTestStore();
});
afterEach(async () => {
  await wh.close();
});

function feature(m: FeatureMatrix, customer: string, name: string): number {
  const r = m.customerIds.indexOf(customer);
  const j = m.names.indexOf(name);
  if (r < 0 || j < 0) throw new Error(`no ${customer}/${name}`);
  return m.values[r * m.cols + j]!;
}

describe('customerFeatures', () => {
  it('scores the customers with a sales order before the cutoff, with hand-computed values', async () => {
    const m = await customerFeatures(wh, { cutoff: CUTOFF });
    // c6 never ordered; c1..c5 each have a sales order before 03-21.
    expect(m.customerIds).toEqual(['c1', 'c2', 'c3', 'c4', 'c5']);
    // The store has events (event features included) and no reviews (review features left out).
    expect(m.cols).toBe(CUSTOMER_FEATURES.filter((f) => !f.needsReviews).length);
    expect(m.values.length).toBe(5 * m.cols);
    const f = (name: string): number => feature(m, 'c1', name);
    // c1: o1 01-05 10:00 (60: p1 x2 + postage), o3 02-10 08:00 (10: p3 x4); o4 cancelled 02-11 (10);
    // o9 on 03-28 is after the cutoff.
    expect(f('recency_days')).toBeCloseTo(39 + 16 / 24, 4); // 02-10 08:00 -> 03-21 00:00
    expect(f('tenure_days')).toBeCloseTo(75 + 14 / 24, 4); // 01-05 10:00 -> 03-21 00:00 (leap year)
    expect(f('frequency')).toBe(2);
    expect(f('monetary_total')).toBe(70);
    expect(f('monetary_mean')).toBe(35);
    expect(f('monetary_max')).toBe(60);
    expect(f('gap_mean_days')).toBe(36); // 01-05 -> 02-10
    expect(f('gap_std_days')).toBe(0);
    expect(f('gap_last_days')).toBe(36);
    expect(f('recency_over_gap')).toBeCloseTo((39 + 16 / 24) / 36, 5);
    expect(f('basket_lines')).toBe(1.5); // 2 lines, 1 line
    expect(f('basket_units')).toBe(3.5); // 3 units, 4 units
    expect(f('distinct_products')).toBe(3); // p1, postage, p3
    expect(f('distinct_categories')).toBe(1); // only p1 has one (Kitchen)
    expect(f('top_category_share')).toBe(1);
    expect(f('price_index')).toBe(1); // paid every product's median price
    expect(f('cancel_share')).toBeCloseTo(1 / 3, 6); // 1 cancelled of 3 orders
    expect(f('undone_value_share')).toBeCloseTo(10 / 80, 6);
    expect(f('spend_90d')).toBe(70); // both orders within 90 days
    expect(f('orders_30d')).toBe(0);
    // Buyer countries: UK c1 c4, FR c2 c3, DE c5 -> UK and FR tie at 0.4, FR wins on name order.
    expect(f('home_country')).toBe(0);
    expect(f('country_share')).toBeCloseTo(0.4, 6);
    // Events on 03-09 10:00 (11.6 days before): 2 views, 1 add-to-cart, session s1.
    expect(f('views_7d')).toBe(0);
    expect(f('views_30d')).toBe(2);
    expect(f('carts_30d')).toBe(1);
    expect(f('sessions_30d')).toBe(1);
    // c2: one sale (o2), one return (o7 on 03-20): no gap, half the orders returned.
    expect(feature(m, 'c2', 'gap_mean_days')).toBeNaN();
    expect(feature(m, 'c2', 'recency_over_gap')).toBeNaN();
    expect(feature(m, 'c2', 'return_share')).toBe(0.5);
    expect(feature(m, 'c2', 'views_30d')).toBe(1);
    expect(feature(m, 'c2', 'sessions_30d')).toBe(0); // its events carry no session id
  });

  it('leaks nothing: changing and adding data at or after the cutoff changes no feature', async () => {
    const before = await customerFeatures(wh, { cutoff: CUTOFF });
    const summaryBefore = await btydSummary(wh, before.customerIds, CUTOFF);
    await wh.exec(`UPDATE order_items SET quantity = 100 WHERE order_id = 'o9'`);
    await wh.exec(`UPDATE orders SET status = 'cancelled' WHERE order_id = 'o8'`);
    await wh.exec(
      `INSERT INTO products (product_id, title, category, price, is_merchandise) VALUES ('p9', 'New', 'Garden', 5, true)`,
    );
    await wh.exec(`INSERT INTO orders (order_id, customer_id, ordered_at, status, country) VALUES
      ('n1', 'c1', '2024-03-21 00:00', 'shipped', 'UK'), ('n2', 'c4', '2024-04-02', 'shipped', 'UK'),
      ('n3', 'c7', '2024-04-03', 'shipped', 'DE'), ('n4', 'c3', '2024-04-05', 'cancelled', 'FR')`);
    await wh.exec(`INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
      ('n1', 1, 'p1', 50, 1), ('n2', 1, 'p9', 1, 5), ('n3', 1, 'p2', 1, 99), ('n4', 1, 'p2', 3, 30)`);
    await wh.exec(`INSERT INTO events (event_id, customer_id, session_id, type, product_id, occurred_at) VALUES
      ('x1', 'c1', 's9', 'view', 'p1', '2024-03-21 00:00'), ('x2', 'c3', 's8', 'add_to_cart', 'p2', '2024-03-25')`);
    const after = await customerFeatures(wh, { cutoff: CUTOFF });
    expect(after.customerIds).toEqual(before.customerIds);
    expect(after.names).toEqual(before.names);
    expect(Array.from(after.values)).toEqual(Array.from(before.values)); // NaN equals NaN here
    const summaryAfter = await btydSummary(wh, before.customerIds, CUTOFF);
    expect(summaryAfter).toEqual(summaryBefore);
  });

  it('leaks no status: pre-cutoff orders returned or cancelled after the cutoff change no feature, label, BTYD summary, interaction or basket', async () => {
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const window = { cutoff: CUTOFF, horizonDays: 8 }; // 03-21 to 03-29: o8 and o9 fall in it
    const read = async (): Promise<unknown[]> => {
      const m = await customerFeatures(wh, { cutoff: CUTOFF });
      const i = await loadInteractions(wh, { cutoff: CUTOFF });
      return [
        m.customerIds,
        Array.from(m.values),
        await btydSummary(wh, m.customerIds, CUTOFF),
        await customerOutcomes(wh, ids, window),
        [i.userIds, i.itemIds, Array.from(i.data.sequences.itemIds), Array.from(i.data.sequences.weights!)],
        await loadBaskets(wh, { cutoff: CUTOFF }),
      ];
    };
    const before = await read();
    const change = (orderId: string, status: 'cancelled' | 'returned', at: string): Promise<unknown> =>
      updateOrderStatus(wh, { orderId, status, changedAt: new Date(at) });
    await change('o1', 'returned', '2024-03-25T00:00:00Z'); // c1's first order
    await change('o3', 'cancelled', '2024-03-21T00:00:00Z'); // c1's last order, exactly at the cutoff
    await change('o6', 'returned', '2024-04-02T00:00:00Z'); // c3's only order: c3 must stay scored
    await change('o12', 'returned', '2024-03-30T00:00:00Z'); // c5's repeat purchase (BTYD frequency)
    await change('o8', 'returned', '2024-03-29T00:00:00Z'); // in the label window, returned at its end
    expect(await read()).toEqual(before); // NaN equals NaN here

    // The control: the same kind of change dated before the cutoff does change features and baskets.
    await change('o1', 'returned', '2024-03-01T00:00:00Z');
    const m = await customerFeatures(wh, { cutoff: CUTOFF });
    expect(feature(m, 'c1', 'frequency')).toBe(1);
    expect(feature(m, 'c1', 'return_share')).toBeCloseTo(1 / 3, 6);
    expect((await loadBaskets(wh, { cutoff: CUTOFF })).orderIds).not.toContain('o1');
    // And a label window that ends after a return no longer counts the returned order.
    const late = await customerOutcomes(wh, ids, { cutoff: CUTOFF, horizonDays: 9 });
    expect(late.orders[1]).toBe(0); // c2: o8 returned on 03-29, before 03-30
  });

  it('leaves non-merchandise lines out of the price index (a manual adjustment has no usual price)', async () => {
    // Three one-line customers on a non-merchandise adjustment code whose median price is 1: before
    // the fix c7 "paid 31000% of the usual price".
    await wh.exec(`INSERT INTO products (product_id, title, is_merchandise) VALUES ('M', 'Manual', false)`);
    await wh.exec(`INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES
      ('m7', 'c7', '2024-03-01', 'shipped'), ('m8', 'c8', '2024-03-02', 'shipped'), ('m9', 'c9', '2024-03-03', 'shipped')`);
    await wh.exec(`INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price) VALUES
      ('m7', 1, 'M', 1, 310), ('m8', 1, 'M', 1, 1), ('m9', 1, 'M', 1, 1)`);
    const m = await customerFeatures(wh, { cutoff: CUTOFF });
    expect(feature(m, 'c7', 'price_index')).toBeNaN();
    expect(feature(m, 'c7', 'monetary_total')).toBe(310); // still spend, just not a price comparison
    expect(feature(m, 'c1', 'price_index')).toBe(1); // its postage line no longer enters, p1 and p3 do
    const def = CUSTOMER_FEATURES.find((f) => f.name === 'price_index')!;
    expect(sayFeature(def, feature(m, 'c7', 'price_index'), () => NaN)).toMatch(/: unknown$/);
  });

  it('reads the same matrix for a fixed list of names (a trained model) and refuses unknown ones', async () => {
    const m = await customerFeatures(wh, { cutoff: CUTOFF, names: ['frequency', 'recency_days'] });
    expect(m.names).toEqual(['frequency', 'recency_days']);
    expect(Array.from(m.values.subarray(0, 2))).toEqual([2, Math.fround(39 + 16 / 24)]);
    await expect(customerFeatures(wh, { cutoff: CUTOFF, names: ['shoe_size'] })).rejects.toThrow(
      "unknown customer feature 'shoe_size'",
    );
  });

  it('reads review sentiment written before the cutoff only (label or stars, else the stored score)', async () => {
    // c1: 1 star and 5 stars before the cutoff, 3 stars (neither) too; c2: no stars, a stored score
    // of 0.2; c3: labelled positive. After the cutoff (must not count): c1 1 star at the cutoff
    // exactly, c4 1 star, c2 a stored-score review.
    await wh.exec(`INSERT INTO reviews (review_id, customer_id, product_id, rating, label, body, created_at) VALUES
      ('v1', 'c1', 'p1', 1, NULL, 'broke', '2024-02-01'), ('v2', 'c1', 'p1', 5, NULL, 'great', '2024-02-02'),
      ('v3', 'c1', 'p3', 3, NULL, 'ok', '2024-03-01'), ('v4', 'c2', NULL, NULL, NULL, 'meh', '2024-03-02'),
      ('v5', 'c3', NULL, NULL, 1, 'good', '2024-01-15'),
      ('w1', 'c1', 'p1', 1, NULL, 'bad', '2024-03-21 00:00'), ('w2', 'c4', 'p1', 1, NULL, 'bad', '2024-03-25'),
      ('w3', 'c2', NULL, NULL, NULL, 'awful', '2024-04-01')`);
    await wh.exec(`INSERT INTO review_scores (review_id, model_id, probability, label, aspects, scored_at) VALUES
      ('v4', 'sentiment@1', 0.2, 0, '[]', '2024-05-01'), ('w3', 'sentiment@1', 0.1, 0, '[]', '2024-05-01')`);
    const m = await customerFeatures(wh, { cutoff: CUTOFF });
    expect(m.names.slice(-2)).toEqual(['reviews_written', 'negative_review_share']);
    expect(feature(m, 'c1', 'reviews_written')).toBe(3);
    expect(feature(m, 'c1', 'negative_review_share')).toBe(0.5); // 1 of the 2 judged (3 stars is neither)
    expect(feature(m, 'c2', 'negative_review_share')).toBe(1); // its stored score
    expect(feature(m, 'c3', 'negative_review_share')).toBe(0); // its label
    expect(feature(m, 'c4', 'reviews_written')).toBe(0); // its review came after the cutoff
    expect(feature(m, 'c4', 'negative_review_share')).toBeNaN();
    const def = CUSTOMER_FEATURES.find((f) => f.name === 'negative_review_share')!;
    expect(sayFeature(def, 0.5, () => NaN)).toBe('50% of their reviews negative');

    // Leakage: reviews and scores at or after the cutoff, and rescoring them, change nothing.
    await wh.exec(`INSERT INTO reviews (review_id, customer_id, rating, body, created_at) VALUES
      ('w4', 'c3', 1, 'worst', '2024-03-22'), ('w5', 'c5', 2, 'bad', '2024-06-01')`);
    await wh.exec(`UPDATE review_scores SET probability = 0.9, label = 1 WHERE review_id = 'w3'`);
    const after = await customerFeatures(wh, { cutoff: CUTOFF });
    expect(after.names).toEqual(m.names);
    expect(Array.from(after.values)).toEqual(Array.from(m.values));
    // Before any review, the review features are left out.
    const early = await customerFeatures(wh, { cutoff: new Date('2024-01-10T00:00:00Z') });
    expect(early.names).not.toContain('reviews_written');
  });

  it('leaves event features out when there are no events before the cutoff', async () => {
    const m = await customerFeatures(wh, { cutoff: new Date('2024-03-01T00:00:00Z') });
    expect(m.names).not.toContain('views_30d');
    expect(m.customerIds).toEqual(['c1', 'c2', 'c4', 'c5']);
  });
});

describe('customerOutcomes and btydSummary', () => {
  it('labels purchases in [cutoff, cutoff + horizon) and summarises purchase days like lifetimes', async () => {
    const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const y = await customerOutcomes(wh, ids, { cutoff: CUTOFF, horizonDays: 7 });
    // After 03-21 within 7 days: o8 c2 03-25 (30); o9 c1 03-28 15:00 is past 03-28 00:00.
    expect(Array.from(y.bought)).toEqual([0, 1, 0, 0, 0]);
    expect(Array.from(y.spend)).toEqual([0, 30, 0, 0, 0]);
    expect(Array.from(y.firstOrderDays)).toEqual([NaN, 4 + 10 / 24, NaN, NaN, NaN]); // o8 03-25 10:00
    const y8 = await customerOutcomes(wh, ids, { cutoff: CUTOFF, horizonDays: 8 });
    expect(Array.from(y8.bought)).toEqual([1, 1, 0, 0, 0]);
    const s = await btydSummary(wh, ids, CUTOFF);
    // c1 days 01-05, 02-10: x = 1, t_x = 36, T = 01-05 -> 03-21 = 76, m = 10 (the repeat day only)
    // c5 days 01-15, 03-10: x = 1, t_x = 55, T = 66, m = 12.5; others one purchase day.
    expect(Array.from(s.frequency)).toEqual([1, 0, 0, 0, 1]);
    expect(Array.from(s.recency)).toEqual([36, 0, 0, 0, 55]);
    expect(Array.from(s.T)).toEqual([76, 61, 20, 49, 66]);
    expect(Array.from(s.monetary)).toEqual([10, 0, 0, 0, 12.5]);
  });
});
