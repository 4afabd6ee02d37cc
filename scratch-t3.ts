import { ClickHouseStore } from './src/warehouse/clickhouse/clickhouse-store.js';
import { openWarehouse } from './src/warehouse/open.js';
import { customerFeatures } from './src/features/customer-features.js';
const ch = await ClickHouseStore.open('clickhouse://127.0.0.1:31123/shop?cluster=shopsight');
const wh = await openWarehouse('/tmp/chf/or.duckdb');
for (const cutoff of [new Date('2011-09-09T00:00:00Z'), new Date('2011-12-10T00:00:00Z')]) {
  let t0 = performance.now();
  const a = await customerFeatures(ch, { cutoff });
  const ta = performance.now() - t0;
  t0 = performance.now();
  const b = await customerFeatures(wh, { cutoff });
  const tb = performance.now() - t0;
  console.log(
    cutoff,
    ta,
    tb,
    a.rows,
    b.rows,
    a.cols,
    b.cols,
    JSON.stringify(a.customerIds) === JSON.stringify(b.customerIds),
  );
  for (let j = 0; j < a.cols; j++) {
    let bad = 0,
      first = '';
    for (let r = 0; r < Math.min(a.rows, b.rows); r++) {
      const x = a.values[r * a.cols + j]!,
        y = b.values[r * b.cols + j]!;
      const ok = (Number.isNaN(x) && Number.isNaN(y)) || x === y || false;
      if (!ok) {
        bad++;
        if (!first) first = `${a.customerIds[r]} ch=${x} duck=${y}`;
      }
    }
    if (bad) console.log('  ', a.names[j], bad, first);
  }
}
await ch.close();
await wh.close();
