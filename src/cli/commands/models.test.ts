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
});
