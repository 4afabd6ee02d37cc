/**
 * The forecasting and pricing inputs on both engines, over the small hand-made store
 * (warehouse/clickhouse/test-small-store.ts) plus one order with three priced lines and three stock
 * counts, written through the Warehouse interface into a DuckDB file and a 2-shard ClickHouse
 * cluster: the same known answers, worked out by hand, on each. Sales series (levels, day and week,
 * units and revenue, undone lines left out or netted, a cutoff as a point in time), stock levels,
 * the pricing panel (a median over an even count of prices), a forecast run stored and read back to
 * the bit, and the reorder plan over the counts. Without clickhouse-server the ClickHouse half is
 * skipped with a printed message; DuckDB always runs.
 *
 * The store as these series see it (sales = not cancelled or returned, as of the cutoff if any):
 * o1 2011-01-01 (day 0) P1 x2 at 10 + postage; o2 2011-02-01 (day 31) P2 x1 at 20, returned on
 * 2011-03-15 (a sale as of CUTOFF = 2011-03-01, not now); o3 2011-01-15 (day 14) P1 x1 cancelled
 * on 2011-01-16; o4 2011-02-10 (day 40) P1 x3 at 10, P2 x1 at 20; o5 2011-02-11 00:00 (day 41)
 * P1 x1 at 10; o6 (country GB, the only order with one) 2011-02-10 P1 x1 at 0.10, x2 for a line
 * total of 2.50 (1.25 each), x4 at 0.16.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { storeForecastRun, readForecastRun, readLatestForecast } from '../../warehouse/forecasts-store.js';
import { describeOnBothEngines, type EngineContract } from '../../warehouse/clickhouse/test-both-engines.js';
import { CUTOFF, d, loadSmallStore } from '../../warehouse/clickhouse/test-small-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { reorderProducts } from './reorder.js';
import {
  loadPricePanel,
  productForPricing,
  UnknownPricingProductError,
} from '../../features/price-observations.js';
import {
  loadSalesSeries,
  SeriesInputError,
  seriesValues,
  type SalesSeriesOptions,
} from '../../features/sales-series.js';
import { loadStockLevels } from '../../features/stock-levels.js';

/** 2011-01-01 as a day number (days since 1970-01-01). */
const DAY0 = 14975;

async function addStore(wh: Warehouse): Promise<void> {
  await loadSmallStore(wh);
  const ch = wh.engine === 'clickhouse';
  await wh.exec(
    'INSERT INTO orders (order_id, customer_id, ordered_at, status, country) VALUES (?, ?, ?, ?, ?)',
    ['o6', 'c1', d('2011-02-10T15:00:00'), 'delivered', 'GB'],
  );
  const lines: [number, number, number, number | null][] = [
    [1, 1, 0.1, null],
    [2, 2, 1.2, 2.5],
    [3, 4, 0.16, null],
  ];
  for (const [no, quantity, price, total] of lines) {
    await wh.exec(
      `INSERT INTO order_items (order_id, line_no, product_id, quantity, unit_price, line_total${ch ? ', customer_id' : ''}) ` +
        `VALUES (?, ?, ?, ?, ?, ?${ch ? ', ?' : ''})`,
      ['o6', no, 'P1', quantity, price, total, ...(ch ? ['c1'] : [])],
    );
  }
  await wh.append('stock', {
    product_id: ['P1', 'P1', 'P2'],
    on_hand: Float64Array.from([50, 20, 5]),
    as_of: [d('2011-01-01T00:00:00'), d('2011-02-01T00:00:00'), d('2011-03-01T00:00:00')],
  });
}

/** Each series as id -> { day index: value } (the zeros left out). */
async function cells(wh: Warehouse, o: SalesSeriesOptions): Promise<Record<string, Record<number, number>>> {
  const s = await loadSalesSeries(wh, o);
  const out: Record<string, Record<number, number>> = {};
  s.ids.forEach((id, i) => {
    const row: Record<number, number> = {};
    seriesValues(s, i).forEach((v, k) => {
      if (v !== 0) row[k] = v;
    });
    out[id] = row;
  });
  return out;
}

const ids = async (wh: Warehouse, o: SalesSeriesOptions): Promise<string[]> =>
  (await loadSalesSeries(wh, o)).ids;

const contract: EngineContract = (engine, open) => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await open();
    await addStore(wh);
  }, 120_000);
  afterAll(async () => wh?.close());

  it(`${engine}: daily units per product, from the first to the last order day, largest first`, async () => {
    const s = await loadSalesSeries(wh, { level: 'product' });
    expect(s.start.toISOString()).toBe('2011-01-01T00:00:00.000Z');
    expect(s.length).toBe(42);
    expect(Array.from(s.firstSale)).toEqual([0, 40]);
    expect(await cells(wh, { level: 'product' })).toEqual({ P1: { 0: 2, 40: 10, 41: 1 }, P2: { 40: 1 } });
  });

  it(`${engine}: revenue to the cent (a line total, a fractional price), total, category, country (a tie by name)`, async () => {
    expect(await cells(wh, { level: 'product', measure: 'revenue' })).toEqual({
      P1: { 0: 20, 40: 33.24, 41: 10 },
      P2: { 40: 20 },
    });
    expect(await cells(wh, { level: 'total' })).toEqual({ total: { 0: 2, 40: 11, 41: 1 } });
    expect(await cells(wh, { level: 'category' })).toEqual({ A: { 0: 2, 40: 10, 41: 1 }, B: { 40: 1 } });
    expect(await cells(wh, { level: 'category', merchandiseOnly: false })).toEqual({
      A: { 0: 2, 40: 10, 41: 1 },
      B: { 40: 1 },
      '(none)': { 0: 1 },
    });
    expect(await cells(wh, { level: 'country' })).toEqual({
      '(unknown)': { 0: 2, 40: 4, 41: 1 },
      GB: { 40: 7 },
    });
  });

  it(`${engine}: weekly from the first Monday; ids in the caller's order; top; an unknown id`, async () => {
    const w = await loadSalesSeries(wh, { level: 'product', granularity: 'week' });
    expect(w.start.toISOString()).toBe('2010-12-27T00:00:00.000Z');
    expect(w.length).toBe(7);
    expect(await cells(wh, { level: 'product', granularity: 'week' })).toEqual({
      P1: { 0: 2, 6: 11 },
      P2: { 6: 1 },
    });
    expect(await ids(wh, { level: 'product', ids: ['P2', 'P1'] })).toEqual(['P2', 'P1']);
    expect(await ids(wh, { level: 'product', top: 1 })).toEqual(['P1']);
    await expect(loadSalesSeries(wh, { level: 'product', ids: ['nope'] })).rejects.toThrow(SeriesInputError);
  });

  it(`${engine}: undone lines netted on their own order's day; a cutoff as a point in time`, async () => {
    expect(await cells(wh, { level: 'product', undone: 'net' })).toEqual({
      P1: { 0: 2, 14: -1, 40: 10, 41: 1 },
      P2: { 31: -1, 40: 1 },
    });
    // As of 2011-03-01 o2 is not returned yet: a sale.
    expect(await cells(wh, { level: 'product', cutoff: CUTOFF })).toEqual({
      P1: { 0: 2, 40: 10, 41: 1 },
      P2: { 31: 1, 40: 1 },
    });
    // o5 at 2011-02-11 00:00 is not before the cutoff: the last day is 2011-02-10.
    const s = await loadSalesSeries(wh, { level: 'total', cutoff: d('2011-02-11T00:00:00') });
    expect(s.length).toBe(41);
    await expect(loadSalesSeries(wh, { level: 'total', cutoff: d('2010-06-01T00:00:00') })).rejects.toThrow(
      'no orders',
    );
  });

  it(`${engine}: stock levels: the latest count less the sales since, as of a cutoff`, async () => {
    const now = await loadStockLevels(wh);
    expect(Object.fromEntries(now)).toEqual({
      P1: { onHand: 20, asOf: d('2011-02-01T00:00:00'), soldSince: 11, now: 9 },
      P2: { onHand: 5, asOf: d('2011-03-01T00:00:00'), soldSince: 0, now: 5 },
    });
    const before = await loadStockLevels(wh, { cutoff: d('2011-02-11T00:00:00') });
    expect(Object.fromEntries(before)).toEqual({
      P1: { onHand: 20, asOf: d('2011-02-01T00:00:00'), soldSince: 10, now: 10 },
    });
  });

  it(`${engine}: the pricing panel: units and the median unit price per product and day`, async () => {
    const { ids: a, panel } = await loadPricePanel(wh, { category: 'A' });
    expect(a).toEqual(['P1']);
    expect(Array.from(panel.offsets)).toEqual([0, 3]);
    expect(Array.from(panel.day)).toEqual([DAY0, DAY0 + 40, DAY0 + 41]);
    expect(Array.from(panel.units)).toEqual([2, 10, 1]);
    // Four prices on 2011-02-10: 0.1, 0.16, 1.25, 10; the median is the mean of the middle two as
    // DuckDB computes it, (0.16 + 1.25) / 2 = 0.705, not 0.16 + (1.25 - 0.16) / 2 = 0.7050000000000001
    // (a day of Online Retail where the two differ).
    expect(Array.from(panel.price)).toEqual([10, 0.705, 10]);
    const b = await loadPricePanel(wh, { category: 'B', cutoff: CUTOFF });
    expect(b.ids).toEqual(['P2']);
    expect(Array.from(b.panel.day)).toEqual([DAY0 + 31, DAY0 + 40]);
    expect(Array.from(b.panel.price)).toEqual([20, 20]);
    expect(await productForPricing(wh, 'P1')).toEqual({
      productId: 'P1',
      title: 'Mug\twith tab',
      category: 'A',
      lastStoreDay: DAY0 + 41,
    });
    expect((await productForPricing(wh, 'POST', d('2011-02-11T00:00:00'))).lastStoreDay).toBe(DAY0 + 40);
    expect((await productForPricing(wh, 'POST')).category).toBe('(none)');
    await expect(productForPricing(wh, 'nope')).rejects.toThrow(UnknownPricingProductError);
  });

  it(`${engine}: a forecast run stored and read back to the bit, the latest run first`, async () => {
    const run = (mean: number[]) => ({
      level: 'product',
      granularity: 'day',
      measure: 'units',
      modelRequested: 'auto',
      horizon: 2,
      historyEnd: d('2011-02-11T00:00:00'),
      dates: ['2011-02-12', '2011-02-13'],
      series: ['P1', 'P2'].map((id, i) => ({
        id,
        model: i === 0 ? 'ets' : 'croston',
        ...(i === 1 ? { note: 'intermittent' } : {}),
        mean: Float64Array.from(mean, (m) => m + i),
        lo80: Float64Array.from(mean, (m) => m / 3),
        hi80: Float64Array.from(mean, (m) => m * Math.PI),
        lo95: Float64Array.from(mean, () => 0),
        hi95: Float64Array.from(mean, (m) => m * 1e-7 + 0.1 + 0.2),
      })),
    });
    const v1 = await storeForecastRun(wh, run([1, 2]));
    const v2 = await storeForecastRun(wh, run([0.1 + 0.2, 2 / 3]));
    expect(v2).toBe(v1 + 1);
    const rows = await readLatestForecast(wh, 'product');
    expect(rows.map((r) => [r.version, r.series_id, r.date, r.forecast, r.model, r.note])).toEqual([
      [v2, 'P1', '2011-02-12', 0.1 + 0.2, 'ets', null],
      [v2, 'P1', '2011-02-13', 2 / 3, 'ets', null],
      [v2, 'P2', '2011-02-12', 0.1 + 0.2 + 1, 'croston', 'intermittent'],
      [v2, 'P2', '2011-02-13', 2 / 3 + 1, 'croston', 'intermittent'],
    ]);
    expect(rows[1]).toEqual({
      version: v2,
      level: 'product',
      series_id: 'P1',
      date: '2011-02-13',
      forecast: 2 / 3,
      lo80: 2 / 3 / 3,
      hi80: (2 / 3) * Math.PI,
      lo95: 0,
      hi95: (2 / 3) * 1e-7 + 0.1 + 0.2,
      model: 'ets',
      note: null,
    });
    expect((await readLatestForecast(wh, 'product', 'P2', 1)).map((r) => r.series_id)).toEqual(['P2', 'P2']);
    expect((await readLatestForecast(wh, 'product', undefined, 1)).map((r) => r.series_id)).toEqual([
      'P1',
      'P1',
    ]);
    expect(await readLatestForecast(wh, 'country')).toEqual([]);
    const meta = await readForecastRun(wh, v2);
    expect({ ...meta, created_at: meta?.created_at instanceof Date }).toEqual({
      version: v2,
      level: 'product',
      granularity: 'day',
      measure: 'units',
      model_requested: 'auto',
      horizon: 2,
      history_end: '2011-02-11',
      created_at: true,
    });
    expect(await readForecastRun(wh, v2 + 10)).toBeNull();
  });

  it(`${engine}: the reorder plan reads the counts as of its origin`, async () => {
    const r = await reorderProducts(wh, { leadTime: 7 });
    expect(r.historyEnd).toBe('2011-02-11');
    expect(r.rows.map((x) => [x.productId, x.stock, x.stockSource, x.stockCountedAt])).toEqual([
      ['P1', 9, 'table', '2011-02-01T00:00:00.000Z'],
      // P2's only count is dated after the origin (2011-02-12): not known yet.
      ['P2', null, 'unknown', undefined],
    ]);
  });
};

describeOnBothEngines('forecasting and pricing inputs', contract);
