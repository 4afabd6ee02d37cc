/**
 * One contract, both engines: `describeOnBothEngines` runs the same assertions against a fresh
 * DuckDB file (always) and a fresh 2-shard local ClickHouse cluster (when clickhouse-server is
 * installed; otherwise the ClickHouse half is skipped with SKIP_MESSAGE printed, never silently).
 * The contract opens its store through `open` in its own beforeAll, so each engine's store is made,
 * filled and closed by the same code.
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

export function describeOnBothEngines(title: string, contract: EngineContract): void {
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
    contract('clickhouse', async () => {
      cluster = startTestCluster(2);
      return ClickHouseStore.open(cluster.url('store'));
    });
    afterAll(() => cluster?.stop());
  });
}
