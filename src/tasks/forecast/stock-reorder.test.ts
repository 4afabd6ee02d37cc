import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStockLevels } from '../../features/stock-levels.js';
import { getPreset } from '../../ingest/presets/index.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../warehouse/import/import-source.js';
import { scratch } from '../../warehouse/import/test-helpers.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { reorderProducts } from './reorder.js';
import { seedSalesStore } from './test-sales-store.js';

// p1 sells 5 + weekday units a day at 10:00 (Monday 2024-01-01 = day 0), to Sunday 2024-03-10.
const STOCK_CSV = [
  'product_id,on_hand,as_of',
  'p1,500,2024-02-01 00:00:00', // an older count: the latest one is used
  'p1,80,2024-03-09 00:00:00',
  'p2,-3,2024-03-09 00:00:00', // negative: quarantined, so p2's stock stays unknown
  'ghost,10,2024-03-09 00:00:00', // a product the store does not have: quarantined
].join('\n');

describe('the stock table and the stock-out day', () => {
  let wh: Warehouse;
  const files = scratch();
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    await seedSalesStore(wh);
  });
  afterAll(async () => {
    await wh.close();
    files.cleanup();
  });

  it('stock.csv imports through the shopsight layout; bad rows are quarantined with their line', async () => {
    const r = await importSource(wh, {
      target: files.write('stock.csv', STOCK_CSV),
      preset: getPreset('shopsight'),
    });
    expect(r.rowsImported).toBe(2);
    expect(r.rowsQuarantined).toBe(2);
    const q = await wh.rows<{ line: number; reason: string }>(
      'SELECT CAST(line AS INTEGER) AS line, reason FROM quarantine ORDER BY line',
    );
    expect(q).toEqual([
      { line: 4, reason: 'invalid_value' },
      { line: 5, reason: 'unknown_product' },
    ]);
  });

  it('the latest count less what sold since: 80 - (10 on Saturday + 11 on Sunday) = 59', async () => {
    const levels = await loadStockLevels(wh);
    expect([...levels.keys()]).toEqual(['p1']);
    expect(levels.get('p1')).toMatchObject({ onHand: 80, soldSince: 21, now: 59 });
  });

  it('reorder: p1 runs out on the 8th forecast day, p2 (no count) has no stock-out day', async () => {
    const r = await reorderProducts(wh, {});
    const [p1, p2] = r.rows;
    // Forecast from Monday 2024-03-11: 5, 6, 7, 8, 9, 10, 11, 5 -> cumulative 5, 11, 18, 26, 35,
    // 45, 56, 61: above 59 on Monday 2024-03-18.
    expect(p1).toMatchObject({
      productId: 'p1',
      stock: 59,
      stockSource: 'table',
      stockoutDate: '2024-03-18',
    });
    expect(p1!.stockCountedAt).toBe('2024-03-09T00:00:00.000Z');
    expect(p2).toMatchObject({ productId: 'p2', stock: null, stockSource: 'unknown', stockoutDate: null });
    // The order quantity with a known stock: order-up-to (21 days of forecast + safety stock) - 59.
    expect(p1!.orderQuantity).toBeCloseTo(p1!.orderUpTo - 59, 9);
    // --stock for one product overrides the table.
    const given = await reorderProducts(wh, { id: 'p1', stock: 50 });
    expect(given.rows[0]).toMatchObject({ stock: 50, stockSource: 'given', stockoutDate: '2024-03-17' });
  });

  it('as of the forecast origin: a count dated after it and sales from it on are not read', async () => {
    await importSource(wh, {
      target: files.write('stock.csv', 'product_id,on_hand,as_of\np1,5,2024-03-12 00:00:00\n'),
      preset: getPreset('shopsight'),
    });
    // Without a cutoff the later count is the latest (the row is there to be ignored).
    expect((await loadStockLevels(wh)).get('p1')).toMatchObject({ onHand: 5, soldSince: 0, now: 5 });
    // As of Monday 2024-03-11 (the first forecast day): the 2024-03-09 count less Saturday and Sunday.
    const origin = new Date('2024-03-11T00:00:00Z');
    expect((await loadStockLevels(wh, { cutoff: origin })).get('p1')).toMatchObject({
      onHand: 80,
      soldSince: 21,
      now: 59,
    });
    // As of Sunday 00:00: Sunday's 11 units have not sold yet: 80 - 10 = 70.
    const sunday = new Date('2024-03-10T00:00:00Z');
    expect((await loadStockLevels(wh, { cutoff: sunday })).get('p1')).toMatchObject({
      soldSince: 10,
      now: 70,
    });
    // The reorder plan reads the stock as of its origin: the same 59 and stock-out day as before.
    const r = await reorderProducts(wh, { id: 'p1' });
    expect(r.rows[0]).toMatchObject({ stock: 59, stockSource: 'table', stockoutDate: '2024-03-18' });
    expect(r.rows[0]!.stockCountedAt).toBe('2024-03-09T00:00:00.000Z');
  });
});
