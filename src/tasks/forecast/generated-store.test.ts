import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSalesSeries } from '../../features/sales-series.js';
import { generateStore } from '../../generate/index.js';
import { getPreset } from '../../ingest/presets/index.js';
import { DuckDBWarehouse } from '../../warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from '../../warehouse/import/import-source.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { backtestLevel } from './backtest-level.js';
import { forecastLevel } from './forecast-level.js';
import { loadGlobalInputs } from './global-inputs.js';

/** Every number of a forecast is finite and the bounds are ordered. */
function sound(f: {
  mean: Float64Array;
  lo80: Float64Array;
  hi80: Float64Array;
  lo95: Float64Array;
  hi95: Float64Array;
}): boolean {
  return Array.from(f.mean).every(
    (m, k) =>
      [m, f.lo80[k]!, f.hi80[k]!, f.lo95[k]!, f.hi95[k]!].every(Number.isFinite) &&
      f.lo95[k]! <= f.lo80[k]! &&
      f.lo80[k]! <= m &&
      m <= f.hi80[k]! &&
      f.hi80[k]! <= f.hi95[k]!,
  );
}

describe('a store the models have never seen: the generated store, end to end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shopsight-fc-gen-'));
  let wh: Warehouse;
  beforeAll(async () => {
    await generateStore({ customers: 400, days: 120, seed: 11, out: join(dir, 'store') });
    wh = await DuckDBWarehouse.open(':memory:');
    await importSource(wh, { target: join(dir, 'store'), preset: getPreset('shopsight') });
  }, 120_000);
  afterAll(async () => {
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forecasts every level with auto+gbdt (the global GBDT among the candidates), all numbers finite', async () => {
    for (const level of ['total', 'country', 'product'] as const) {
      const f = await forecastLevel(wh, { level, horizon: 14, top: 20, threads: 1, model: 'auto+gbdt' });
      expect(f.series.length).toBeGreaterThan(0);
      for (const s of f.series) expect(sound(s)).toBe(true);
      // The generated customers live mostly in GB: its holidays are the calendar's.
      expect(f.global?.holidays).toBe('GB');
    }
  }, 120_000);

  it('backtests the products: gbdt and auto+gbdt scored on every window, auto+gbdt says what it chose', async () => {
    const s = await loadSalesSeries(wh, { level: 'product', top: 15 });
    const g = await loadGlobalInputs(wh, s, 7);
    const b = backtestLevel(
      s,
      ['seasonal-naive', 'gbdt', 'auto+gbdt'],
      { horizon: 7, origins: 3, step: 7, season: 7 },
      undefined,
      { calendar: g.calendar, price: g.price },
    );
    expect(b.series).toBe(15);
    for (const m of ['seasonal-naive', 'gbdt', 'auto+gbdt']) {
      expect(b.models[m]!.windows).toBe(45);
      expect(Number.isFinite(b.models[m]!.wape)).toBe(true);
    }
    expect(Object.values(b.chosenWithGlobal!).reduce((a, c) => a + c, 0)).toBe(45);
  }, 120_000);
});
