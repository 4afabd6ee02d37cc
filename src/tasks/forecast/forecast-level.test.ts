import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSalesSeries } from '../../features/sales-series.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { readLatestForecast, storeForecastRun } from '../../warehouse/forecasts-store.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { backtestLevel } from './backtest-level.js';
import { forecastLevel } from './forecast-level.js';
import { reorderProducts } from './reorder.js';
import { seedSalesStore } from './test-sales-store.js';

describe('forecastLevel and the forecasts table', () => {
  let wh: Warehouse;
  beforeAll(async () => {
    wh = await DuckDBWarehouse.open(':memory:');
    await seedSalesStore(wh);
  });
  afterAll(() => wh.close());

  it('forecasts every product from the day after the last order, and stores the run', async () => {
    const f = await forecastLevel(wh, { level: 'product', horizon: 7 });
    expect(f.series.map((s) => s.id)).toEqual(['p1', 'p2']);
    expect(f.historyEnd.toISOString().slice(0, 10)).toBe('2024-03-10');
    expect(f.dates).toEqual([
      '2024-03-11',
      '2024-03-12',
      '2024-03-13',
      '2024-03-14',
      '2024-03-15',
      '2024-03-16',
      '2024-03-17',
    ]);
    // p1 is exactly 5 + weekday: seasonal naive and the seasonal ETS both give it back.
    const p1 = f.series[0]!;
    expect(Array.from(p1.mean).map((v) => Math.round(v))).toEqual([5, 6, 7, 8, 9, 10, 11]);
    for (const s of f.series)
      for (const a of [s.mean, s.lo80, s.hi80, s.lo95, s.hi95]) expect(a.every(Number.isFinite)).toBe(true);
    const v1 = await storeForecastRun(wh, { ...f, modelRequested: f.model });
    const v2 = await storeForecastRun(wh, { ...f, modelRequested: f.model });
    expect(v2).toBe(v1 + 1);
    const rows = await readLatestForecast(wh, 'product', 'p2');
    expect(rows.length).toBe(7);
    expect(rows[0]).toMatchObject({ version: v2, series_id: 'p2', date: '2024-03-11' });
    expect(await readLatestForecast(wh, 'country')).toEqual([]);
  });

  it('errors naming the input: unknown id, horizon 0 and 10,000, unknown model', async () => {
    await expect(forecastLevel(wh, { level: 'product', id: 'nope' })).rejects.toThrow(
      'no product "nope" with sales in the store',
    );
    await expect(forecastLevel(wh, { level: 'total', horizon: 0 })).rejects.toThrow(
      'horizon must be a whole number from 1 to 3660, got 0',
    );
    await expect(forecastLevel(wh, { level: 'total', horizon: 10_000 })).rejects.toThrow('got 10000');
    await expect(forecastLevel(wh, { level: 'total', model: 'magic' })).rejects.toThrow(
      'unknown model "magic"',
    );
  });

  it('the backtest runs end to end on the store', async () => {
    const s = await loadSalesSeries(wh, { level: 'product' });
    const b = backtestLevel(s, ['seasonal-naive', 'auto'], { horizon: 7, origins: 3, step: 7, season: 7 });
    expect(b.series).toBe(2);
    expect(b.models['auto']!.windows).toBe(6);
    expect(Object.values(b.chosen).reduce((a, c) => a + c, 0)).toBe(6);
    // p1 repeats its week exactly: seasonal naive makes no error there, but its training windows
    // have no seasonal variation to scale by (left out of MASE); p2 every third day does.
    expect(b.models['seasonal-naive']!.unscaled).toBe(3);
    // A backtest longer than the history leaves every series out, with the reason.
    const long = backtestLevel(s, ['auto'], { horizon: 14, origins: 12, step: 7, season: 7 });
    expect(long.series).toBe(0);
    expect(long.skippedReason).toBe(
      'p1: a backtest of 12 origins 7 apart with horizon 14 needs at least 93 periods, the series has 70',
    );
  });

  it('gbdt: one model over the level, also for one id; auto weighs it; daily only', async () => {
    const g = await forecastLevel(wh, { level: 'product', horizon: 7, model: 'gbdt' });
    expect(g.series.map((s) => [s.id, s.model])).toEqual([
      ['p1', 'gbdt'],
      ['p2', 'gbdt'],
    ]);
    // The test store's orders say 'UK' most often: the UK's (GB) holidays.
    expect(g.global).toMatchObject({ series: 2, holidays: 'GB' });
    expect(g.global!.trainRows).toBeGreaterThan(0);
    // p1 sells 5 + weekday: 5..11 from Monday 2024-03-11.
    const p1 = Array.from(g.series[0]!.mean);
    p1.forEach((v, k) => expect(Math.abs(v - (5 + k))).toBeLessThan(1));
    // Asked for one product, the model is still trained over the whole level: the same forecast.
    const one = await forecastLevel(wh, { level: 'product', id: 'p2', horizon: 7, model: 'gbdt' });
    expect(one.series.map((s) => s.id)).toEqual(['p2']);
    expect(one.global!.series).toBe(2);
    expect(Array.from(one.series[0]!.mean)).toEqual(Array.from(g.series[1]!.mean));
    // Plain auto goes without the global model; auto+gbdt weighs it.
    const auto = await forecastLevel(wh, { level: 'product', horizon: 7 });
    expect(auto.global).toBeUndefined();
    const withGlobal = await forecastLevel(wh, { level: 'product', horizon: 7, model: 'auto+gbdt' });
    expect(withGlobal.global!.series).toBe(2);
    await expect(
      forecastLevel(wh, { level: 'product', model: 'auto+gbdt', granularity: 'week' }),
    ).rejects.toThrow('gbdt forecasts daily series: use granularity day');
    await expect(forecastLevel(wh, { level: 'product', model: 'gbdt', granularity: 'week' })).rejects.toThrow(
      'gbdt forecasts daily series: use granularity day',
    );
    const s = await loadSalesSeries(wh, { level: 'product' });
    const b = backtestLevel(s, ['gbdt', 'auto', 'auto+gbdt'], { horizon: 7, origins: 3, step: 7, season: 7 });
    expect(b.models['gbdt']!.windows).toBe(6);
    expect(b.globalTrainSeconds).toBeGreaterThan(0);
    // auto's and auto+gbdt's choices are counted apart, every window once.
    const total = (c: Record<string, number>): number => Object.values(c).reduce((a, n) => a + n, 0);
    expect(total(b.chosen)).toBe(6);
    expect(total(b.chosenWithGlobal!)).toBe(6);
    expect(b.chosen['gbdt']).toBeUndefined();
  });

  it('reorder: p1 sells exactly 5 + weekday a day, so 14 days of lead time need 2 x 56 units and no safety stock', async () => {
    const r = await reorderProducts(wh, { id: 'p1', leadTime: 14, stock: 50 });
    const p1 = r.rows[0]!;
    expect(r.historyEnd).toBe('2024-03-10');
    expect(Math.round(p1.leadTimeDemand)).toBe(112);
    expect(p1.safetyStock).toBeLessThan(0.5);
    expect(p1.safetyFrom).toBe('backtest'); // out of sample: auto's fit before the window
    // 5, 11, 18, 26, 35, 45, 56: the 50 units on hand run out on the 7th day, Sunday 2024-03-17.
    expect(p1.stockoutDate).toBe('2024-03-17');
    const all = await reorderProducts(wh, {});
    expect(all.rows.map((x) => x.productId)).toEqual(['p1', 'p2']);
    await expect(reorderProducts(wh, { leadTime: -1 })).rejects.toThrow(
      'lead time must be a whole number of days from 1 to 365, got -1',
    );
    await expect(reorderProducts(wh, { stock: 5 })).rejects.toThrow('a stock level is for one product');
  });
});
