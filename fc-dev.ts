import { loadSalesSeries } from './src/features/sales-series.js';
import { getPreset } from './src/ingest/presets/index.js';
import { backtestLevel } from './src/tasks/forecast/backtest-level.js';
import { DuckDBWarehouse } from './src/warehouse/duckdb/duckdb-warehouse.js';
import { importSource } from './src/warehouse/import/import-source.js';
const wh = await DuckDBWarehouse.open(':memory:');
await importSource(wh, { target: '../shared/datasets/online-retail/online_retail.csv.gz', preset: getPreset('online-retail') });
for (const [level, top] of [['total', undefined], ['country', 5], ['product', Number(process.env.TOPN ?? 50)]] as const) {
  const s = await loadSalesSeries(wh, { level, top, merchandiseOnly: false });
  const t0 = Date.now();
  const b = backtestLevel(s, (process.env.MODELS ?? 'seasonal-naive;moving-average;ets(A,Ad,A);auto').split(';'));
  console.log(level, s.length, s.ids.slice(0, 5).join(','), ((Date.now() - t0) / 1000).toFixed(1), 's');
  for (const [m, x] of Object.entries(b.models)) console.log('  ', m.padEnd(16), x.mase.toFixed(3), x.wape.toFixed(3), x.smape.toFixed(3), x.coverage80.toFixed(3), x.coverage95.toFixed(3), x.unscaled);
  console.log('  chosen', JSON.stringify(b.chosen));
}
await wh.close();
