import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportError } from '../../ingest/errors.js';
import { parseMapping } from '../../ingest/parse-mapping.js';
import { getPreset } from '../../ingest/presets/index.js';
import type { Warehouse } from '../warehouse.js';
import { importSource } from './import-source.js';
import { memoryWarehouse, scratch, snapshot, type Scratch } from './test-helpers.js';

const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
const good = (invoice: string, line = 1): string =>
  `${invoice},2263${line},ITEM ${line},1,2010-12-01 08:26:00,2.50,17850,United Kingdom`;
const retail = getPreset('online-retail');

describe('bad input: clear errors with file, line, column and reason; nothing half-written', () => {
  let s: Scratch;
  let wh: Warehouse;
  let before: Record<string, number>;
  beforeEach(async () => {
    s = scratch();
    wh = await memoryWarehouse();
    // Data that must survive every failed import below untouched.
    await importSource(wh, {
      target: s.write('seed.csv', [HEADER, good('500001'), good('500002', 2)].join('\n')),
      preset: retail,
    });
    before = await snapshot(wh);
  });
  afterEach(async () => {
    await wh.close();
    s.cleanup();
  });

  const expectUnchanged = async (): Promise<void> => expect(await snapshot(wh)).toEqual(before);

  it('a truncated gzip is refused, naming the file', async () => {
    const full = s.writeGz(
      'full.csv.gz',
      [HEADER, ...Array.from({ length: 2000 }, (_, i) => good(String(600000 + i)))].join('\n'),
    );
    const bytes = (await import('node:fs')).readFileSync(full);
    const cut = s.write('cut.csv.gz', bytes.subarray(0, Math.floor(bytes.length / 2)));
    const err = await importSource(wh, { target: cut, preset: retail }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).file).toBe(cut);
    expect((err as Error).message).toMatch(/cut\.csv\.gz: .*(gzip|truncat|damaged)/i);
    await expectUnchanged();
  });

  it('a file named .gz that is not gzip is refused before reading', async () => {
    const fake = s.write('plain.csv.gz', [HEADER, good('600001')].join('\n'));
    await expect(importSource(wh, { target: fake, preset: retail })).rejects.toThrow(
      /plain\.csv\.gz: the file is named \.gz but is not gzip/,
    );
    await expectUnchanged();
  });

  it('a file of 0 bytes is refused', async () => {
    const empty = s.write('empty.csv', '');
    await expect(importSource(wh, { target: empty, preset: retail })).rejects.toThrow(
      /empty\.csv: the file is empty \(0 bytes\)/,
    );
    await expectUnchanged();
  });

  it('a line of more than 2 MiB is quarantined with its line; one of exactly 2 MiB imports', async () => {
    // A line of exactly n bytes (ASCII): the description pads it.
    const lineOf = (invoice: string, n: number): string => {
      const bare = `${invoice},22632,,1,2010-12-01 08:26:00,2.50,17850,United Kingdom`;
      return bare.replace(',,', `,${'D'.repeat(n - bare.length)},`);
    };
    const limit = 2 * 1024 * 1024;
    const file = s.write(
      'long-lines.csv',
      [HEADER, lineOf('600001', limit), lineOf('600002', limit + 1), good('600003')].join('\n'),
    );
    const r = await importSource(wh, { target: file, preset: retail });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([3, 2, 1]);
    const q = await wh.rows(
      'SELECT line, reason, detail, length(raw) AS bytes FROM quarantine WHERE source = ?',
      [file],
    );
    expect(q).toEqual([
      {
        line: 3,
        reason: 'malformed_row',
        detail: 'the line holds more than 2,097,152 bytes (2 MiB)',
        bytes: limit + 1,
      },
    ]);
    expect(await wh.rows("SELECT order_id FROM orders WHERE order_id LIKE '6%' ORDER BY 1")).toEqual([
      { order_id: '600001' },
      { order_id: '600003' },
    ]);
  });

  it('a line with a wrong number of columns is quarantined with its line; the rest imports', async () => {
    const file = s.write(
      'wrong-columns.csv',
      [
        HEADER,
        good('600001'),
        '600002,22633,EXTRA,1,2010-12-01 08:26:00,2.5,17850,United Kingdom,surplus',
        good('600003'),
        good('600004', 2),
      ].join('\n'),
    );
    const r = await importSource(wh, { target: file, preset: retail });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([4, 3, 1]);
    const q = await wh.rows('SELECT line, reason, detail FROM quarantine WHERE source = ?', [file]);
    expect(q).toEqual([
      {
        line: 3,
        reason: 'malformed_row',
        detail: "more fields than the header's 8",
      },
    ]);
    // Lines after the rejected one keep their true numbers.
    expect(await wh.rows("SELECT order_id FROM orders WHERE order_id LIKE '6%' ORDER BY 1")).toEqual([
      { order_id: '600001' },
      { order_id: '600003' },
      { order_id: '600004' },
    ]);
  });

  it('after a malformed line, duplicates and bad rows keep their true lines and their raw fields', async () => {
    // The malformed line leaves the staged rows; the rows after it are looked up by row id.
    const copy = good('600003', 3);
    const zeroPrice = '600005,22635,ITEM 5,1,2010-12-01 08:26:00,0,17850,United Kingdom';
    const file = s.write(
      'malformed-then-duplicates.csv',
      [HEADER, good('600001'), '600002,22632,X,1,2010-12-01 08:26:00,2.5,17850', copy, copy, zeroPrice].join(
        '\n',
      ),
    );
    const r = await importSource(wh, { target: file, preset: retail });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([5, 2, 3]);
    const q = await wh.rows<{ line: number; reason: string; detail: string; raw: string }>(
      'SELECT line, reason, detail, raw FROM quarantine WHERE source = ? ORDER BY line',
      [file],
    );
    expect(q.map(({ line, reason, detail }) => ({ line, reason, detail }))).toEqual([
      { line: 3, reason: 'malformed_row', detail: "fewer fields than the header's 8" },
      { line: 5, reason: 'duplicate_row', detail: 'an exact copy of line 4' },
      { line: 6, reason: 'zero_price', detail: 'unit price is zero' },
    ]);
    expect(JSON.parse(q[2]!.raw)).toMatchObject({
      InvoiceNo: '600005',
      UnitPrice: '0',
      Country: 'United Kingdom',
    });
  });

  it('a line that is not UTF-8 is quarantined as invalid_encoding with its line number', async () => {
    const latin1 = Buffer.concat([
      Buffer.from([HEADER, good('600001'), ''].join('\n')),
      Buffer.from('600002,22633,CAF', 'utf8'),
      Buffer.from([0xc9]), // "É" in Latin-1, invalid in UTF-8
      Buffer.from(',1,2010-12-01 08:26:00,2.5,17850,France\n', 'utf8'),
      Buffer.from(good('600003', 2) + '\n'),
    ]);
    const file = s.write('latin1.csv', latin1);
    const r = await importSource(wh, { target: file, preset: retail });
    expect([r.rowsRead, r.rowsImported, r.rowsQuarantined]).toEqual([3, 2, 1]);
    expect(await wh.rows('SELECT line, reason FROM quarantine WHERE source = ?', [file])).toEqual([
      { line: 3, reason: 'invalid_encoding' },
    ]);
  });

  it('a date in an unknown format is quarantined with line, column and the formats expected', async () => {
    const file = s.write(
      'dates.csv',
      [HEADER, good('600001'), '600002,22633,X,1,1st of December 2010,2.5,17850,France'].join('\n'),
    );
    const r = await importSource(wh, { target: file, preset: retail });
    expect(r.quarantinedByReason).toEqual({ invalid_timestamp: 1 });
    const [q] = await wh.rows('SELECT line, "column", reason, detail FROM quarantine WHERE source = ?', [
      file,
    ]);
    expect(q).toEqual({
      line: 3,
      column: 'InvoiceDate',
      reason: 'invalid_timestamp',
      detail:
        "'1st of December 2010' is not a date/time (expected one of the formats %Y-%m-%d %H:%M:%S, %m/%d/%Y %H:%M, %d/%m/%Y %H:%M)",
    });
    // The invoice's order-level field is bad, so no order is made for it.
    expect(await wh.rows("SELECT count(*) AS n FROM orders WHERE order_id = '600002'")).toEqual([{ n: 0 }]);
  });

  it('dates before 1990 or in the future are quarantined as out of range', async () => {
    const file = s.write(
      'range.csv',
      [
        HEADER,
        good('600001'),
        good('600002').replace('2010-12-01', '1899-01-01'),
        good('600003').replace('2010-12-01', '2999-01-01'),
      ].join('\n'),
    );
    const r = await importSource(wh, { target: file, preset: retail });
    expect(r.quarantinedByReason).toEqual({ timestamp_out_of_range: 2 });
  });

  it('a mapping that names a missing column fails before anything is written, suggesting the close name', async () => {
    const file = s.write('orders.csv', 'order,sku,qty,price,created\nA1,S1,1,9.99,2024-01-02 10:00:00\n');
    const preset = parseMapping(
      {
        frame: 'order_lines',
        columns: {
          order_id: 'order',
          product_id: 'sku',
          quantity: 'qty',
          unit_price: 'prices',
          ordered_at: 'created',
        },
      },
      'mapping.yaml',
    );
    const err = (await importSource(wh, { target: file, preset }).catch((e: unknown) => e)) as ImportError;
    expect(err).toBeInstanceOf(ImportError);
    expect([err.file, err.line, err.column]).toEqual([file, 1, 'prices']);
    expect(err.message).toMatch(
      /reads column 'prices' for unit_price, but the file has no such column \(did you mean 'price'\?\)/,
    );
    await expectUnchanged();
  });

  it('a folder import whose second file fails leaves the first file unwritten too', async () => {
    const dir = s.dir + '/store';
    (await import('node:fs')).mkdirSync(dir);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${dir}/products.csv`, 'product_id,title,is_merchandise\nP1,Mug,true\n');
    writeFileSync(
      `${dir}/orders.csv`,
      'order_id,customer_id,ordered_at,status\nO1,C1,2024-01-01 10:00:00,paid\n',
    );
    writeFileSync(`${dir}/order_items.csv`, 'order_id,line_no,product_id,qty\nO1,1,P1,2\n'); // no quantity/unit_price
    await expect(importSource(wh, { target: dir, preset: getPreset('shopsight') })).rejects.toThrow(
      /order_items\.csv:1:column quantity: the mapping reads column 'quantity'/,
    );
    await expectUnchanged();
  });

  it('a failure while writing rolls the whole import back', async () => {
    const file = s.write('more.csv', [HEADER, good('700001'), good('700002', 2)].join('\n'));
    // A warehouse whose INSERT into orders fails, after customers and products were already written.
    const failing: Warehouse = Object.create(wh) as Warehouse;
    failing.exec = async (sql, params) => {
      if (/INSERT INTO orders/.test(sql)) throw new Error('disk full (simulated)');
      return wh.exec(sql, params);
    };
    await expect(importSource(failing, { target: file, preset: retail })).rejects.toThrow(/disk full/);
    await expectUnchanged();
  });

  it("puts DuckDB's checkpoint threshold back after an import, also after one that failed", async () => {
    const threshold = async (): Promise<string | undefined> =>
      (await wh.rows<{ t: string }>("SELECT current_setting('checkpoint_threshold') AS t"))[0]?.t;
    // A value DuckDB shows exactly (it shows sizes to 0.1 MiB).
    await wh.exec("SET checkpoint_threshold = '8MiB'");
    const set = await threshold();
    const file = s.writeGz('more.csv.gz', [HEADER, good('700001'), good('700002', 2)].join('\n'));
    await importSource(wh, { target: file, preset: retail });
    expect(await threshold()).toBe('8.0 MiB');
    expect(await threshold()).toBe(set);
    const zero = s.write('zero.csv', [HEADER, good('700003').replace('2.50', '0')].join('\n'));
    await expect(importSource(wh, { target: zero, preset: retail })).rejects.toThrow(
      /no row could be imported/,
    );
    expect(await threshold()).toBe(set);
  });
});
