import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateOrderStatus } from '../order-status.js';
import type { Warehouse } from '../warehouse.js';
import { rfm } from './rfm.js';
import { segmentFor } from './rfm-segments.js';
import { parseDecimal, scoreRfm, segmentTotals } from './rfm-scores.js';
import { money } from './sql.js';
import { openEmptyStore, openTestStore } from './test-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

describe('rfm', () => {
  it('scores customers as of the day after the last order', async () => {
    const res = await rfm(wh);
    expect(res.asOf).toBe('2024-03-29'); // last order o9 on 03-28
    // score = 1 + floor(5 * (customers strictly worse) / 5)
    // recency (days to 03-29): c1 1, c2 4, c5 19, c3 28, c4 57 (02-01 -> 03-29, 2024 is a leap year)
    // frequency: c1 3, c2 2, c5 2, c3 1, c4 1  (c4's o13 and c2's o7 are not sales)
    //   -> c3/c4 tie: none worse -> 1; c2/c5 tie: 2 worse -> 3; c1: 4 worse -> 5
    // monetary: c4 15, c5 42.5, c2 60, c1 90, c3 100
    expect(res.customers).toEqual([
      {
        customer_id: 'c1',
        recency_days: 1,
        frequency: 3,
        monetary: 90,
        r: 5,
        f: 5,
        m: 4,
        segment: 'champions',
      },
      { customer_id: 'c2', recency_days: 4, frequency: 2, monetary: 60, r: 4, f: 3, m: 3, segment: 'active' },
      {
        customer_id: 'c3',
        recency_days: 28,
        frequency: 1,
        monetary: 100,
        r: 2,
        f: 1,
        m: 5,
        segment: 'at_risk',
      },
      {
        customer_id: 'c4',
        recency_days: 57,
        frequency: 1,
        monetary: 15,
        r: 1,
        f: 1,
        m: 1,
        segment: 'dormant',
      },
      {
        customer_id: 'c5',
        recency_days: 19,
        frequency: 2,
        monetary: 42.5,
        r: 3,
        f: 3,
        m: 2,
        segment: 'needs_attention',
      },
    ]);
    expect(res.scoredCustomers).toBe(5);
    expect(res.prospects).toBe(1); // c6 signed up but never ordered
    const counts = Object.fromEntries(res.segments.map((s) => [s.segment, s.customers]));
    expect(counts).toEqual({
      champions: 1,
      loyal: 0,
      active: 1,
      needs_attention: 1,
      new: 0,
      promising: 0,
      previously_loyal: 0,
      at_risk: 1,
      almost_lost: 0,
      dormant: 1,
      prospects: 1,
    });
    const champions = res.segments.find((s) => s.segment === 'champions');
    expect(champions).toMatchObject({ label: 'Champions', share: 1 / 6, avgRecencyDays: 1, monetary: 90 });
  });

  it('gives tied values the same score and uses only orders before asOf', async () => {
    const res = await rfm(wh, { asOf: '2024-03-01' });
    // Before 03-01: c1 o1 60 + o3 10 (last 02-10), c2 o2 30 (01-20), c4 o10 15 (02-01), c5 o11 30 (01-15);
    // c3's first order is at 03-01 00:00, so c3 is not scored, and neither c3 nor c6 was seen yet.
    // n = 4: recency c5 46, c2 41, c4 29, c1 20 -> 1 + floor(5k/4) for k = 0..3 -> 1, 2, 3, 4
    // frequency c2 = c4 = c5 = 1 -> all 1 (NTILE would give 1, 2, 3); c1 2 -> 1 + floor(15/4) = 4
    // monetary c4 15 -> 1; c2 = c5 = 30 -> both 1 + floor(5/4) = 2; c1 70 -> 4
    expect(res.customers.map((c) => [c.customer_id, c.recency_days, c.r, c.f, c.m, c.segment])).toEqual([
      ['c1', 20, 4, 4, 4, 'loyal'],
      ['c2', 41, 2, 1, 2, 'almost_lost'],
      ['c4', 29, 3, 1, 1, 'promising'],
      ['c5', 46, 1, 1, 2, 'dormant'],
    ]);
    expect(res.prospects).toBe(0);
    expect(res.segments.map((s) => s.segment)).not.toContain('prospects');
  });

  it('reads each order with the status it had on asOf: a return dated after it changes no score', async () => {
    const own = await openTestStore(); // changed below, so not the shared store
    const before = await rfm(own, { asOf: '2024-03-01', includeCustomers: true });
    const returned = (at: string): Promise<unknown> =>
      updateOrderStatus(own, { orderId: 'o3', status: 'returned', changedAt: new Date(at) });
    await returned('2024-03-01T00:00:00Z');
    expect(await rfm(own, { asOf: '2024-03-01', includeCustomers: true })).toEqual(before);
    // Dated the day before, it is a return on 03-01: c1 has one sale left (o1 on 01-05).
    await returned('2024-02-29T00:00:00Z');
    const after = await rfm(own, { asOf: '2024-03-01', includeCustomers: true });
    expect(after.customers.find((c) => c.customer_id === 'c1')).toMatchObject({
      recency_days: 56,
      frequency: 1,
    });
    await own.close();
  });

  it('puts every customer with a sales order in exactly one segment (random store with many ties)', async () => {
    const big = await openEmptyStore();
    // 400 customers; order counts 1..6 and amounts from a coarse grid, so ties are everywhere.
    await big.exec(`INSERT INTO orders (order_id, customer_id, ordered_at, status)
      SELECT 'o' || c || '-' || k, 'c' || c, TIMESTAMP '2024-01-01' + INTERVAL (hash(c * 7 + k) % 300) DAY,
             CASE WHEN hash(c, k) % 9 = 0 THEN 'cancelled' ELSE 'shipped' END
      FROM range(400) t(c), range(6) u(k) WHERE k <= hash(c) % 6`);
    await big.exec(`INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price)
      SELECT order_id, 1, 'p', 1 + hash(order_id) % 3, 5 * (1 + hash(order_id || 'x') % 4) FROM orders`);
    await big.exec(`INSERT INTO customers (customer_id) SELECT 'c' || c FROM range(450) t(c)`);
    const buyers = await big.rows<{ n: number }>(
      `SELECT count(DISTINCT customer_id) AS n FROM orders WHERE status <> 'cancelled'`,
    );
    const res = await rfm(big);
    await big.close();

    const ids = res.customers.map((c) => c.customer_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(buyers[0]?.n);
    expect(res.scoredCustomers).toBe(ids.length);
    // customers rows 450 = scored + prospects (those whose orders were all cancelled, plus c400..c449)
    expect(res.scoredCustomers + res.prospects).toBe(450);
    expect(res.segments.reduce((s, x) => s + x.customers, 0)).toBe(450);
    for (const c of res.customers) expect(c.segment).toBe(segmentFor(c.r, c.f, c.m));
    // Same value -> same score; better value -> score at least as high
    const checks: [keyof (typeof res.customers)[number], 'r' | 'f' | 'm', number][] = [
      ['recency_days', 'r', -1],
      ['frequency', 'f', 1],
      ['monetary', 'm', 1],
    ];
    for (const [value, score, sign] of checks) {
      const sorted = [...res.customers].sort((a, b) => sign * ((a[value] as number) - (b[value] as number)));
      for (let i = 1; i < sorted.length; i++) {
        const [a, b] = [sorted[i - 1]!, sorted[i]!];
        if (a[value] === b[value]) expect(a[score]).toBe(b[score]);
        else expect(a[score]).toBeLessThanOrEqual(b[score]);
      }
      expect(Math.min(...res.customers.map((c) => c[score]))).toBe(1);
      expect(Math.max(...res.customers.map((c) => c[score]))).toBeLessThanOrEqual(5);
    }
    // The TypeScript scorer (ClickHouse's path, rfm-scores.ts) gives every customer the same scores,
    // segment and totals as DuckDB's window functions on this tie-heavy store.
    const values = res.customers.map((c) => ({ ...c, monetary: parseDecimal(c.monetary.toFixed(4), 4) }));
    expect(scoreRfm(values, 4)).toEqual(res.customers);
    const totals = segmentTotals(
      scoreRfm(values, 4),
      values.map((v) => v.monetary),
      4,
    );
    for (const t of totals) {
      const s = res.segments.find((x) => x.segment === t.segment)!;
      expect([t.customers, t.avg_recency, t.avg_frequency, money(t.monetary)]).toEqual([
        s.customers,
        s.avgRecencyDays,
        s.avgFrequency,
        s.monetary,
      ]);
    }
  });

  it('can leave out the per-customer rows, and refuses a malformed asOf', async () => {
    const res = await rfm(wh, { includeCustomers: false });
    expect(res.customers).toEqual([]);
    expect(res.scoredCustomers).toBe(5);
    await expect(rfm(wh, { asOf: '2024-03-01T10:00' })).rejects.toThrow(/asOf/);
  });
});
