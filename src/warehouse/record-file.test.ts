import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from './open.js';
import { readRecordFile } from './record-file.js';
import type { Warehouse } from './warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-records-'));
let wh: Warehouse;
beforeAll(async () => {
  wh = await openWarehouse(':memory:', { migrations: [] });
});
afterAll(async () => {
  await wh.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readRecordFile', () => {
  it('reads every header column as text, in file order, with each record line, blank lines skipped', async () => {
    const path = file('a.csv', 'recency,"channel"\n6,"Web"\n\n 2 ,Phone\n');
    const f = await readRecordFile(wh, path, ['recency']);
    expect(f.header).toEqual(['recency', 'channel']);
    expect(f.records).toEqual([
      { recency: '6', channel: 'Web' },
      { recency: '2', channel: 'Phone' },
    ]);
    expect(f.lines).toEqual([2, 4]);
  });

  it('reads a file that mixes Windows and Unix line endings without a stray carriage return', async () => {
    const path = file('mixed.csv', 'recency,channel\r\n6,Web\n2,Phone\r\n');
    const f = await readRecordFile(wh, path, ['recency']);
    expect(f.records).toEqual([
      { recency: '6', channel: 'Web' },
      { recency: '2', channel: 'Phone' },
    ]);
    expect(f.lines).toEqual([2, 3]);
  });

  it('names the file, line and column of what is wrong', async () => {
    await expect(readRecordFile(wh, join(dir, 'none.csv'), [])).rejects.toThrow(/no such file/);
    await expect(readRecordFile(wh, file('b.csv', 'recency\n6\n'), ['channel'])).rejects.toThrow(
      /b\.csv:1.*missing column 'channel'/,
    );
    await expect(readRecordFile(wh, file('c.csv', 'recency,channel\n6,Web\n7\n'), [])).rejects.toThrow(
      /c\.csv:3.*expected 2 fields as in the header, found 1/,
    );
    await expect(readRecordFile(wh, file('d.csv', 'recency,channel\n'), [])).rejects.toThrow(
      /no data lines after the header/,
    );
  });
});
