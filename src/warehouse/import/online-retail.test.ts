import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getPreset } from '../../ingest/presets/index.js';
import type { Warehouse } from '../warehouse.js';
import { importSource } from './import-source.js';
import { memoryWarehouse, scratch, snapshot, type Scratch } from './test-helpers.js';

// Twelve data lines in the UCI Online Retail layout. Line numbers below count the header as line 1.
const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const LINES = [
  '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom', // 2
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom', // 3
  '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom', // 4: exact copy of 3
  '536366,POST,POSTAGE,1,2010-12-01 08:28:00,18.00,12583,France', // 5: postage, non-merchandise
  '536366,22633,HAND WARMER UNION JACK,12,2010-12-01 08:28:00,1.85,12583,France', // 6
  'C536379,22633,HAND WARMER UNION JACK,-2,2010-12-01 09:41:00,1.85,12583,France', // 7: cancellation
  '536380,22633,"HAND WARMER, UNION JACK",0,2010-12-01 09:45:00,1.85,12583,France', // 8: zero quantity
  '536381,22139,damaged,-10,2010-12-01 09:50:00,0,,United Kingdom', // 9: stock adjustment, negative qty
  '536382,22139,RETROSPOT TEA SET,3,2010-12-01 10:00:00,0,,United Kingdom', // 10: zero price, guest
  '536383,22139,RETROSPOT TEA SET,2,2010-12-01 10:05:00,4.95,,United Kingdom', // 11: guest order
  '536384,gift_0001_20,Dotcomgiftshop Gift Voucher £20.00,1,2010-12-01 10:10:00,16.67,17850,United Kingdom', // 12
  'A563186,B,Adjust bad debt,1,2011-08-12 14:51:00,-11062.06,,United Kingdom', // 13: negative price
];

describe('online-retail preset', () => {
  let s: Scratch;
  let wh: Warehouse;
  let file: string;
  beforeEach(async () => {
    s = scratch();
    wh = await memoryWarehouse();
    file = s.writeGz('online_retail.csv.gz', [HEADER, ...LINES].join('\n') + '\n');
  });
  afterEach(async () => {
    await wh.close();
    s.cleanup();
  });

  it('accounts for every line: imported + quarantined = read, with the reason of each', async () => {
    const r = await importSource(wh, { target: file, preset: getPreset('online-retail') });
    expect(r.rowsRead).toBe(12);
    // Usable lines: 2, 3, 5, 6, 7, 11, 12.
    expect(r.rowsImported).toBe(7);
    expect(r.rowsQuarantined).toBe(5);
    expect(r.quarantinedByReason).toEqual({
      duplicate_row: 1,
      non_positive_quantity: 2,
      zero_price: 1,
      negative_price: 1,
    });
    const q = await wh.rows('SELECT line, "column", reason, detail FROM quarantine ORDER BY line');
    expect(q).toEqual([
      { line: 4, column: null, reason: 'duplicate_row', detail: 'an exact copy of line 3' },
      {
        line: 8,
        column: 'Quantity',
        reason: 'non_positive_quantity',
        detail: "'0' is not a positive quantity",
      },
      {
        line: 9,
        column: 'Quantity',
        reason: 'non_positive_quantity',
        detail: "'-10' is not a positive quantity",
      },
      { line: 10, column: 'UnitPrice', reason: 'zero_price', detail: 'unit price is zero' },
      {
        line: 13,
        column: 'UnitPrice',
        reason: 'negative_price',
        detail: "'-11062.06' is a negative unit price",
      },
    ]);
  });

  it('keeps one order per invoice, cancellations as cancelled orders with positive quantities', async () => {
    await importSource(wh, { target: file, preset: getPreset('online-retail') });
    const orders = await wh.rows(
      'SELECT order_id, customer_id, status, CAST(total AS DOUBLE) AS total, country FROM orders ORDER BY order_id',
    );
    expect(orders).toEqual([
      {
        order_id: '536365',
        customer_id: '17850',
        status: 'placed',
        total: 6 * 2.55 + 6 * 3.39,
        country: 'United Kingdom',
      },
      {
        order_id: '536366',
        customer_id: '12583',
        status: 'placed',
        total: 18 + 12 * 1.85,
        country: 'France',
      },
      // Every line of 536380..536382 was quarantined; the invoices still count, with total 0.
      { order_id: '536380', customer_id: '12583', status: 'placed', total: 0, country: 'France' },
      { order_id: '536381', customer_id: null, status: 'placed', total: 0, country: 'United Kingdom' },
      { order_id: '536382', customer_id: null, status: 'placed', total: 0, country: 'United Kingdom' },
      { order_id: '536383', customer_id: null, status: 'placed', total: 9.9, country: 'United Kingdom' },
      { order_id: '536384', customer_id: '17850', status: 'placed', total: 16.67, country: 'United Kingdom' },
      { order_id: 'A563186', customer_id: null, status: 'placed', total: 0, country: 'United Kingdom' },
      { order_id: 'C536379', customer_id: '12583', status: 'cancelled', total: 3.7, country: 'France' },
    ]);
    expect(
      await wh.rows("SELECT line_no, product_id, quantity FROM order_items WHERE order_id = 'C536379'"),
    ).toEqual([{ line_no: 1, product_id: '22633', quantity: 2 }]);
  });

  it('makes one product per stock code, with the most used title and non-merchandise flagged', async () => {
    await importSource(wh, { target: file, preset: getPreset('online-retail') });
    const products = await wh.rows(
      'SELECT product_id, title, is_merchandise, CAST(price AS DOUBLE) AS price FROM products ORDER BY product_id',
    );
    expect(products).toEqual([
      { product_id: '22139', title: 'RETROSPOT TEA SET', is_merchandise: true, price: 4.95 },
      { product_id: '22633', title: 'HAND WARMER UNION JACK', is_merchandise: true, price: 1.85 },
      { product_id: '71053', title: 'WHITE METAL LANTERN', is_merchandise: true, price: 3.39 },
      {
        product_id: '85123A',
        title: 'WHITE HANGING HEART T-LIGHT HOLDER',
        is_merchandise: true,
        price: 2.55,
      },
      { product_id: 'B', title: 'Adjust bad debt', is_merchandise: false, price: null },
      { product_id: 'POST', title: 'POSTAGE', is_merchandise: false, price: 18 },
      {
        product_id: 'gift_0001_20',
        title: 'Dotcomgiftshop Gift Voucher £20.00',
        is_merchandise: false,
        price: 16.67,
      },
    ]);
    const customers = await wh.rows(
      'SELECT customer_id, country, first_seen_at FROM customers ORDER BY customer_id',
    );
    expect(customers).toEqual([
      { customer_id: '12583', country: 'France', first_seen_at: new Date('2010-12-01T08:28:00Z') },
      { customer_id: '17850', country: 'United Kingdom', first_seen_at: new Date('2010-12-01T08:26:00Z') },
    ]);
  });

  it('is idempotent: importing the same file again changes no count', async () => {
    await importSource(wh, { target: file, preset: getPreset('online-retail') });
    const first = await snapshot(wh);
    const again = await importSource(wh, { target: file, preset: getPreset('online-retail') });
    expect(again.rowsRead).toBe(12);
    expect({ ...(await snapshot(wh)), imports: 1 }).toEqual({ ...first, imports: 1 });
  });
});
