/**
 * ClickHouse at scale (issue 14): N generated events (default 100,000,000; CLICKHOUSE_SCALE_EVENTS
 * for fewer) imported into DuckDB and into a 3-node local ClickHouse cluster in the same run:
 * import rate, disk per 10 million events, and the KPI and funnel queries timed on both.
 *
 *   BENCH_ONLY=clickhouse-scale npm run bench                                # 100M events
 *   CLICKHOUSE_SCALE_EVENTS=2000000 BENCH_ONLY=clickhouse-scale npm run bench
 *
 * Runs only when named in BENCH_ONLY (it takes long: see docs/scaling.md for measured times).
 * Protocol: `shopsight generate --events N --seed 1` (streamed to CSV, no object per event), then
 * each import in a node process of its own (bench/import-child.ts: DuckDB with the default 1 GB cap;
 * ClickHouse = the same import staged in a temporary DuckDB, then streamed to the cluster in CSV
 * chunks, merged with OPTIMIZE FINAL); disk = the DuckDB file, and the cluster's active parts
 * (system.parts, every node; `du` of the data folders beside it); queries warm, median of 3 (one warm-up), through the same library calls as
 * `shopsight analyze --section kpis|funnel`. Needs clickhouse-server (skipped with a note without it).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { analyticsReport, type Section } from '../../src/warehouse/analytics/report.js';
import { chAnalyticsReport } from '../../src/warehouse/clickhouse/analytics/report.js';
import { ClickHouseStore } from '../../src/warehouse/clickhouse/clickhouse-store.js';
import { clickhouseInstalled, startTestCluster } from '../../src/warehouse/clickhouse/test-cluster.js';
import { DuckDBWarehouse } from '../../src/warehouse/duckdb/duckdb-warehouse.js';
import type { BenchContext } from '../context.js';
import { generateStore } from '../generate-store.js';
import { median, timed } from '../machine.js';
import { timeProcess } from '../process-time.js';

const DEFAULT_EVENTS = 100_000_000;
const QUERY_RUNS = 3;

/** Bytes under `path` (a file, or a folder walked), as du -b would count them. */
function bytesUnder(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + bytesUnder(join(path, name)), 0);
}

const gib = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/**
 * What each node spent on a section's queries (its warm-up and timed runs), from system.query_log
 * (the local cluster logs every query), split by is_initial_query: queries a client sent to the
 * node, and parts another node forwarded to it as a shard, so a slow section says whether a shard or
 * the merge took the time.
 */
async function perNodeQueryLog(ch: ClickHouseStore, section: string, since: string): Promise<string> {
  await ch.execOnEachNode('SYSTEM FLUSH LOGS');
  const perNode = await ch.rowsOnEachNode<{ initial: number; n: number; ms: number; mem: number }>(
    `SELECT is_initial_query AS initial, count() AS n, max(query_duration_ms) AS ms, max(memory_usage) AS mem
     FROM system.query_log
     WHERE type = 2 AND event_time >= toDateTime(?) AND query NOT LIKE '%system.%'
     GROUP BY is_initial_query ORDER BY is_initial_query DESC`,
    [since],
  );
  const parts = perNode.map((rows, i) =>
    rows
      .map(
        (r) =>
          `node ${i + 1} ${Number(r.initial) ? 'initial' : 'forwarded'}: ${r.n} queries, longest ${Number(r.ms)} ms, peak ${mib(Number(r.mem))}`,
      )
      .join('; '),
  );
  return `${section} on ClickHouse, per node (system.query_log, warm-up and timed runs): ${parts.join('; ')}.`;
}

interface ChildImport {
  seconds: number;
  maxRssMB: number;
  rowsRead: number;
  events: number;
}

export async function clickhouseScale({ work, root, report, note }: BenchContext): Promise<void> {
  if (!clickhouseInstalled) {
    note(
      'Skipped: clickhouse-server is not installed (apt-get install -y clickhouse-server clickhouse-client).',
    );
    return;
  }
  const asked = Number(process.env['CLICKHOUSE_SCALE_EVENTS'] ?? DEFAULT_EVENTS);
  if (!Number.isInteger(asked) || asked < 1000) {
    throw new Error(
      `CLICKHOUSE_SCALE_EVENTS must be a whole number >= 1000, got '${process.env['CLICKHOUSE_SCALE_EVENTS']}'`,
    );
  }
  const store = join(work, 'store');

  // 1. Generate (streamed: the generator writes each session's events straight to the CSV).
  const gen = generateStore(root, asked, store);
  const events = gen.events;
  report({
    name: `generate ${events.toLocaleString('en-US')} events (${gib(gen.bytes)} of CSV)`,
    figure: `${gen.seconds.toFixed(1)} s (${(events / gen.seconds / 1e6).toFixed(2)} M events/s)`,
    baseline: '-',
    target: '-',
    ok: events > 0,
  });

  const child = (db: string): { out: ChildImport; wall: number; cpu: number } => {
    const t = timeProcess(
      'node',
      ['--import', 'tsx', join(root, 'bench', 'import-child.ts'), store, 'shopsight', db],
      root,
    );
    return { out: JSON.parse(t.stdout) as ChildImport, wall: t.wallSeconds, cpu: t.cpuSeconds };
  };
  const per10M = (bytes: number): number => (bytes * 10_000_000) / events;

  // 2. DuckDB.
  const duckPath = join(work, 'store.duckdb');
  const duck = child(duckPath);
  const duckBytes = bytesUnder(duckPath) + bytesUnder(`${duckPath}.wal`);

  // 3. A 3-node ClickHouse cluster, data under work/cluster.
  const cluster = startTestCluster(3, { dir: join(work, 'cluster') });
  try {
    const url = cluster.url('shop');
    const chImport = child(url);
    const nodeBytes = [1, 2, 3].map((i) => bytesUnder(join(cluster.dir, `node${i}`, 'data')));
    report({
      name: `import ${events.toLocaleString('en-US')} events (${duck.out.rowsRead.toLocaleString('en-US')} rows in all) into DuckDB, whole process`,
      figure: `${duck.wall.toFixed(1)} s, ${Math.round(events / duck.wall).toLocaleString('en-US')} events/s, peak RSS ${(duck.out.maxRssMB / 1024).toFixed(2)} GiB, CPU ${duck.cpu.toFixed(0)} s`,
      baseline: `generation ${gen.seconds.toFixed(1)} s`,
      target: '-',
      ok: duck.out.events === events,
    });
    report({
      name: `import the same into a 3-node ClickHouse cluster (staged in DuckDB, streamed in 2M-row CSV chunks), whole process`,
      figure: `${chImport.wall.toFixed(1)} s, ${Math.round(events / chImport.wall).toLocaleString('en-US')} events/s, peak RSS ${(chImport.out.maxRssMB / 1024).toFixed(2)} GiB, importer CPU ${chImport.cpu.toFixed(0)} s (the servers' CPU not included)`,
      baseline: `DuckDB ${duck.wall.toFixed(1)} s`,
      target: '-',
      ok: chImport.out.events === events && chImport.out.rowsRead === duck.out.rowsRead,
    });
    // 4. Queries, warm, on both.
    const wh = await DuckDBWarehouse.open(duckPath, {
      memoryLimit: process.env['SHOPSIGHT_MEMORY_LIMIT'] ?? '1GB',
    });
    const ch = await ClickHouseStore.open(url);
    try {
      // The store on the cluster = its active parts. `du` right after the import also counts the
      // parts OPTIMIZE ... FINAL replaced, which a server deletes only after old_parts_lifetime
      // (8 minutes): at 100M events they were twice the store (docs/scaling.md).
      const perNode = await ch.rowsOnEachNode<{ t: string; b: number }>(
        "SELECT table AS t, sum(bytes_on_disk) AS b FROM system.parts WHERE database = 'shop' AND active GROUP BY table",
      );
      const active = perNode.flat().reduce((s, r) => s + Number(r.b), 0);
      const eventsActive = perNode
        .flat()
        .filter((r) => r.t === 'events_local')
        .reduce((s, r) => s + Number(r.b), 0);
      report({
        name: 'disk per 10 million events (the whole store: events, orders, customers, products)',
        figure: `DuckDB ${mib(per10M(duckBytes))}; ClickHouse ${mib(per10M(active))} in active parts over 3 nodes (events table alone ${mib(per10M(eventsActive))})`,
        baseline: `totals: DuckDB file ${gib(duckBytes)}; ClickHouse active parts ${gib(active)}; its data folders by du, replaced parts not yet deleted included: ${gib(nodeBytes.reduce((a, b) => a + b, 0))} (${nodeBytes.map(gib).join(' + ')})`,
        target: '-',
        ok: true,
      });
      for (const section of ['kpis', 'funnel'] as const satisfies readonly Section[]) {
        const onDuck = async (): Promise<unknown> => analyticsReport(wh, { sections: [section] });
        await onDuck();
        const duckMs: number[] = [];
        for (let i = 0; i < QUERY_RUNS; i++) duckMs.push((await timed(onDuck)).seconds * 1000);
        const onCh = async (): Promise<unknown> => chAnalyticsReport(ch, { sections: [section] });
        const [since] = await ch.rows<{ t: string }>('SELECT toString(now()) AS t');
        const same = JSON.stringify(await onCh()) === JSON.stringify(await onDuck());
        const chMs: number[] = [];
        for (let i = 0; i < QUERY_RUNS; i++) chMs.push((await timed(onCh)).seconds * 1000);
        note(await perNodeQueryLog(ch, section, since!.t));
        report({
          name: `${section} over the whole store (warm, median of ${QUERY_RUNS})`,
          figure: `ClickHouse ${median(chMs).toFixed(0)} ms (3 nodes)`,
          baseline: `DuckDB ${median(duckMs).toFixed(0)} ms`,
          target: 'the same answer on both',
          ok: same,
        });
      }
    } finally {
      await ch.close();
      await wh.close();
    }
  } finally {
    cluster.stop();
    rmSync(store, { recursive: true, force: true });
  }
}
