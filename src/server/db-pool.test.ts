import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWarehouse } from '../warehouse/open.js';
import { WarehousePool } from './db-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-db-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WarehousePool.close', () => {
  // Closing a DuckDB connection in the middle of its statement may crash the process: close waits
  // for the reads begun (a background job's) and refuses new ones.
  it('waits for the reads in flight, then refuses new reads and writes', async () => {
    const pool = await WarehousePool.create(await openWarehouse(join(dir, 'a.duckdb'), { create: true }), 1);
    const order: string[] = [];
    const sum = (n: number): Promise<number> =>
      pool.read(async (wh) => {
        const [row] = await wh.rows<{ s: bigint | number }>(`SELECT sum(i) AS s FROM range(${n}) t(i)`);
        order.push(`read ${n}`);
        return Number(row!.s);
      });
    // The second read waits for the pool's one reader while the first runs.
    const running = [sum(20_000_000), sum(1_000)];
    const closed = pool.close().then(() => order.push('closed'));
    // n (n - 1) / 2, exactly.
    await expect(Promise.all(running)).resolves.toEqual([199_999_990_000_000, 499_500]);
    await closed;
    expect(order).toEqual(['read 20000000', 'read 1000', 'closed']);
    await expect(pool.read(async () => 1)).rejects.toThrow(/closed/);
    await expect(pool.write(async () => 1)).rejects.toThrow(/closed/);
  });
});
