import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { saveModel } from '../../registry/registry.js';
import { openWarehouse } from '../../warehouse/open.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'shopsight-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cli = (...args: string[]): Promise<{ stdout: string; stderr: string }> =>
  run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts'), ...args]);

describe('shopsight models', () => {
  it('lists, promotes and rolls back', async () => {
    const db = join(dir, 'm.duckdb');
    const wh = await openWarehouse(db);
    for (const auc of [0.71, 0.74]) {
      await saveModel(
        wh,
        {
          task: 'churn',
          artifact: { kind: 'gbdt', version: 1, meta: {}, arrays: { w: new Float32Array(256) } },
          trainedOn: {},
          metrics: { rocAuc: auc },
        },
        { promote: true },
      );
    }
    await wh.close();
    const list = JSON.parse((await cli('models', 'list', '--db', db, '--json')).stdout) as {
      modelId: string;
      status: string;
      bytes: number;
    }[];
    expect(list.map((m) => [m.modelId, m.status])).toEqual([
      ['churn@1', 'retired'],
      ['churn@2', 'promoted'],
    ]);
    expect(list[0]!.bytes).toBeGreaterThan(1024);
    expect((await cli('models', 'rollback', 'churn', '--db', db)).stdout).toBe(
      'rolled back: churn@1 is now promoted\n',
    );
    expect((await cli('models', '--db', db)).stdout).toMatch(/churn@1 +gbdt +promoted.*rocAuc 0\.7100/);
    await expect(cli('models', 'promote', 'churn', 'x', '--db', db)).rejects.toThrow(
      /version must be a positive integer, got 'x'/,
    );
  });

  it('train customers and models go to a clickhouse:// cluster instead of refusing it: an unreachable one is a clear error', async () => {
    // Port 1: nothing listens. Before, both commands refused the location without trying it.
    const url = 'clickhouse://127.0.0.1:1/shop?cluster=c&timeout=2';
    for (const args of [
      ['train', 'customers', '--cutoff', '2011-09-09'],
      ['models', 'list'],
      ['models', 'rollback', 'churn'],
    ]) {
      const failed = await cli(...args, '--db', url).catch((e: { code: number; stderr: string }) => e);
      expect('code' in failed && failed.code).toBe(1);
      expect(failed.stderr).toMatch(/cannot reach ClickHouse at http:\/\/127\.0\.0\.1:1: ECONNREFUSED/);
      expect(failed.stderr).not.toMatch(/not run on ClickHouse/);
    }
  }, 60_000);
});
