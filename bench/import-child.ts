/**
 * Runs one import in its own process and prints {seconds, maxRssMB, rowsRead, ...} as JSON, so
 * the peak memory measured is the import's alone (DuckDB's native memory included). The database
 * may be a clickhouse:// location (bench/suites/clickhouse-scale.ts).
 */
import { getPreset } from '../src/ingest/presets/index.js';
import { importSource } from '../src/warehouse/import/import-source.js';
import type { ImportSummary } from '../src/ingest/summary.js';
import { importIntoClickHouse } from '../src/warehouse/import/import-into-clickhouse.js';
import { isClickHouseLocation, openClickHouse, openWarehouse } from '../src/warehouse/open.js';

const [target, preset, db] = process.argv.slice(2);
if (!target || !preset || !db) throw new Error('usage: import-child <target> <preset> <db>');
const t = performance.now();
let s: ImportSummary;
if (isClickHouseLocation(db)) {
  // A clickhouse:// location: the same import staged in DuckDB, then streamed to the cluster.
  const ch = await openClickHouse(db);
  s = await importIntoClickHouse(ch, { target, preset: getPreset(preset) });
  await ch.close();
} else {
  const wh = await openWarehouse(db);
  s = await importSource(wh, { target, preset: getPreset(preset) });
  await wh.close();
}
const seconds = (performance.now() - t) / 1000;
process.stdout.write(
  JSON.stringify({
    seconds,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    rowsRead: s.rowsRead,
    rowsImported: s.rowsImported,
    rowsQuarantined: s.rowsQuarantined,
    events: s.tables.events?.total ?? 0,
  }) + '\n',
);
