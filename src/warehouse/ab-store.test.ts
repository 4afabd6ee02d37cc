import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deleteSplit, readSplit, writeSplit } from './ab-store.js';
import { DuckDBWarehouse } from './duckdb/duckdb-warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-ab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ab_splits', () => {
  it('keeps the split in force per task across a reopen, replaces it, and ends it', async () => {
    const path = join(dir, 'ab.duckdb');
    const started = new Date('2026-12-01T14:00:00Z');
    let wh = await DuckDBWarehouse.open(path);
    expect(await readSplit(wh, 'recommend')).toBeUndefined();
    await writeSplit(
      wh,
      'recommend',
      [
        { name: 'A', version: 3, share: 0.5 },
        { name: 'B', version: 4, share: 0.5 },
      ],
      started,
    );
    await wh.close();
    wh = await DuckDBWarehouse.open(path);
    expect(await readSplit(wh, 'recommend')).toEqual({
      task: 'recommend',
      variants: [
        { name: 'A', version: 3, share: 0.5 },
        { name: 'B', version: 4, share: 0.5 },
      ],
      startedAt: started,
    });
    await writeSplit(wh, 'recommend', [
      { name: 'A', version: 4, share: 0.9 },
      { name: 'B', version: 5, share: 0.1 },
    ]);
    expect((await readSplit(wh, 'recommend'))!.variants.map((v) => v.version)).toEqual([4, 5]);
    expect(await readSplit(wh, 'churn')).toBeUndefined();
    expect(await deleteSplit(wh, 'recommend')).toBe(true);
    expect(await deleteSplit(wh, 'recommend')).toBe(false);
    expect(await readSplit(wh, 'recommend')).toBeUndefined();
    await wh.close();
  });
});
