import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Warehouse } from '../warehouse.js';
import { storeRange } from './store-range.js';
import { openEmptyStore, openTestStore } from './test-store.js';

let wh: Warehouse;
let empty: Warehouse;
beforeAll(async () => {
  wh = await openTestStore();
  empty = await openEmptyStore();
});
afterAll(async () => {
  await wh.close();
  await empty.close();
});

describe('storeRange', () => {
  it('spans the first and last order of any status, and takes the most common currency', async () => {
    // test-store.ts: o1 2024-01-05 10:00 is the first, o9 2024-03-28 15:00 the last, 13 orders.
    expect(await storeRange(wh)).toEqual({
      firstOrderAt: '2024-01-05 10:00:00',
      lastOrderAt: '2024-03-28 15:00:00',
      orders: 13,
      currency: null,
    });
    await wh.exec(`UPDATE orders SET currency = 'EUR' WHERE order_id IN ('o2', 'o6', 'o7')`);
    await wh.exec(`UPDATE orders SET currency = 'GBP' WHERE order_id = 'o1'`);
    expect((await storeRange(wh)).currency).toBe('EUR');
  });

  it('is empty for a store without orders', async () => {
    expect(await storeRange(empty)).toEqual({
      firstOrderAt: null,
      lastOrderAt: null,
      orders: 0,
      currency: null,
    });
  });
});
