import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWarehouse } from './open.js';
import { readSummaryFile } from './summary-file.js';
import type { Warehouse } from './warehouse.js';

const dir = mkdtempSync(join(tmpdir(), 'shopsight-summary-'));
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

describe('readSummaryFile', () => {
  it('reads the wanted columns in file order with each row line, skipping blank lines', async () => {
    const path = file('a.csv', 'ID,"frequency",recency,T\n1,2,30.43,38.86\n\n"2",0,0,38.86\n3,1, 1.5 ,20\n');
    const s = await readSummaryFile(wh, path, ['frequency', 'recency', 'T']);
    expect(s.rows).toBe(3);
    expect(Array.from(s.columns.frequency)).toEqual([2, 0, 1]);
    expect(Array.from(s.columns.recency)).toEqual([30.43, 0, 1.5]);
    expect(Array.from(s.columns.T)).toEqual([38.86, 38.86, 20]);
    expect(Array.from(s.lines)).toEqual([2, 4, 5]);
  });
  it('handles Windows line endings', async () => {
    const path = file('crlf.csv', 'frequency,recency,T\r\n1,2,3\r\n4,5,6\r\n');
    const s = await readSummaryFile(wh, path, ['frequency', 'recency', 'T']);
    expect(Array.from(s.columns.T)).toEqual([3, 6]);
  });
  it('reads a file that mixes Windows and Unix line endings, lines counted as written', async () => {
    const path = file('mixed.csv', 'frequency,recency,T\r\n1,2,3\n4,5,6\r\n\n7,8,9\n');
    const s = await readSummaryFile(wh, path, ['frequency', 'recency', 'T']);
    expect(Array.from(s.columns.T)).toEqual([3, 6, 9]);
    expect(Array.from(s.lines)).toEqual([2, 3, 5]);
  });
  it('matches columns case-insensitively and by alias', async () => {
    const path = file('btyd.csv', 'ID,x,t_x,t,zbar\n1,2,30.43,38.86,22.35\n');
    const s = await readSummaryFile(wh, path, ['frequency', 'T', 'monetary_value'], {
      frequency: ['x'],
      monetary_value: ['zbar'],
    });
    expect([s.columns.frequency[0], s.columns.T[0], s.columns.monetary_value[0]]).toEqual([2, 38.86, 22.35]);
  });
  it('reports file:line:column: reason', async () => {
    const path = file('bad.csv', 'frequency,recency,T\n1,2,3\n1,,3\n');
    await expect(readSummaryFile(wh, path, ['frequency', 'recency', 'T'])).rejects.toThrow(
      `${path}:3:column recency: empty value`,
    );
    await expect(readSummaryFile(wh, join(dir, 'missing.csv'), ['T'])).rejects.toThrow(
      /missing.csv: no such file/,
    );
    await expect(readSummaryFile(wh, file('empty.csv', ''), ['T'])).rejects.toThrow(/empty or has no header/);
  });
});
