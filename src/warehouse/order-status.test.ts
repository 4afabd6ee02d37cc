import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateStore } from '../generate/index.js';
import { getPreset } from '../ingest/presets/index.js';
import { ordersAsOf } from './analytics/sql.js';
import { importSource } from './import/import-source.js';
import { memoryWarehouse, scratch, type Scratch } from './import/test-helpers.js';
import { updateOrderStatus } from './order-status.js';
import type { Warehouse } from './warehouse.js';

let wh: Warehouse;
let s: Scratch;
beforeEach(async () => {
  wh = await memoryWarehouse();
  s = scratch();
});
afterEach(async () => {
  await wh.close();
  s.cleanup();
});

const history = (): Promise<Record<string, unknown>[]> =>
  wh.rows(
    `SELECT order_id, status, strftime(changed_at, '%Y-%m-%d %H:%M') AS at
     FROM order_status_history ORDER BY order_id, changed_at`,
  );

/** Each order's status as of `at` through the shared read-side helper. */
async function statusAsOf(at: string): Promise<Record<string, string>> {
  const rows = await wh.rows<{ order_id: string; status: string }>(
    `SELECT order_id, status FROM ${ordersAsOf('CAST($1 AS TIMESTAMP)')} o ORDER BY order_id`,
    [at],
  );
  return Object.fromEntries(rows.map((r) => [r.order_id, r.status]));
}

// Two Online Retail invoices: a sale and its C-invoice cancellation (no status times in the source).
const RETAIL = `InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country
536365,85123A,HEART,6,2010-12-01 08:26:00,2.55,17850,United Kingdom
C536379,85123A,HEART,-1,2010-12-01 09:41:00,2.55,17850,United Kingdom
`;

describe('order status history from imports', () => {
  it('dates statuses without a source time at ordered_at, says so, and adds nothing on a re-import', async () => {
    const file = s.write('online_retail.csv', RETAIL);
    const r = await importSource(wh, { target: file, preset: getPreset('online-retail') });
    expect(r.files[0]!.statusTimes).toBe('ordered_at');
    expect(r.tables.order_status_history).toEqual({ written: 2, total: 2 });
    const expected = [
      { order_id: '536365', status: 'placed', at: '2010-12-01 08:26' },
      { order_id: 'C536379', status: 'cancelled', at: '2010-12-01 09:41' },
    ];
    expect(await history()).toEqual(expected);
    const again = await importSource(wh, { target: file, preset: getPreset('online-retail') });
    expect(again.tables.order_status_history).toEqual({ written: 0, total: 2 });
    expect(await history()).toEqual(expected);
  });

  it('takes the time from status_changed_at, is placed before it, and dates an untimed later change at the import', async () => {
    const dir = s.dir;
    s.write('products.csv', 'product_id,title\nP1,Mug\n');
    s.write(
      'order_items.csv',
      'order_id,line_no,product_id,quantity,unit_price\nO1,1,P1,1,5.00\nO2,1,P1,1,5.00\n',
    );
    s.write(
      'orders.csv',
      'order_id,customer_id,ordered_at,status,status_changed_at\n' +
        'O1,C1,2024-01-01 10:00:00,returned,2024-01-20 09:00:00\n' +
        'O2,C1,2024-01-02 10:00:00,shipped,\n',
    );
    const r = await importSource(wh, { target: dir, preset: getPreset('shopsight') });
    expect(r.files.find((f) => f.frame === 'orders')!.statusTimes).toBe('source');
    expect(await history()).toEqual([
      { order_id: 'O1', status: 'returned', at: '2024-01-20 09:00' },
      { order_id: 'O2', status: 'shipped', at: '2024-01-02 10:00' },
    ]);
    // Before its return O1 was a sale; at and after the change time it is returned.
    expect(await statusAsOf('2024-01-20 09:00')).toEqual({ O1: 'placed', O2: 'shipped' });
    expect(await statusAsOf('2024-01-20 09:01')).toEqual({ O1: 'returned', O2: 'shipped' });
    expect(await wh.rows(`SELECT order_id, status, status_changed_at FROM orders ORDER BY 1`)).toEqual([
      { order_id: 'O1', status: 'returned', status_changed_at: new Date('2024-01-20T09:00:00Z') },
      { order_id: 'O2', status: 'shipped', status_changed_at: null }, // since ordered_at
    ]);

    // The same file again: nothing new. Then a newer export where O2 was cancelled, with no time.
    await importSource(wh, { target: dir, preset: getPreset('shopsight') });
    expect(await history()).toHaveLength(2);
    s.write('orders.csv', 'order_id,customer_id,ordered_at,status\nO2,C1,2024-01-02 10:00:00,cancelled\n');
    const before = Date.now();
    await importSource(wh, { target: dir, preset: getPreset('shopsight') });
    const [change] = await wh.rows<{ changed_at: Date }>(
      `SELECT changed_at FROM order_status_history WHERE order_id = 'O2' AND status = 'cancelled'`,
    );
    // Dated when the import learned it (the import's start, within this test's run), not at ordered_at.
    expect(change!.changed_at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await statusAsOf('2024-06-01')).toEqual({ O1: 'returned', O2: 'shipped' });
  });

  it('imports the generated store with its status times (--preset shopsight)', async () => {
    const out = join(s.dir, 'gen');
    await generateStore({ customers: 300, days: 90, seed: 5, out });
    const r = await importSource(wh, { target: out, preset: getPreset('shopsight') });
    expect(r.files.find((f) => f.frame === 'orders')!.statusTimes).toBe('source');
    const [c] = await wh.rows<{ orders: number; history: number; returned: number; early: number }>(
      `SELECT (SELECT count(*) FROM orders) AS orders, count(*) AS history,
              count(*) FILTER (WHERE h.status = 'returned') AS returned,
              count(*) FILTER (WHERE h.status = 'returned' AND h.changed_at < o.ordered_at + INTERVAL 14 DAY) AS early
       FROM order_status_history h JOIN orders o USING (order_id)`,
    );
    expect(c!.history).toBe(c!.orders); // one dated row per order: its status at export
    expect(c!.returned).toBeGreaterThan(0);
    expect(c!.early).toBe(0);
    // A returned order was a sale the day before its return.
    const [ret] = await wh.rows<{ order_id: string; changed_at: Date }>(
      `SELECT order_id, changed_at FROM order_status_history WHERE status = 'returned' ORDER BY order_id LIMIT 1`,
    );
    const dayBefore = new Date(ret!.changed_at.getTime() - 86_400_000).toISOString().slice(0, 19);
    const [then] = await wh.rows<{ status: string }>(
      `SELECT status FROM ${ordersAsOf('CAST($1 AS TIMESTAMP)')} o WHERE order_id = $2`,
      [dayBefore, ret!.order_id],
    );
    expect(then!.status).toBe('placed');
  });

  it('quarantines a status change dated before the order', async () => {
    s.write(
      'orders.csv',
      // O2 is sound: a file of which no row imports is refused whole (check-frame.ts).
      'order_id,ordered_at,status,status_changed_at\nO1,2024-01-02 10:00:00,cancelled,2024-01-01 00:00:00\n' +
        'O2,2024-01-02 10:00:00,paid,2024-01-03 00:00:00\n',
    );
    const r = await importSource(wh, { target: s.dir, preset: getPreset('shopsight') });
    expect(r.quarantinedByReason).toEqual({ invalid_value: 1 });
    expect(await wh.rows('SELECT "column", detail FROM quarantine')).toEqual([
      { column: 'status_changed_at', detail: "'2024-01-01 00:00:00' is before the order time (ordered_at)" },
    ]);
  });
});

describe('updateOrderStatus (what an order update calls)', () => {
  beforeEach(async () => {
    await wh.exec(`INSERT INTO orders (order_id, customer_id, ordered_at, status) VALUES
      ('O1', 'C1', '2024-01-01 10:00', 'paid')`);
  });

  it('records the change with its time, keeps the earlier status before it, and is idempotent', async () => {
    const at = new Date('2024-01-05T12:00:00Z');
    expect(await updateOrderStatus(wh, { orderId: 'O1', status: 'shipped', changedAt: at })).toBe('shipped');
    expect(await updateOrderStatus(wh, { orderId: 'O1', status: 'shipped', changedAt: at })).toBe('shipped');
    expect(await history()).toEqual([
      { order_id: 'O1', status: 'paid', at: '2024-01-01 10:00' }, // what the order had, from ordered_at
      { order_id: 'O1', status: 'shipped', at: '2024-01-05 12:00' },
    ]);
    // A return reported late, then an earlier-dated correction: the current status stays the latest.
    const ret = new Date('2024-02-01T00:00:00Z');
    expect(await updateOrderStatus(wh, { orderId: 'O1', status: 'returned', changedAt: ret })).toBe(
      'returned',
    );
    const paid = new Date('2024-01-02T00:00:00Z');
    expect(await updateOrderStatus(wh, { orderId: 'O1', status: 'paid', changedAt: paid })).toBe('returned');
    expect(await statusAsOf('2024-01-03')).toEqual({ O1: 'paid' });
    expect(await statusAsOf('2024-01-31')).toEqual({ O1: 'shipped' });
    expect(await statusAsOf('2024-02-02')).toEqual({ O1: 'returned' });
    expect(await wh.rows('SELECT status, status_changed_at FROM orders')).toEqual([
      { status: 'returned', status_changed_at: ret },
    ]);
  });

  it('refuses an unknown order, an unknown status and a change before the order', async () => {
    const at = new Date('2024-01-05T00:00:00Z');
    await expect(updateOrderStatus(wh, { orderId: 'O9', status: 'paid', changedAt: at })).rejects.toThrow(
      'order O9 is not in the warehouse',
    );
    await expect(
      updateOrderStatus(wh, { orderId: 'O1', status: 'lost' as 'paid', changedAt: at }),
    ).rejects.toThrow("order status must be one of placed, paid, shipped, cancelled, returned, got 'lost'");
    await expect(
      updateOrderStatus(wh, {
        orderId: 'O1',
        status: 'cancelled',
        changedAt: new Date('2023-12-31T00:00:00Z'),
      }),
    ).rejects.toThrow('is before the order (2024-01-01T10:00:00.000Z)');
    expect(await history()).toEqual([]);
  });
});
