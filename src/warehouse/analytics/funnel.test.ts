import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse.js';
import { funnel } from './funnel.js';
import { openEmptyStore, openTestStore } from './test-store.js';

let wh: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
});
afterAll(async () => {
  await wh.close();
});

describe('funnel', () => {
  it('counts sessions per step, grouping events without session_id per visitor and day', async () => {
    const f = await funnel(wh);
    if (!f.available) throw new Error(f.reason);
    // Sessions: s1 {view, cart, purchase}, s2 {view, cart}, s3 {view}, s4 {cart, purchase},
    // c2@03-10 {view, cart}, c2@03-11 {purchase}, a3@03-10 {search} -> 7
    expect(f.sessions).toBe(7);
    expect(f.steps).toEqual([
      // with a view: s1, s2, s3, c2@03-10
      { step: 'view', sessions: 4, reached: 4, conversionFromPrevious: null },
      // with a cart: s1, s2, s4, c2@03-10; also viewed: s1, s2, c2@03-10 -> 3 / 4
      { step: 'add_to_cart', sessions: 4, reached: 3, conversionFromPrevious: 0.75 },
      // with a purchase: s1, s4, c2@03-11; also viewed and carted: s1 only -> 1 / 3
      { step: 'purchase', sessions: 3, reached: 1, conversionFromPrevious: 1 / 3 },
    ]);
    expect(f.viewToPurchase).toBe(0.25);
  });

  it('applies the period to event times', async () => {
    const f = await funnel(wh, { period: { from: '2024-03-11' } });
    if (!f.available) throw new Error(f.reason);
    // Left: c2@03-11 {purchase}, s4 {cart, purchase}; no views, so no step is reached
    expect(f.sessions).toBe(2);
    expect(f.steps.map((s) => [s.sessions, s.reached, s.conversionFromPrevious])).toEqual([
      [0, 0, null],
      [1, 0, null],
      [2, 0, null],
    ]);
  });

  it('says it is unavailable when there are no events', async () => {
    const empty = await openEmptyStore();
    const f = await funnel(empty);
    await empty.close();
    expect(f).toMatchObject({ available: false, reason: expect.stringMatching(/events table is empty/) });
    const none = await funnel(wh, { period: { from: '2025-01-01' } });
    expect(none).toMatchObject({ available: false, reason: expect.stringMatching(/no events between/) });
  });
});
