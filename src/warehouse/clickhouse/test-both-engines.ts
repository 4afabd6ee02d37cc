/**
 * One contract, both engines: `describeOnBothEngines` runs the same assertions against a fresh
 * DuckDB file (always) and a fresh 2-shard local ClickHouse cluster (when clickhouse-server is
 * installed; otherwise the ClickHouse half is skipped with SKIP_MESSAGE printed, never silently).
 * The contract opens its store through `open` in its own beforeAll, so each engine's store is made,
 * filled and closed by the same code. Cases only the cluster has (its mutations, its shards) go in
 * `clickhouseOnly`, run after the contract on the same cluster, so DuckDB skips nothing by design.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { DuckDBWarehouse } from '../duckdb/duckdb-warehouse.js';
import type { Warehouse } from '../warehouse.js';
import { ClickHouseStore } from './clickhouse-store.js';
import { clickhouseInstalled, SKIP_MESSAGE, startTestCluster, type TestCluster } from './test-cluster.js';

export type TestEngine = 'duckdb' | 'clickhouse';

export type EngineContract = (engine: TestEngine, open: () => Promise<Warehouse>) => void;

/**
 * ClickHouse-only cases: `open` gives a store of a database of their own (`clickhouse_only`) on the
 * contract's cluster, so they neither start a second cluster nor see the contract's rows.
 */
export type ClickHouseOnlyCases = (open: () => Promise<ClickHouseStore>) => void;

export function describeOnBothEngines(
  title: string,
  contract: EngineContract,
  clickhouseOnly?: ClickHouseOnlyCases,
): void {
  describe(`${title} on DuckDB`, () => {
    let dir: string | undefined;
    contract('duckdb', async () => {
      dir = mkdtempSync(join(tmpdir(), 'shopsight-both-'));
      return DuckDBWarehouse.open(join(dir, 'store.duckdb'), { memoryLimit: '256MB' });
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
  });

  if (!clickhouseInstalled) console.warn(`${title}: ${SKIP_MESSAGE}`);

  describe.skipIf(!clickhouseInstalled)(`${title} on a 2-shard ClickHouse cluster`, () => {
    let cluster: TestCluster | undefined;
    const started = (): TestCluster => (cluster ??= startTestCluster(2));
    contract('clickhouse', async () => ClickHouseStore.open(started().url('store')));
    clickhouseOnly?.(async () => ClickHouseStore.open(started().url('clickhouse_only')));
    afterAll(() => cluster?.stop());
  });
}
