import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMapping } from '../../ingest/parse-mapping.js';
import { getPreset } from '../../ingest/presets/index.js';
import { expandKey, hmacPseudonym } from '../../ingest/pseudonymise.js';
import type { Warehouse } from '../warehouse.js';
import { importSource } from './import-source.js';
import { memoryWarehouse, scratch, snapshot, type Scratch } from './test-helpers.js';

let s: Scratch;
let wh: Warehouse;
beforeEach(async () => {
  s = scratch();
  wh = await memoryWarehouse();
});
afterEach(async () => {
  await wh.close();
  s.cleanup();
});

describe('cdnow preset (space-aligned, header line, CRLF)', () => {
  it('keeps every transaction, same-day repeats included', async () => {
    const file = s.write(
      'CDNOW_master.txt',
      [
        ' customer_id  date number_of_cds  dollar_value',
        ' 00001 19970101  1   11.77',
        ' 00002 19970112  1   12.00',
        ' 00002 19970112  1   12.00', // a second identical purchase the same day
        ' 00002 19970112  5   77.00',
        ' 00003 19970102  2   20.76',
      ].join('\r\n') + '\r\n',
    );
    const r = await importSource(wh, { target: file, preset: getPreset('cdnow') });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([5, 5, 0]);
    expect(
      await wh.rows(
        'SELECT customer_id, count(*) AS n, CAST(sum(total) AS DOUBLE) AS spend FROM orders GROUP BY 1 ORDER BY 1',
      ),
    ).toEqual([
      { customer_id: '00001', n: 1, spend: 11.77 },
      { customer_id: '00002', n: 3, spend: 101 },
      { customer_id: '00003', n: 1, spend: 20.76 },
    ]);
    expect(await wh.rows("SELECT order_id, ordered_at FROM orders WHERE customer_id = '00001'")).toEqual([
      { order_id: '00001-19970101-2', ordered_at: new Date('1997-01-01T00:00:00Z') },
    ]);
  });

  it('quarantines a line with a missing field, with its line number', async () => {
    const file = s.write(
      'cd.txt',
      ' customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n 00002 19970112  1\n',
    );
    const r = await importSource(wh, { target: file, preset: getPreset('cdnow') });
    expect(r.quarantinedByReason).toEqual({ malformed_row: 1 });
    expect(await wh.rows('SELECT line, raw FROM quarantine')).toEqual([
      { line: 3, raw: ' 00002 19970112  1' },
    ]);
  });
});

describe('sequences preset', () => {
  it('turns `user item item ...` lines into ordered purchase events', async () => {
    const file = s.write('Beauty.txt', '1 10 11 10\n2 11\n\n3 12 13\n');
    const r = await importSource(wh, { target: file, preset: getPreset('sequences') });
    // 3 + 1 + 2 items; the blank line holds no row.
    expect([r.rowsRead, r.rowsImported]).toEqual([6, 6]);
    expect(r.tables.customers?.total).toBe(3);
    expect(r.tables.products?.total).toBe(4);
    const user1 = await wh.rows(
      "SELECT product_id, type, occurred_at FROM events WHERE customer_id = '1' ORDER BY occurred_at",
    );
    expect(user1).toEqual([
      { product_id: '10', type: 'purchase', occurred_at: new Date('2000-01-01T00:00:01Z') },
      { product_id: '11', type: 'purchase', occurred_at: new Date('2000-01-01T00:00:02Z') },
      { product_id: '10', type: 'purchase', occurred_at: new Date('2000-01-01T00:00:03Z') },
    ]);
    await importSource(wh, { target: file, preset: getPreset('sequences') });
    expect((await snapshot(wh))['events']).toBe(6);
  });
});

describe('generic mappings', () => {
  const mapping = {
    frame: 'order_lines',
    format: { kind: 'csv', delimiter: ';' },
    columns: {
      order_id: 'Order',
      ordered_at: { column: 'Created', format: '%d/%m/%Y %H:%M' },
      customer_id: 'Email',
      email: 'Email',
      status: { column: 'State', cases: [{ equals: ['refunded'], value: 'returned' }], else: 'paid' },
      currency: { value: 'EUR' },
      product_id: 'SKU',
      product_title: 'Name',
      product_category: 'Category',
      quantity: 'Qty',
      unit_price: { column: 'Price cents', scale: 0.01 },
    },
  };
  const csv = [
    'Order;Created;Email;State;SKU;Name;Category;Qty;Price cents',
    '1001;02/01/2024 10:15;ann@example.com;paid;MUG-1;Mug;Kitchen;2;1250',
    '1001;02/01/2024 10:15;ann@example.com;paid;TEA-9;Tea;Pantry;1;499',
    '1002;05/01/2024 18:00;bob@example.com;refunded;MUG-1;Mug;Kitchen;1;1250',
    '1003;5th Jan;bob@example.com;paid;MUG-1;Mug;Kitchen;1;1250',
    '1004;06/01/2024 09:00;bob@example.com;paid;MUG-1;Mug;Kitchen;two;1250',
  ].join('\n');

  it('applies delimiter, date format, value cases, constants and scale', async () => {
    const file = s.write('shop.csv', csv);
    const r = await importSource(wh, { target: file, preset: parseMapping(mapping, 'mapping.yaml') });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([5, 3, 2]);
    expect(r.quarantinedByReason).toEqual({ invalid_timestamp: 1, invalid_number: 1 });
    expect(
      await wh.rows(
        'SELECT order_id, customer_id, status, currency, CAST(total AS DOUBLE) AS total, ordered_at FROM orders ORDER BY 1',
      ),
    ).toEqual([
      {
        order_id: '1001',
        customer_id: 'ann@example.com',
        status: 'paid',
        currency: 'EUR',
        total: 29.99,
        ordered_at: new Date('2024-01-02T10:15:00Z'),
      },
      {
        order_id: '1002',
        customer_id: 'bob@example.com',
        status: 'returned',
        currency: 'EUR',
        total: 12.5,
        ordered_at: new Date('2024-01-05T18:00:00Z'),
      },
      // 1004's order fields are sound (only its quantity is not), so the order exists with no lines.
      {
        order_id: '1004',
        customer_id: 'bob@example.com',
        status: 'paid',
        currency: 'EUR',
        total: 0,
        ordered_at: new Date('2024-01-06T09:00:00Z'),
      },
    ]);
    expect(await wh.rows('SELECT product_id, title, category FROM products ORDER BY 1')).toEqual([
      { product_id: 'MUG-1', title: 'Mug', category: 'Kitchen' },
      { product_id: 'TEA-9', title: 'Tea', category: 'Pantry' },
    ]);
    const [q] = await wh.rows(
      'SELECT line, "column", detail FROM quarantine WHERE reason = \'invalid_number\'',
    );
    expect(q).toEqual({ line: 6, column: 'Qty', detail: "'two' is not a number" });
  });

  it('pseudonymises customer ids and e-mails with the same HMAC node:crypto computes', async () => {
    const file = s.write('shop.csv', csv);
    const key = 'a-long-secret-key-for-tests';
    await importSource(wh, {
      target: file,
      preset: parseMapping(mapping, 'm.yaml'),
      pseudonymKey: expandKey(key),
    });
    const customers = await wh.rows<{ customer_id: string; email: string }>(
      'SELECT customer_id, email FROM customers ORDER BY 1',
    );
    const expected = ['ann@example.com', 'bob@example.com'].map((e) => hmacPseudonym(key, e)).sort();
    expect(customers.map((c) => c.customer_id)).toEqual(expected);
    expect(customers.every((c) => c.email === c.customer_id)).toBe(true);
    expect(expected[0]).toMatch(/^p_[0-9a-f]{32}$/);
    expect(await wh.rows("SELECT count(*) AS n FROM orders WHERE customer_id LIKE '%@%'")).toEqual([
      { n: 0 },
    ]);
  });

  it('reads JSON Lines with dotted paths, quarantining lines that are not JSON objects', async () => {
    const file = s.write(
      'events.jsonl',
      [
        '{"id":"e1","user":{"id":"u1"},"kind":"view","sku":"P1","ts":"2024-03-01T10:00:00Z"}',
        'not json at all',
        '{"id":"e2","user":{"id":"u1"},"kind":"add_to_cart","sku":"P1","ts":"2024-03-01T10:01:00+01:00"}',
        '{"id":"e3","user":{"id":"u2"},"kind":"teleport","sku":"P2","ts":"2024-03-01T10:02:00Z"}',
      ].join('\n'),
    );
    const preset = parseMapping(
      {
        frame: 'events',
        format: 'ndjson',
        columns: {
          event_id: 'id',
          customer_id: 'user.id',
          type: 'kind',
          product_id: 'sku',
          occurred_at: 'ts',
        },
      },
      'events.yaml',
    );
    const r = await importSource(wh, { target: file, preset });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([4, 2, 2]);
    expect(await wh.rows('SELECT line, reason FROM quarantine ORDER BY line')).toEqual([
      { line: 2, reason: 'invalid_json' },
      { line: 4, reason: 'invalid_value' },
    ]);
    // +01:00 is converted to UTC.
    expect(await wh.rows('SELECT event_id, customer_id, occurred_at FROM events ORDER BY 1')).toEqual([
      { event_id: 'e1', customer_id: 'u1', occurred_at: new Date('2024-03-01T10:00:00Z') },
      { event_id: 'e2', customer_id: 'u1', occurred_at: new Date('2024-03-01T09:01:00Z') },
    ]);
  });

  it('reads Parquet', async () => {
    const path = join(s.dir, 'items.parquet');
    await wh.exec(
      `COPY (SELECT 'P' || i AS sku, 'Item ' || i AS name, i * 1.5 AS price FROM range(1, 4) t(i)) TO '${path}' (FORMAT parquet)`,
    );
    const preset = parseMapping(
      { frame: 'products', format: 'parquet', columns: { product_id: 'sku', title: 'name', price: 'price' } },
      'p.yaml',
    );
    const r = await importSource(wh, { target: path, preset });
    expect(r.rowsImported).toBe(3);
    expect(
      await wh.rows(
        'SELECT product_id, title, CAST(price AS DOUBLE) AS price, is_merchandise FROM products ORDER BY 1',
      ),
    ).toEqual([
      { product_id: 'P1', title: 'Item 1', price: 1.5, is_merchandise: true },
      { product_id: 'P2', title: 'Item 2', price: 3, is_merchandise: true },
      { product_id: 'P3', title: 'Item 3', price: 4.5, is_merchandise: true },
    ]);
  });
});

describe('shopsight preset (a folder of canonical CSVs)', () => {
  it('loads tables in dependency order and quarantines lines naming unknown products or orders, and repeated keys', async () => {
    const dir = join(s.dir, 'store');
    mkdirSync(dir);
    // Written in an order that would break naive loading: items before orders before products.
    writeFileSync(
      join(dir, 'order_items.csv'),
      'order_id,line_no,product_id,quantity,unit_price\nO1,1,P1,2,5.00\nO1,2,P9,1,3.00\nO2,1,P1,1,5.00\nO1,1,P1,3,5.00\n',
    );
    writeFileSync(
      join(dir, 'orders.csv'),
      'order_id,customer_id,ordered_at,status,total\nO1,C1,2024-01-01 10:00:00,paid,10.00\n',
    );
    writeFileSync(join(dir, 'products.csv'), 'product_id,title,category,price\nP1,Mug,Kitchen,5.00\n');
    writeFileSync(join(dir, 'README.md'), 'not data');
    const r = await importSource(wh, { target: dir, preset: getPreset('shopsight') });
    expect(r.files.map((f) => f.frame)).toEqual(['products', 'orders', 'order_items']);
    expect(r.quarantinedByReason).toEqual({ unknown_product: 1, unknown_order: 1, duplicate_key: 1 });
    expect(await wh.rows('SELECT order_id, line_no, product_id, quantity FROM order_items')).toEqual([
      { order_id: 'O1', line_no: 1, product_id: 'P1', quantity: 2 },
    ]);
    expect(await wh.rows('SELECT line, reason, detail FROM quarantine ORDER BY line')).toEqual([
      { line: 3, reason: 'unknown_product', detail: "product 'P9' is not in the products table" },
      { line: 4, reason: 'unknown_order', detail: "order 'O2' is not in the orders table" },
      { line: 5, reason: 'duplicate_key', detail: 'same order_id + line_no as line 2 but different content' },
    ]);
  });
});
