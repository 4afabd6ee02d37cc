import { DuckDBWarehouse } from '/work/wt/chops/src/warehouse/duckdb/duckdb-warehouse.js';
const wh = await DuckDBWarehouse.open(':memory:');
await wh.exec(`CREATE TABLE t AS SELECT 'e' || i AS id, i % 1000 AS c, now() AS ts FROM range(10000000) r(i)`);
for (const lo of [0, 5_000_000, 9_500_000]) {
  const t = performance.now();
  const c = await wh.columns(`SELECT id, c FROM t WHERE rowid >= ${lo} AND rowid < ${lo + 500000}`, { id: 'str', c: 'f64' });
  console.log(lo, c.length, c.id[0], (performance.now() - t).toFixed(0), 'ms');
}
const t = performance.now();
const c = await wh.columns(`SELECT id FROM t WHERE rowid >= 9000000`, { id: 'str' });
console.log('full-ish', c.length, (performance.now() - t).toFixed(0));
await wh.close();
